package dev.convoy.engine.review;

import java.util.List;

/**
 * One container of a pod that was added, removed or changed.
 *
 * @param name the container name
 * @param change added, removed or changed
 * @param injectedBy the policy that injected it (in the head, or in the base when removed), or
 *     {@code null} for the workload's own containers
 * @param fields the fields that differ (empty when added or removed); a container that moved
 *     between {@code initContainers} and {@code containers} has a {@code placement} field
 */
public record ContainerChange(
    String name, Change change, String injectedBy, List<FieldChange> fields) {
  public ContainerChange {
    fields = List.copyOf(fields);
  }

  /** Whether Convoy injected it: a sidecar or an init container of a policy. */
  public boolean injected() {
    return injectedBy != null;
  }
}

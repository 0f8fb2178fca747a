package dev.convoy.engine.review;

import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.resources.ResourceChange;
import java.util.List;
import java.util.Optional;

/**
 * A workload whose rendered manifest differs between the base and the head.
 *
 * @param ref {@code Kind/namespace/name}
 * @param file the rendered file (the head's, or the base's when removed)
 * @param change added, removed or changed
 * @param policies policies injected, dropped or moved to another revision
 * @param containers containers added, removed or changed, in the head's start order then the
 *     removed ones
 * @param order start and stop order, base and head; empty when both are the same
 * @param resources the pod's effective requests and limits as the base renders it (before) and as
 *     the head does (after); for an added workload, before and after injection; empty when
 *     unchanged or unknown
 * @param waves the head's upgrade decisions for this workload that the base does not make
 * @param podFields other fields of the object that differ (labels, volumes, replicas, ...), without
 *     the containers and Convoy's own annotations
 */
public record WorkloadChange(
    String ref,
    String file,
    Change change,
    List<PolicyChange> policies,
    List<ContainerChange> containers,
    Optional<OrderChange> order,
    Optional<ResourceChange> resources,
    List<WaveDecision> waves,
    List<FieldChange> podFields) {
  public WorkloadChange {
    policies = List.copyOf(policies);
    containers = List.copyOf(containers);
    waves = List.copyOf(waves);
    podFields = List.copyOf(podFields);
  }

  /** Names of the injected containers the head adds. */
  public List<String> sidecarsAdded() {
    return containers.stream()
        .filter(c -> c.injected() && c.change() == Change.ADDED)
        .map(ContainerChange::name)
        .toList();
  }

  /** Names of the injected containers the head no longer has. */
  public List<String> sidecarsRemoved() {
    return containers.stream()
        .filter(c -> c.injected() && c.change() == Change.REMOVED)
        .map(ContainerChange::name)
        .toList();
  }

  /** Policies injected on both sides at different revisions. */
  public List<PolicyChange> upgrades() {
    return policies.stream().filter(p -> p.change() == Change.CHANGED).toList();
  }
}

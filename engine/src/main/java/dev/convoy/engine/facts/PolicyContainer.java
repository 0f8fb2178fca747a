package dev.convoy.engine.facts;

import java.util.List;

/**
 * A container a policy injects: a pre or post sidecar, or a one-shot init container.
 *
 * @param policy the policy's name
 * @param revision the policy revision this container belongs to: the policy's current {@link
 *     PolicyFact#revision()}, or an older one that some workload still runs during an upgrade (see
 *     {@link DeployedRevision})
 * @param name the container name
 * @param role {@link Role#PRE}, {@link Role#POST} or {@link Role#INIT}
 * @param after names of containers this one starts after
 * @param before names of containers this one starts before
 * @param hasReady whether a {@code ready} probe gates the next container
 * @param file the policy file
 * @param line the line of this container's entry in the policy file
 */
public record PolicyContainer(
    String policy,
    String revision,
    String name,
    Role role,
    List<String> after,
    List<String> before,
    boolean hasReady,
    String file,
    int line) {
  public PolicyContainer {
    after = List.copyOf(after);
    before = List.copyOf(before);
  }
}

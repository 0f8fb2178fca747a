package dev.convoy.engine.facts;

/**
 * A container of a workload's pod: one the source already has, or one a policy injects.
 *
 * @param workload the {@link WorkloadFact#id()} it belongs to
 * @param name the container name, unique within the pod
 * @param role init, app, pre or post
 * @param index position in the source list (init or app containers); -1 for injected ones
 * @param policy the injecting policy, or {@code null} for containers of the source
 * @param revision the revision of the injecting policy it comes from ({@link
 *     dev.convoy.engine.decide.Injection#revision()}), or {@code null} for containers of the source
 * @param priority the injecting policy's priority (0 for containers of the source)
 * @param hasReady whether it has a readiness gate ({@code ready} of a policy sidecar)
 */
public record ContainerFact(
    String workload,
    String name,
    Role role,
    int index,
    String policy,
    String revision,
    int priority,
    boolean hasReady) {

  public static ContainerFact existing(String workload, String name, Role role, int index) {
    return new ContainerFact(workload, name, role, index, null, null, 0, false);
  }

  public boolean injected() {
    return policy != null;
  }
}

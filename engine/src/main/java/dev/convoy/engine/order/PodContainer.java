package dev.convoy.engine.order;

import dev.convoy.engine.facts.Role;
import java.util.Map;

/**
 * A node of a pod's start-order graph.
 *
 * @param name the container name
 * @param role init, app, pre or post
 * @param sourceIndex position in the source's init or app container list; -1 when injected
 * @param policy the injecting policy, or {@code null}
 * @param priority the injecting policy's priority
 * @param spec the container as it will be rendered (before mode-specific changes)
 * @param ready the readiness gate probe of a policy sidecar, or {@code null}
 */
public record PodContainer(
    String name,
    Role role,
    int sourceIndex,
    String policy,
    int priority,
    Map<String, Object> spec,
    Map<String, Object> ready) {

  public boolean injected() {
    return policy != null;
  }
}

package dev.convoy.engine.model;

import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Map;

/**
 * One sidecar of a SidecarPolicy.
 *
 * @param name the container name
 * @param position pre or post
 * @param after containers this sidecar starts after
 * @param before containers this sidecar starts before
 * @param ready the readiness gate (a corev1 Probe as loaded), or {@code null}
 * @param container the corev1 Container as loaded, in the user's key order (what is rendered)
 * @param typed the same container as a fabric8 model object (what rules and checks read)
 * @param line the line of this sidecar's entry in the policy file
 */
public record PolicySidecar(
    String name,
    Position position,
    List<String> after,
    List<String> before,
    Map<String, Object> ready,
    Map<String, Object> container,
    Container typed,
    int line) {
  public PolicySidecar {
    after = List.copyOf(after);
    before = List.copyOf(before);
  }
}

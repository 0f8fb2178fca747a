package dev.convoy.engine.render;

import dev.convoy.engine.decide.Violation;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link SidecarRenderer} made of one pod.
 *
 * @param spec the rendered pod spec
 * @param containers names of containers the renderer added besides the plan's (universal mode's
 *     regular copies), to be recorded as injected
 * @param volumes names of volumes the renderer added besides the policies' (the shared {@code
 *     emptyDir} of the marker handshake), to be recorded as injected
 * @param violations what the mode cannot do for this pod; an error means the pod must not be
 *     rendered this way
 */
public record RenderedPod(
    Map<String, Object> spec,
    Set<String> containers,
    Set<String> volumes,
    List<Violation> violations) {
  public RenderedPod {
    containers = Set.copyOf(containers);
    volumes = Set.copyOf(volumes);
    violations = List.copyOf(violations);
  }

  /** A pod rendered without additions or problems. */
  public static RenderedPod of(Map<String, Object> spec) {
    return new RenderedPod(spec, Set.of(), Set.of(), List.of());
  }
}

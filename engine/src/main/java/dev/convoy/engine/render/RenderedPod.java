package dev.convoy.engine.render;

import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.order.KubeletOrder;
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
 * @param moved native sidecars of the source rendered as regular containers, by name, with their
 *     index in the source's {@code initContainers} (recorded, so re-rendering puts them back)
 * @param violations what the mode cannot do for this pod; an error means the pod must not be
 *     rendered this way
 * @param kubelet how the kubelet runs the rendered pod, per kind of node the mode renders for
 */
public record RenderedPod(
    Map<String, Object> spec,
    Set<String> containers,
    Set<String> volumes,
    Map<String, Integer> moved,
    List<Violation> violations,
    List<KubeletOrder> kubelet) {
  public RenderedPod {
    containers = Set.copyOf(containers);
    volumes = Set.copyOf(volumes);
    moved = Map.copyOf(moved);
    violations = List.copyOf(violations);
    kubelet = List.copyOf(kubelet);
  }
}

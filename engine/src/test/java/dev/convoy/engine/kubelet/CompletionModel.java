package dev.convoy.engine.kubelet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a pod that runs to completion (a Job's) can complete, and what an old kubelet makes of a
 * universal pod; kept apart from {@link KubeletModel}, which models start and stop order.
 *
 * <p>The kubelet stops native sidecars itself once every regular container has exited, so only
 * regular containers ({@code containers}) matter. An app container's process ends by itself and
 * writes the {@code .exited} markers of its command. A long-running container (a sidecar) ends only
 * when its command polls for markers and all of them exist. The pod completes when every regular
 * container has ended.
 */
public final class CompletionModel {
  private CompletionModel() {}

  /**
   * @param podSpec the rendered pod spec
   * @param longRunning names of the containers that never end by themselves (the sidecars)
   * @return the regular containers that never end, empty when the pod completes
   */
  public static List<String> stuck(Map<String, ?> podSpec, Set<String> longRunning) {
    List<PodContainer> regular =
        PodContainer.read(podSpec).stream().filter(c -> c.kind() == PodContainer.Kind.APP).toList();
    Set<Marker> markers = new LinkedHashSet<>();
    List<PodContainer> running = new ArrayList<>(regular);
    boolean progress = true;
    while (progress && !running.isEmpty()) {
      progress = false;
      for (PodContainer c : List.copyOf(running)) {
        boolean ends =
            !longRunning.contains(c.name())
                || (!Marker.awaitedBy(c.command()).isEmpty()
                    && markers.containsAll(Marker.awaitedBy(c.command())));
        if (ends) {
          markers.addAll(Marker.writtenBy(c.command(), Marker.Event.EXITED));
          running.remove(c);
          progress = true;
        }
      }
    }
    return running.stream().map(PodContainer::name).toList();
  }

  /**
   * The pod as a kubelet without native sidecars runs it: {@code restartPolicy: Always} is ignored,
   * so those init containers are regular ones (their probes and hooks unused). Used to check
   * universal mode on old nodes: the native copy's handshake then exits at once.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> onOldNode(Map<String, Object> podSpec) {
    Map<String, Object> out = new LinkedHashMap<>(podSpec);
    if (podSpec.get("initContainers") instanceof List<?> inits) {
      List<Object> copy = new ArrayList<>();
      for (Object o : inits) {
        Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) o);
        if ("Always".equals(c.remove("restartPolicy"))) {
          c.remove("startupProbe");
          c.remove("lifecycle");
        }
        copy.add(c);
      }
      out.put("initContainers", copy);
    }
    return out;
  }
}

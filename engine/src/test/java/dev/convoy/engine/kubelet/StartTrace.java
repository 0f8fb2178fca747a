package dev.convoy.engine.kubelet;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The order in which the {@link KubeletModel} started a pod's containers.
 *
 * @param containers every container name of the pod, to catch typos in queries
 * @param events the events in the order they happen
 * @param stall why start-up stopped before every container started, or empty when it finished
 */
public record StartTrace(Set<String> containers, List<StartEvent> events, Optional<Stall> stall) {

  public StartTrace {
    containers = Set.copyOf(containers);
    events = List.copyOf(events);
  }

  /** Whether every container started (and every regular init container completed). */
  public boolean completed() {
    return stall.isEmpty();
  }

  /**
   * Whether the kubelet started {@code a}'s process before {@code b}'s; false if either never
   * started.
   */
  public boolean startedBefore(String a, String b) {
    return before(a, StartEvent.Kind.STARTED, b);
  }

  /**
   * Whether {@code a} was known ready (or, a regular init container, completed) before the kubelet
   * started {@code b}: what an ordering edge with a ready gate promises.
   */
  public boolean readyBefore(String a, String b) {
    return before(a, StartEvent.Kind.READY, b) || before(a, StartEvent.Kind.COMPLETED, b);
  }

  /** Whether the kubelet started the container at all. */
  public boolean started(String container) {
    return index(container, StartEvent.Kind.STARTED) >= 0;
  }

  /** The container names in the order the kubelet started them. */
  public List<String> startOrder() {
    return events.stream()
        .filter(e -> e.kind() == StartEvent.Kind.STARTED)
        .map(StartEvent::container)
        .toList();
  }

  private boolean before(String a, StartEvent.Kind kind, String b) {
    int first = index(a, kind);
    int then = index(b, StartEvent.Kind.STARTED);
    return first >= 0 && then >= 0 && first < then;
  }

  private int index(String container, StartEvent.Kind kind) {
    if (!containers.contains(container)) {
      throw new IllegalArgumentException("no container " + container + " in " + containers);
    }
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).container().equals(container) && events.get(i).kind() == kind) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return String.join(", ", events.stream().map(StartEvent::toString).toList())
        + stall.map(s -> "; STALLED: " + s).orElse("");
  }
}

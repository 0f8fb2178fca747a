package dev.convoy.engine.kubelet;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How the {@link KubeletModel} stopped a pod's containers.
 *
 * @param containers every container name of the pod, to catch typos in queries
 * @param events one exit per running container, ordered by round
 * @param gracePeriodSeconds the pod's {@code terminationGracePeriodSeconds} (default 30)
 */
public record StopTrace(Set<String> containers, List<StopEvent> events, long gracePeriodSeconds) {

  public StopTrace {
    containers = Set.copyOf(containers);
    events = List.copyOf(events);
  }

  /**
   * Whether {@code a} exited strictly after {@code b}, in a later round: containers stopped
   * concurrently are not ordered.
   */
  public boolean stoppedAfter(String a, String b) {
    return exit(a).orElseThrow().round() > exit(b).orElseThrow().round();
  }

  /** Whether the grace period ran out, so that some container was SIGKILLed. */
  public boolean graceExpired() {
    return events.stream().anyMatch(StopEvent::killed);
  }

  /** The containers whose bounded preStop gave up waiting. */
  public List<String> timedOut() {
    return events.stream().filter(StopEvent::timedOut).map(StopEvent::container).toList();
  }

  /** The containers SIGKILLed when the grace period ran out. */
  public List<String> killed() {
    return events.stream().filter(StopEvent::killed).map(StopEvent::container).toList();
  }

  /** The exit of one container, empty for a regular init container (it was not running). */
  public Optional<StopEvent> exit(String container) {
    if (!containers.contains(container)) {
      throw new IllegalArgumentException("no container " + container + " in " + containers);
    }
    return events.stream().filter(e -> e.container().equals(container)).findFirst();
  }

  @Override
  public String toString() {
    return String.join(", ", events.stream().map(StopEvent::toString).toList());
  }
}

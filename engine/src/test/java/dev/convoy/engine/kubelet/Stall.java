package dev.convoy.engine.kubelet;

import java.util.List;

/**
 * Why a pod's start-up cannot go on: the kubelet is holding on {@code container}'s {@code step}
 * (its postStart hook, its startupProbe, or a regular init container's command), which polls for
 * markers nobody can write any more, because the containers that would write them start later or
 * never.
 *
 * @param container the container the kubelet is blocked on
 * @param step {@code postStart}, {@code startupProbe} or {@code command}
 * @param awaited the marker paths still missing
 * @param notStarted the containers those markers are about that have not started
 */
public record Stall(String container, String step, List<String> awaited, List<String> notStarted) {

  @Override
  public String toString() {
    return container
        + " "
        + step
        + " waits for "
        + String.join(", ", awaited)
        + (notStarted.isEmpty() ? "" : "; not started: " + String.join(", ", notStarted));
  }
}

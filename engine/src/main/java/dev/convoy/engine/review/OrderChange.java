package dev.convoy.engine.review;

import java.util.List;

/**
 * A pod's start and stop order in the base and in the head.
 *
 * @param startBefore container names in start order, base (empty when the base has no such pod)
 * @param startAfter container names in start order, head
 * @param stopBefore groups of containers in stop order, base: the regular containers (app
 *     containers and post sidecars) stop together first, then the sidecars started before them, in
 *     reverse start order
 * @param stopAfter groups of containers in stop order, head
 */
public record OrderChange(
    List<String> startBefore,
    List<String> startAfter,
    List<List<String>> stopBefore,
    List<List<String>> stopAfter) {
  public OrderChange {
    startBefore = List.copyOf(startBefore);
    startAfter = List.copyOf(startAfter);
    stopBefore = stopBefore.stream().map(List::copyOf).toList();
    stopAfter = stopAfter.stream().map(List::copyOf).toList();
  }

  public boolean startChanged() {
    return !startBefore.equals(startAfter);
  }

  public boolean stopChanged() {
    return !stopBefore.equals(stopAfter);
  }
}

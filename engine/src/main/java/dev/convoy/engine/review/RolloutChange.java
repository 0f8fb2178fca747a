package dev.convoy.engine.review;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An upgrade rollout the head starts or changes in one target: what its next wave would move and
 * what it holds, and why.
 *
 * @param policy the policy being rolled out
 * @param toRevision the revision workloads move to
 * @param wave the number of the wave (1 for the first)
 * @param moved refs of the workloads the wave moves, sorted
 * @param held how many workloads stay on their revision
 * @param heldBy held workloads counted by reason
 */
public record RolloutChange(
    String policy,
    String toRevision,
    int wave,
    List<String> moved,
    int held,
    SortedMap<String, Integer> heldBy) {
  public RolloutChange {
    moved = List.copyOf(moved);
    heldBy = new TreeMap<>(heldBy);
  }
}

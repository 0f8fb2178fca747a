package dev.convoy.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A run of consecutive workloads of the repo, {@code from} inclusive to {@code to} exclusive, that
 * one rule session decides: the fleet is split into parts when no rule joins facts of two workloads
 * ({@link dev.convoy.engine.decide.PolicyRules#joinsWithinWorkloads()}), so only one part's rule
 * memory is alive at a time.
 */
record FleetPart(int from, int to) {

  /**
   * Workloads per part: small enough that a part's rule memory is a few tens of MB, large enough
   * that the facts every session gets (policies, namespaces) stay a small share of its work.
   */
  static final int SIZE = 2_000;

  /** {@code count} workloads in parts of {@code size}, the last one shorter; one part at least. */
  static List<FleetPart> of(int count, int size) {
    List<FleetPart> parts = new ArrayList<>();
    for (int from = 0; from < count; from += size) {
      parts.add(new FleetPart(from, (int) Math.min((long) from + size, count)));
    }
    if (parts.isEmpty()) {
      parts.add(new FleetPart(0, 0));
    }
    return parts;
  }
}

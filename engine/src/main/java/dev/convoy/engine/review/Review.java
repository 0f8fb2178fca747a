package dev.convoy.engine.review;

import java.util.List;

/**
 * What a change to a config repo does to its rendered output, target by target, and to its
 * violations.
 *
 * @param targets every target of the base or the head, in the head's order, then targets only the
 *     base has
 * @param violations new, fixed and unchanged violations
 */
public record Review(List<TargetReview> targets, ViolationChanges violations) {
  public Review {
    targets = List.copyOf(targets);
  }

  /** True when nothing renders differently and no violation is new or fixed. */
  public boolean isEmpty() {
    return targets.stream().allMatch(TargetReview::isEmpty)
        && violations.added().isEmpty()
        && violations.fixed().isEmpty();
  }
}

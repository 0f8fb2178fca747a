package dev.convoy.engine.review;

/**
 * A policy whose injection into a workload changed.
 *
 * @param policy the policy name
 * @param before the revision the base renders, or {@code null} when the base does not inject it
 * @param after the revision the head renders, or {@code null} when the head does not inject it
 */
public record PolicyChange(String policy, String before, String after) {
  public Change change() {
    return before == null ? Change.ADDED : after == null ? Change.REMOVED : Change.CHANGED;
  }
}

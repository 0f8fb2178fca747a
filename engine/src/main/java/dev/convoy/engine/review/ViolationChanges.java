package dev.convoy.engine.review;

import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import java.util.List;

/**
 * The violations of the head compared with the base's. Two violations are the same when they have
 * the same severity, code, workload, policy, file and message: a line that moved because the file
 * was edited above it does not make a violation new.
 *
 * @param added the head's violations the base does not have, sorted
 * @param fixed the base's violations the head no longer has, sorted
 * @param unchanged violations in both, as the head reports them, sorted
 */
public record ViolationChanges(
    List<Violation> added, List<Violation> fixed, List<Violation> unchanged) {
  public ViolationChanges {
    added = List.copyOf(added);
    fixed = List.copyOf(fixed);
    unchanged = List.copyOf(unchanged);
  }

  /** The new violations that are errors: what makes a review fail. */
  public List<Violation> addedErrors() {
    return added.stream().filter(v -> v.severity() == Severity.ERROR).toList();
  }
}

package dev.convoy.engine;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.upgrade.Revisions;
import java.util.List;

/**
 * The outcome of rendering every target.
 *
 * @param targets each target's output, in convoy.yaml order
 * @param violations every violation, sorted by file, line and message
 * @param decisions what the rules decided (for explain), with this run's upgrade waves
 * @param revisions every policy revision the run could render: current and held-back ones
 */
public record RenderResult(
    List<TargetRender> targets,
    List<Violation> violations,
    Decisions decisions,
    Revisions revisions) {
  public RenderResult {
    targets = List.copyOf(targets);
    violations = List.copyOf(violations);
  }

  public boolean hasErrors() {
    return violations.stream().anyMatch(v -> v.severity() == Severity.ERROR);
  }
}

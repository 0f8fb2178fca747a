package dev.convoy.engine;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.model.Target;
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

  /**
   * Renders of groups of targets made apart (targets that read different sources: their own {@code
   * sources:}, a chart rendered per Kubernetes version) as one result: targets in {@code order},
   * violations in report order, the first part's revisions.
   */
  public static RenderResult merge(List<RenderResult> parts, List<Target> order) {
    java.util.Map<String, TargetRender> byName = new java.util.HashMap<>();
    List<Violation> violations = new java.util.ArrayList<>();
    for (RenderResult p : parts) {
      p.targets().forEach(t -> byName.put(t.target().name(), t));
      violations.addAll(p.violations());
    }
    violations.sort(Violation.REPORT_ORDER);
    return new RenderResult(
        order.stream().map(t -> byName.get(t.name())).toList(),
        violations,
        Decisions.concat(parts.stream().map(RenderResult::decisions).toList()),
        parts.get(0).revisions());
  }

  public boolean hasErrors() {
    return violations.stream().anyMatch(v -> v.severity() == Severity.ERROR);
  }
}

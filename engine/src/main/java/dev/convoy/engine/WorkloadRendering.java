package dev.convoy.engine;

import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.EffectiveResourcesFact;
import dev.convoy.engine.model.Workload;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run made of one workload for one target: the object to write (rendered, or what is kept
 * instead), its report, and the violations rendering raised.
 */
record WorkloadRendering(
    Workload workload,
    Map<String, Object> object,
    WorkloadReport report,
    List<Violation> violations) {
  WorkloadRendering {
    violations = List.copyOf(violations);
  }

  /** The same outcome, with these violations. */
  WorkloadRendering withViolations(List<Violation> raised) {
    return new WorkloadRendering(workload, object, report, raised);
  }

  /** The pod's effective resources as rendered, for budget rules; empty when it was kept. */
  Optional<EffectiveResourcesFact> resourcesFact() {
    if (report.outcome() == WorkloadReport.Outcome.KEPT) {
      return Optional.empty();
    }
    return report
        .resources()
        .map(c -> new EffectiveResourcesFact(report.id(), c.before(), c.after()));
  }
}

package dev.convoy.engine;

import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.EffectiveResourcesFact;
import dev.convoy.engine.facts.KubeletOrderFact;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.order.KubeletOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /**
   * What rendering did, for the rules' second firing: the pod's effective resources (budget rules)
   * and how the kubelet runs it; none when it was kept.
   */
  List<Object> lateFacts() {
    if (report.outcome() == WorkloadReport.Outcome.KEPT) {
      return List.of();
    }
    List<Object> out = new ArrayList<>();
    report
        .resources()
        .ifPresent(c -> out.add(new EffectiveResourcesFact(report.id(), c.before(), c.after())));
    for (KubeletOrder o : report.order().kubelet()) {
      out.add(new KubeletOrderFact(report.id(), o));
    }
    return out;
  }
}

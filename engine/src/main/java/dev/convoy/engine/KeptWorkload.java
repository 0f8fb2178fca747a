package dev.convoy.engine;

import dev.convoy.engine.model.Target;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.order.PodOrder;
import dev.convoy.engine.output.OutputFiles;
import dev.convoy.engine.resources.ResourceChange;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A workload with an error keeps what its target rendered last time, or its source when there is
 * none: a bad change to the repo never takes a sidecar away from a running workload.
 *
 * @param target the target rendered
 * @param previous the target's previous output, relative to its folder
 */
record KeptWorkload(Target target, Map<String, byte[]> previous) {

  /**
   * The kept rendering of {@code w}, with the order its graph asked for ({@link PodOrder#NONE}).
   */
  WorkloadRendering of(Workload w, PodOrder order) {
    Map<String, Object> last = OutputFiles.previousDocument(previous, w);
    Map<String, Object> object = last != null ? last : w.object();
    Map<String, Object> keptTemplate = w.kind().podTemplateOf(object);
    Map<String, Object> after =
        keptTemplate == null ? Trees.map(w.podTemplate(), "spec") : Trees.map(keptTemplate, "spec");
    WorkloadReport report =
        new WorkloadReport(
            RenderTargets.id(target, w),
            w.ref(),
            w.file(),
            WorkloadReport.Outcome.KEPT,
            List.of(),
            new TreeMap<>());
    Map<String, Object> before = Trees.map(PodTemplates.clean(w), "spec");
    return new WorkloadRendering(
        w,
        object,
        report.withResources(ResourceChange.between(before, after)).withOrder(order),
        List.of());
  }
}

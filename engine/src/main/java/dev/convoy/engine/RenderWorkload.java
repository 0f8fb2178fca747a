package dev.convoy.engine;

import dev.convoy.engine.check.FindPodProblems;
import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.model.ServicePorts;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.order.OrderResult;
import dev.convoy.engine.order.PodOrder;
import dev.convoy.engine.order.StartOrder;
import dev.convoy.engine.render.RenderedPod;
import dev.convoy.engine.render.SidecarRenderer;
import dev.convoy.engine.upgrade.Revisions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Step 3 of a run, per workload: the decided injections ordered into one start order and rendered
 * for the target's sidecar mode. A transform value: {@link #apply} is a pure function of the
 * workload and never changes the loaded tree. A workload with an error violation keeps what the
 * target rendered last time (or its source, when there is none).
 *
 * @param target the target rendered
 * @param revisions every policy revision the run may render
 * @param injections the injections decided for each workload id
 * @param edges the edges decided for each workload id
 * @param failing ids of workloads with an error violation from the rules
 * @param previous the target's previous output, relative to its folder
 * @param services the sources' Services by namespace, for the port checks
 */
record RenderWorkload(
    Target target,
    Revisions revisions,
    Map<String, List<Injection>> injections,
    Map<String, List<Edge>> edges,
    Set<String> failing,
    Map<String, byte[]> previous,
    Map<String, List<ServicePorts>> services) {

  /**
   * @param cleanTemplate the workload's pod template without an earlier injection
   */
  WorkloadRendering apply(Workload w, Map<String, Object> cleanTemplate) {
    String id = RenderTargets.id(target, w);
    Map<String, Object> spec = Trees.map(cleanTemplate, "spec");
    InjectedContainers injected;
    OrderResult order;
    try {
      injected = InjectedContainers.of(spec, injections.getOrDefault(id, List.of()), revisions);
      order = StartOrder.sort(id, injected.containers(), edges.getOrDefault(id, List.of()));
    } catch (IllegalStateException e) {
      if (failing.contains(id)) {
        return kept(w); // e.g. a rule forced a policy that does not exist: nothing to order
      }
      throw e;
    }
    PodOrder podOrder = PodOrder.of(order);
    if (failing.contains(id)) {
      // Kept, but explain still shows the order the graph asks for.
      return kept(w, podOrder);
    }
    // What the API server would refuse or traffic would break on: the workload is kept as it was.
    List<Violation> problems =
        FindPodProblems.in(
            id,
            w,
            cleanTemplate,
            injected.policies(),
            services.getOrDefault(w.effectiveNamespace(), List.of()));
    if (problems.stream().anyMatch(v -> v.severity() == Severity.ERROR)) {
      return kept(w, podOrder).withViolations(problems);
    }
    if (order instanceof OrderResult.Cycle cycle) {
      return kept(w, podOrder).withViolations(List.of(cycle.violation(id, w.file(), w.line())));
    }
    OrderedPod pod = new OrderedPod(id, w, cleanTemplate, injected, (OrderResult.Sorted) order);
    SidecarMode mode = target.effectiveMode();
    if (!pod.changes(mode)) {
      return pod.unchanged(mode, podOrder);
    }
    RenderedPod rendered = SidecarRenderer.forMode(mode).render(spec, pod.plan());
    if (rendered.violations().stream().anyMatch(v -> v.severity() == Severity.ERROR)) {
      return kept(w, podOrder).withViolations(rendered.violations());
    }
    return pod.injected(rendered, podOrder);
  }

  /** Every workload through this transform, on every core, in repo order. */
  List<WorkloadRendering> applyAll(
      List<Workload> workloads, List<Map<String, Object>> cleanTemplates) {
    return new ArrayList<>(
        IntStream.range(0, workloads.size())
            .parallel()
            .mapToObj(i -> apply(workloads.get(i), cleanTemplates.get(i)))
            .toList());
  }

  /** What the target rendered last time for this workload, or its source when there is none. */
  WorkloadRendering kept(Workload w) {
    return kept(w, PodOrder.NONE);
  }

  /** {@link #kept(Workload)} instead of a rendering, keeping the order the graph asked for. */
  WorkloadRendering keptInstead(WorkloadRendering rendered) {
    return kept(rendered.workload(), rendered.report().order().withKubelet(List.of()));
  }

  private WorkloadRendering kept(Workload w, PodOrder order) {
    return new KeptWorkload(target, previous).of(w, order);
  }
}

package dev.convoy.engine;

import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.order.KubeletOrder;
import dev.convoy.engine.order.OrderResult;
import dev.convoy.engine.order.PodContainer;
import dev.convoy.engine.order.PodOrder;
import dev.convoy.engine.render.ImageShells;
import dev.convoy.engine.render.InjectionRecord;
import dev.convoy.engine.render.KubeletOrders;
import dev.convoy.engine.render.PodPlan;
import dev.convoy.engine.render.RenderedPod;
import dev.convoy.engine.resources.ResourceChange;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workload whose containers, its own and the injected ones, are in one start order without a
 * cycle or a pod problem: what {@link RenderWorkload} hands the target's sidecar renderer, and how
 * the rendered spec becomes the workload's output.
 *
 * @param id the workload id in its target
 * @param cleanTemplate the pod template without an earlier injection
 * @param injected the pod's containers and what the decided injections add
 * @param sorted the start order
 */
record OrderedPod(
    String id,
    Workload w,
    Map<String, Object> cleanTemplate,
    InjectedContainers injected,
    OrderResult.Sorted sorted) {

  /**
   * Whether the renderer has anything to do: a policy applies, or (where nodes may lack native
   * sidecars) the source has a native sidecar of its own to render for the mode.
   */
  boolean changes(SidecarMode mode) {
    return !injected.revisions().isEmpty()
        || mode != SidecarMode.NATIVE
            && sorted.order().stream().anyMatch(c -> c.role() == Role.PRE && !c.injected());
  }

  /** The source passed through, with the order the kubelet follows for it. */
  WorkloadRendering unchanged(SidecarMode mode, PodOrder podOrder) {
    Map<String, Object> spec = spec();
    List<String> names = injected.containers().stream().map(PodContainer::name).toList();
    List<KubeletOrder> kubelet =
        KubeletOrders.passThrough(sorted.order(), sorted.edges(), spec, mode);
    WorkloadReport report =
        new WorkloadReport(
            id, w.ref(), w.file(), WorkloadReport.Outcome.UNCHANGED, names, injected.revisions());
    return new WorkloadRendering(
        w,
        w.object(),
        report
            .withResources(ResourceChange.between(spec, spec))
            .withOrder(podOrder.withKubelet(kubelet)),
        List.of());
  }

  /** What the target's renderer is given, besides the clean spec. */
  PodPlan plan() {
    return new PodPlan(
        id,
        w.kind(),
        PodTemplates.restartPolicy(w, spec()),
        sorted.order(),
        sorted.edges(),
        injected.volumes(),
        injected.revisions(),
        injected.sidecars(),
        ImageShells.without(
            PodTemplates.annotations(w, cleanTemplate), sorted.order(), injected.sidecars()),
        w.file(),
        w.line());
  }

  /** The workload with the rendered spec and the record of what was injected. */
  WorkloadRendering injected(RenderedPod pod, PodOrder podOrder) {
    Map<String, Object> spec = spec();
    // Renderers build a new spec (copying every container they change) and never modify the
    // one they are given, the loaded tree itself; only the template's annotations change here,
    // so copy that path alone.
    Map<String, Object> template = PodTemplates.withOwnAnnotations(cleanTemplate);
    template.put("spec", pod.spec());
    Set<String> names = new LinkedHashSet<>(injected.names());
    names.addAll(pod.containers());
    Set<String> volumes = injected.volumesNotIn(spec);
    volumes.addAll(pod.volumes());
    InjectionRecord.write(template, injected.revisions(), names, volumes, pod.moved());
    WorkloadReport report =
        new WorkloadReport(
            id,
            w.ref(),
            w.file(),
            WorkloadReport.Outcome.INJECTED,
            sorted.names(),
            injected.revisions());
    return new WorkloadRendering(
        w,
        PodTemplates.withTemplate(w, template),
        report
            .withResources(ResourceChange.between(spec, pod.spec()))
            .withOrder(podOrder.withKubelet(pod.kubelet())),
        pod.violations());
  }

  private Map<String, Object> spec() {
    return Trees.map(cleanTemplate, "spec");
  }
}

package dev.convoy.engine.render;

import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.PolicySidecar.WaitForApp;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.order.KubeletOrder.Nodes;
import dev.convoy.engine.order.PodContainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Native sidecars (Kubernetes 1.29+): a pre sidecar is an {@code initContainers} entry with {@code
 * restartPolicy: Always} at its place in the start order, and its {@code ready} gate becomes its
 * {@code startupProbe}, so the kubelet starts the next container only once it passes. Post sidecars
 * follow the app containers. Kubernetes stops native sidecars after the app containers, in reverse
 * order, so the stop order needs nothing rendered. Post sidecars that wait for the app, or run in a
 * pod that must complete, get the hooks and wrappers of legacy mode.
 */
public final class NativeSidecarRenderer implements SidecarRenderer {
  private static final PodRendering.Form FORM =
      new PodRendering.Form() {
        @Override
        public List<Nodes> nodes() {
          return List.of(Nodes.NATIVE_SIDECARS);
        }

        @Override
        public void pre(PodContainer c, PodRendering pod) {
          pod.add(nativeSidecar(c), null);
        }
      };

  @Override
  public RenderedPod render(Map<String, Object> podSpec, PodPlan plan) {
    if (postSidecarsNeedHooks(plan)) {
      return new PodRendering(plan, FORM, podSpec).render(podSpec);
    }
    // Output trees are only printed, never modified: containers this mode leaves as they are
    // are shared with the loaded trees instead of copied for every workload.
    List<Map<String, Object>> init = new ArrayList<>();
    List<Map<String, Object>> app = new ArrayList<>();
    for (PodContainer c : plan.order()) {
      switch (c.role()) {
        case INIT -> init.add(c.spec());
        case APP, POST -> app.add(c.spec());
        case PRE -> init.add(nativeSidecar(c));
      }
    }
    Map<String, Object> spec = PodSpecs.withContainers(podSpec, init, app);
    PodSpecs.mergeVolumes(spec, plan.volumes());
    return new RenderedPod(
        spec,
        java.util.Set.of(),
        java.util.Set.of(),
        Map.of(),
        List.of(),
        List.of(KubeletOrders.of(plan, spec, Nodes.NATIVE_SIDECARS, new KubeletOrders.Facts())));
  }

  /** Whether the pod's post sidecars need more than list order: a wait for the app, or a Job. */
  private static boolean postSidecarsNeedHooks(PodPlan plan) {
    List<PodContainer> posts = plan.withRole(Role.POST);
    return (plan.runsToCompletion() && !posts.isEmpty())
        || posts.stream().anyMatch(p -> plan.sidecar(p).waitForApp() != WaitForApp.NONE);
  }

  /**
   * A pre sidecar as a native sidecar: {@code restartPolicy: Always}, its gate its startupProbe. A
   * native sidecar of the source is one already.
   */
  static Map<String, Object> nativeSidecar(PodContainer c) {
    if (PodPlan.sourceSidecar(c)) {
      return c.spec();
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("restartPolicy", "Always");
    if (c.ready() != null) {
      extra.put("startupProbe", Trees.copy(c.ready()));
    }
    return PodSpecs.with(c.spec(), extra);
  }
}

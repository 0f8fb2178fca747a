package dev.convoy.engine.render;

import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.Trees;
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
 * pod that must complete, get the hooks of legacy mode.
 */
public final class NativeSidecarRenderer implements SidecarRenderer {

  @Override
  public RenderedPod render(Map<String, Object> podSpec, PodPlan plan) {
    // Post sidecars are regular containers in every mode: waiting for the app, and not keeping
    // a Job from completing, needs the same hooks and markers as legacy mode.
    if (RegularSidecars.postSidecarsNeedHooks(plan)) {
      return new RegularSidecars(plan, RegularSidecars.Flavor.NATIVE).render(podSpec);
    }
    List<Map<String, Object>> init = new ArrayList<>();
    List<Map<String, Object>> app = new ArrayList<>();
    // Output trees are only printed, never modified: containers this mode leaves as they are
    // are shared with the loaded trees instead of copied for every workload.
    for (PodContainer c : plan.order()) {
      switch (c.role()) {
        case INIT, APP, POST -> (c.role() == Role.INIT ? init : app).add(c.spec());
        case PRE -> {
          Map<String, Object> sidecar = new LinkedHashMap<>(c.spec());
          sidecar.put("restartPolicy", "Always");
          if (c.ready() != null) {
            sidecar.put("startupProbe", c.ready());
          }
          init.add(sidecar);
        }
      }
    }
    Map<String, Object> spec = PodSpecs.withContainers(podSpec, init, app);
    PodSpecs.mergeVolumes(spec, plan.volumes());
    return RenderedPod.of(spec);
  }

  static Map<String, Object> nativeSidecar(PodContainer c) {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("restartPolicy", "Always");
    if (c.ready() != null) {
      extra.put("startupProbe", Trees.copy(c.ready()));
    }
    return PodSpecs.with(c.spec(), extra);
  }

  static boolean isPre(PodContainer c) {
    return c.role() == Role.PRE;
  }
}

package dev.convoy.engine.render;

import java.util.Map;

/**
 * Legacy sidecars (Kubernetes before 1.29, seeds 000 and 003): pre sidecars are regular containers
 * placed before the app containers in start order. The kubelet starts regular containers one by one
 * and waits for each one's {@code postStart} hook, so a blocking hook that polls the sidecar until
 * ready is its readiness gate. Stop order comes from {@code preStop} hooks waiting on exit markers
 * in a shared {@code emptyDir}, bounded by {@code terminationGracePeriodSeconds}. Details and
 * requirements on images: docs/modes.md.
 */
public final class LegacySidecarRenderer implements SidecarRenderer {

  @Override
  public RenderedPod render(Map<String, Object> podSpec, PodPlan plan) {
    return new RegularSidecars(plan, RegularSidecars.Flavor.LEGACY).render(podSpec);
  }
}

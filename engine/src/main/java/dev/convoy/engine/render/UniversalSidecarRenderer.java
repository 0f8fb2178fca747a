package dev.convoy.engine.render;

import java.util.Map;

/**
 * Universal sidecars (version unknown, seed 002): each pre sidecar twice, as a native sidecar
 * {@code <name>} in {@code initContainers} and as a regular container {@code <name>-legacy}, with a
 * handshake through the shared {@code emptyDir} so exactly one copy does the work. The native copy
 * exits 0 on its first start after touching {@code <name>.probe}; only a kubelet with native
 * sidecars restarts it, and then it touches {@code <name>.native} and runs. The regular copy runs
 * unless {@code <name>.native} exists, in which case it idles (restartPolicy Always) or exits 0
 * (other pods). Both carry the sidecar's resources, so the pod requests them twice. Details:
 * docs/modes.md.
 */
public final class UniversalSidecarRenderer implements SidecarRenderer {

  @Override
  public RenderedPod render(Map<String, Object> podSpec, PodPlan plan) {
    return new RegularSidecars(plan, RegularSidecars.Flavor.UNIVERSAL).render(podSpec);
  }
}

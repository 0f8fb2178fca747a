package dev.convoy.engine.render;

import dev.convoy.engine.model.Trees;
import dev.convoy.engine.order.KubeletOrder.Nodes;
import dev.convoy.engine.order.PodContainer;
import java.util.List;
import java.util.Map;

/**
 * Universal sidecars (the nodes' version unknown): each pre sidecar twice, as a native sidecar
 * {@code <name>} in {@code initContainers} and as a regular container {@code <name>-legacy}, with a
 * handshake through the shared {@code emptyDir} so exactly one copy does the work. The native copy
 * exits 0 on its first start after leaving {@code <name>.probe}; only a kubelet with native
 * sidecars restarts it, and then it leaves {@code <name>.native} and runs; its startupProbe (the
 * sidecar's {@code ready}, else one that waits for {@code <name>.native}) keeps the kubelet from
 * counting the first run as started. The regular copy runs unless {@code <name>.native} exists, in
 * which case it idles (restartPolicy Always) or exits 0 (other pods). Both carry the sidecar's
 * resources, so the pod requests them twice. Details: docs/modes.md.
 */
public final class UniversalSidecarRenderer implements SidecarRenderer {
  private static final PodRendering.Form FORM =
      new PodRendering.Form() {
        @Override
        public List<Nodes> nodes() {
          return List.of(Nodes.NATIVE_SIDECARS, Nodes.NO_NATIVE_SIDECARS);
        }

        @Override
        public void pre(PodContainer c, PodRendering pod) {
          pod.add(nativeCopy(c, pod), LegacySidecarRenderer.regularSidecar(c, pod));
        }
      };

  @Override
  public RenderedPod render(Map<String, Object> podSpec, PodPlan plan) {
    return new PodRendering(plan, FORM, podSpec).render(podSpec);
  }

  /** The native copy {@code <name>}: the native sidecar, its command wrapped in the handshake. */
  private static Map<String, Object> nativeCopy(PodContainer c, PodRendering pod) {
    Map<String, Object> m = Trees.copy(NativeSidecarRenderer.nativeSidecar(c));
    pod.mount(m);
    List<?> command = PodPlan.command(m);
    if (command != null && pod.plan.hasShell(c)) {
      m.put(
          "command",
          ShellScripts.wrap(ShellScripts.nativeCopy(c.name()), ShellScripts.HANDSHAKE, command));
    }
    if (!m.containsKey("startupProbe")) {
      Map<String, Object> probe =
          ShellScripts.execHandler(ShellScripts.nativeCopyStarted(c.name()));
      probe.put("periodSeconds", 1);
      probe.put("failureThreshold", 10);
      m.put("startupProbe", probe);
    }
    pod.facts.idleOn.put(c.name(), Nodes.NO_NATIVE_SIDECARS);
    return m;
  }
}

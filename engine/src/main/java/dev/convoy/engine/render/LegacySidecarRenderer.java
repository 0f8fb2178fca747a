package dev.convoy.engine.render;

import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.order.KubeletOrder.Nodes;
import dev.convoy.engine.order.PodContainer;
import dev.convoy.engine.render.ShellScripts.Check;
import dev.convoy.engine.render.ShellScripts.Final;
import dev.convoy.engine.render.ShellScripts.Watch;
import dev.convoy.engine.render.ShellScripts.Wrapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Legacy sidecars (Kubernetes before 1.29): pre sidecars are regular containers placed before the
 * app containers in start order. The kubelet starts regular containers one by one and waits for
 * each one's {@code postStart} hook, so a blocking hook that polls the sidecar until ready is its
 * readiness gate. Stop order comes from {@code preStop} hooks that wait, within the grace period,
 * until the containers started after the sidecar have stopped, which their wrappers mark in a
 * shared {@code emptyDir}. Native sidecars of the source become regular containers too. Details and
 * what the images need: docs/modes.md.
 */
public final class LegacySidecarRenderer implements SidecarRenderer {
  private static final PodRendering.Form FORM =
      new PodRendering.Form() {
        @Override
        public List<Nodes> nodes() {
          return List.of(Nodes.NO_NATIVE_SIDECARS);
        }

        @Override
        public void pre(PodContainer c, PodRendering pod) {
          pod.add(null, regularSidecar(c, pod));
        }
      };

  @Override
  public RenderedPod render(Map<String, Object> podSpec, PodPlan plan) {
    return new PodRendering(plan, FORM, podSpec).render(podSpec);
  }

  /**
   * A pre sidecar as a regular container: legacy mode's only copy, and universal mode's regular
   * copy {@code <name>-legacy}, whose hooks and wrapper step aside when the native copy runs.
   */
  static Map<String, Object> regularSidecar(PodContainer c, PodRendering pod) {
    String n = c.name();
    Map<String, Object> m = Trees.copy(c.spec());
    String rendered = n;
    if (pod.universal) {
      rendered = n + PodRendering.LEGACY_SUFFIX;
      m.put("name", rendered);
      pod.addCopy(rendered, c);
    } else if (PodPlan.sourceSidecar(c)) {
      // The source's native sidecar as a regular container: an API server before 1.28 rejects
      // restartPolicy on a container, and an old kubelet would wait for it to complete.
      m.remove("restartPolicy");
      pod.moved(c);
    }
    pod.mount(m);
    PolicySidecar s = pod.plan.sidecar(c);
    Check check = pod.gates.get(n);
    if (check != null) {
      pod.hook(
          m, "postStart", ShellScripts.readyGate(n, check, pod.budgets.get(n), pod.universal), c);
      pod.facts.gated.add(rendered);
    } else if (c.ready() != null && !pod.plan.hasShell(c) && !s.waitCommand().isEmpty()) {
      // No shell to poll with: the wait command itself is the hook, and must block until ready.
      Map<String, Object> exec = new LinkedHashMap<>();
      exec.put("command", new ArrayList<Object>(s.waitCommand()));
      Map<String, Object> handler = new LinkedHashMap<>();
      handler.put("exec", exec);
      pod.hook(m, "postStart", handler, c);
      pod.facts.gated.add(rendered);
    }
    List<String> later = pod.stopsBefore(c);
    if (!later.isEmpty()) {
      pod.hook(m, "preStop", ShellScripts.stopAfter(n, later, pod.stopBound(c), pod.universal), c);
      pod.facts.stopAfter.put(n, later);
    }
    if (pod.wrapped.contains(n)) {
      List<String> stopped = new ArrayList<>();
      pod.posts.stream()
          .map(PodContainer::name)
          .filter(pod.wrapped::contains)
          .forEach(stopped::add);
      List<PodContainer> pres = pod.pres;
      pres.subList(pres.indexOf(c) + 1, pres.size()).stream()
          .map(PodContainer::name)
          .filter(pod.wrapped::contains)
          .forEach(stopped::add);
      pod.wrap(
          m,
          new Wrapper(
              n,
              pod.universal
                  ? "universal handshake, regular copy of "
                      + n
                      + ": it runs only on nodes without native sidecars"
                  : "runs " + n + "'s command and marks whether it runs",
              pod.readyBefore(c),
              pod.never,
              Final.NEVER,
              false,
              pod.completes ? new Watch(pod.finalApps(), pod.never, stopped) : null,
              pod.universal ? pod.plan.podRestartPolicy() : null,
              List.of(),
              null,
              null,
              pod.universal));
    }
    return m;
  }
}

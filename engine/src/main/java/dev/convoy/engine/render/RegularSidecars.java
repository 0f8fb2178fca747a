package dev.convoy.engine.render;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.PolicySidecar.WaitForApp;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.order.PodContainer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sidecars as regular containers ordered by hooks and markers (seeds 000 and 003): the whole of
 * legacy mode, and the regular half of universal mode. Single use: one instance per pod.
 *
 * <ul>
 *   <li>A pre sidecar with {@code ready} gets a blocking {@code postStart} hook polling it (with a
 *       timeout) and touching {@code <name>.ready}: the kubelet starts the next container only once
 *       the hook returns.
 *   <li>App containers' commands are wrapped to touch {@code <app>.exited} on exit; pre sidecars
 *       get a {@code preStop} hook waiting for those markers (bounded by the grace period).
 *   <li>In pods that run to completion every sidecar's command is wrapped to stop it once every app
 *       container has exited.
 *   <li>Post sidecars wait for the app as their {@code waitForApp} says.
 * </ul>
 */
final class RegularSidecars {
  /** Suffix of universal mode's regular copy of a pre sidecar. */
  static final String LEGACY_SUFFIX = "-legacy";

  /** Which mode's pod this is. */
  enum Flavor {
    /** Pre sidecars are native; only post sidecars need hooks and markers. */
    NATIVE,
    LEGACY,
    UNIVERSAL
  }

  private final PodPlan plan;
  private final Flavor flavor;
  private final boolean universal;
  private final List<Violation> violations = new ArrayList<>();
  private final Set<String> added = new LinkedHashSet<>();
  private boolean usesRunVolume;

  RegularSidecars(PodPlan plan, Flavor flavor) {
    this.plan = plan;
    this.flavor = flavor;
    this.universal = flavor == Flavor.UNIVERSAL;
  }

  /** Whether native mode needs more than list order for this pod's post sidecars. */
  static boolean postSidecarsNeedHooks(PodPlan plan) {
    List<PodContainer> posts = plan.withRole(Role.POST);
    return (plan.runsToCompletion() && !posts.isEmpty())
        || posts.stream().anyMatch(p -> plan.sidecar(p).waitForApp() != WaitForApp.NONE);
  }

  RenderedPod render(Map<String, Object> podSpec) {
    Map<String, Role> roles = new HashMap<>();
    plan.order().forEach(c -> roles.put(c.name(), c.role()));
    for (Edge e : plan.edges()) {
      if (flavor != Flavor.NATIVE
          && e.strength() == Edge.Strength.REQUIRED
          && roles.get(e.first()) == Role.PRE
          && roles.get(e.then()) == Role.INIT) {
        String message =
            "pre sidecar "
                + e.first()
                + " must start before init container "
                + e.then()
                + " ("
                + e.origin()
                + "), which needs native sidecars: a regular container starts after every init container";
        violations.add(
            universal
                ? Violation.warning(
                    "legacy-impossible-edge",
                    message + "; on nodes without native sidecars it will not",
                    plan.workload(),
                    e.policy(),
                    e.file() != null ? e.file() : plan.file(),
                    e.file() != null ? e.line() : plan.line())
                : Violation.error(
                    "legacy-impossible-edge",
                    message,
                    plan.workload(),
                    e.policy(),
                    e.file() != null ? e.file() : plan.file(),
                    e.file() != null ? e.line() : plan.line()));
      }
    }
    List<PodContainer> pres = plan.withRole(Role.PRE);
    List<PodContainer> posts = plan.withRole(Role.POST);
    List<PodContainer> apps = plan.withRole(Role.APP);
    boolean completes = plan.runsToCompletion();
    // Native pre sidecars neither block completion nor need exit markers to stop last.
    boolean anySidecar =
        flavor == Flavor.NATIVE ? !posts.isEmpty() : !pres.isEmpty() || !posts.isEmpty();
    boolean stopOrder = flavor != Flavor.NATIVE && !pres.isEmpty();

    Map<String, Map<String, Object>> renderedApps = new LinkedHashMap<>();
    List<String> exiting = new ArrayList<>();
    for (PodContainer app : apps) {
      Map<String, Object> m = Trees.copy(app.spec());
      if (stopOrder || (completes && anySidecar)) {
        if (m.get("command") instanceof List<?> command && !command.isEmpty()) {
          m.put(
              "command",
              HookScripts.wrap(HookScripts.appExit(app.name()), HookScripts.APP_WRAPPER, command));
          mount(m);
          exiting.add(app.name());
        } else if (completes) {
          violations.add(
              Violation.error(
                  "job-needs-command",
                  "app container "
                      + app.name()
                      + " has no explicit command, so "
                      + mode()
                      + " sidecars cannot see it exit and the pod would never complete; set its command in the manifest"
                      + " (the image's entrypoint is unknown to Convoy), or render for native sidecars",
                  plan.workload(),
                  null,
                  plan.file(),
                  plan.line()));
        } else {
          violations.add(
              Violation.warning(
                  "stop-order-needs-command",
                  "app container "
                      + app.name()
                      + " has no explicit command to wrap, so pre sidecars do not wait for it to exit on shutdown; set its command"
                      + " in the manifest to keep the stop order",
                  plan.workload(),
                  null,
                  plan.file(),
                  plan.line()));
        }
      }
      renderedApps.put(app.name(), m);
    }
    appReadyHooks(posts, apps, renderedApps);

    List<Map<String, Object>> init = new ArrayList<>();
    List<Map<String, Object>> regular = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>(roles.keySet());
    for (PodContainer c : plan.order()) {
      switch (c.role()) {
        case INIT -> init.add(Trees.copy(c.spec()));
        case APP -> regular.add(renderedApps.get(c.name()));
        case PRE -> {
          if (flavor == Flavor.NATIVE) {
            init.add(NativeSidecarRenderer.nativeSidecar(c));
            continue;
          }
          if (universal) {
            init.add(nativeCopy(c));
            if (!names.add(c.name() + LEGACY_SUFFIX)) {
              violations.add(
                  Violation.error(
                      "name-clash",
                      "universal mode names the regular copy of "
                          + c.name()
                          + " '"
                          + c.name()
                          + LEGACY_SUFFIX
                          + "', which the pod already has",
                      plan.workload(),
                      c.policy(),
                      plan.file(),
                      plan.line()));
            }
            added.add(c.name() + LEGACY_SUFFIX);
          }
          regular.add(pre(c, exiting, apps, completes));
        }
        case POST -> regular.add(post(c, apps, renderedApps, completes));
      }
    }
    Map<String, Object> spec = PodSpecs.withContainers(podSpec, init, regular);
    List<Map<String, Object>> volumes = new ArrayList<>(plan.volumes());
    Set<String> addedVolumes = new LinkedHashSet<>();
    if (usesRunVolume) {
      volumes.add(RunVolume.volume());
      addedVolumes.add(RunVolume.NAME);
    }
    PodSpecs.mergeVolumes(spec, volumes);
    return new RenderedPod(spec, added, addedVolumes, violations);
  }

  private String mode() {
    return flavor.name().toLowerCase(java.util.Locale.ROOT) + "-mode";
  }

  private void mount(Map<String, Object> container) {
    RunVolume.mount(container);
    usesRunVolume = true;
  }

  /** Universal mode: the native copy, which runs only where the kubelet restarts it (seed 002). */
  private Map<String, Object> nativeCopy(PodContainer c) {
    Map<String, Object> m = NativeSidecarRenderer.nativeSidecar(c);
    mount(m);
    String n = c.name();
    String handshake =
        "if [ -f "
            + RunVolume.marker(n, "legacy")
            + " ]; then exit 0; fi; "
            + "if [ -f "
            + RunVolume.marker(n, "probe")
            + " ]; then touch "
            + RunVolume.marker(n, "native")
            + "; exec \"$@\"; fi; "
            + "touch "
            + RunVolume.marker(n, "probe")
            + "; exit 0";
    wrapCommand(c, m, handshake, HookScripts.HANDSHAKE);
    return m;
  }

  private Map<String, Object> pre(
      PodContainer c, List<String> exiting, List<PodContainer> apps, boolean completes) {
    Map<String, Object> m = Trees.copy(c.spec());
    String n = c.name();
    String nativeRuns = "[ -f " + RunVolume.marker(n, "native") + " ]";
    if (universal) {
      m.put("name", n + LEGACY_SUFFIX);
      String idle =
          "Always".equals(plan.podRestartPolicy())
              ? "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"
              : "exit 0";
      wrapCommand(
          c,
          m,
          "if "
              + nativeRuns
              + "; then "
              + idle
              + "; fi; touch "
              + RunVolume.marker(n, "legacy")
              + "; exec \"$@\"",
          HookScripts.HANDSHAKE);
    }
    mount(m);
    PolicySidecar s = plan.sidecar(c);
    if (c.ready() != null) {
      String check = waitCommand(c, s);
      if (check != null) {
        String gate =
            universal
                ? "if ! "
                    + nativeRuns
                    + "; then "
                    + HookScripts.pollLoop(n, check, s.readyTimeoutSeconds())
                    + "; fi; touch "
                    + RunVolume.marker(n, "ready")
                : HookScripts.readyGate(n, check, s.readyTimeoutSeconds());
        hook(c, m, "postStart", gate);
      }
    }
    if (!exiting.isEmpty()) {
      hook(
          c,
          m,
          "preStop",
          (universal ? "if " + nativeRuns + "; then exit 0; fi; " : "")
              + HookScripts.awaitExits(exiting));
    }
    if (completes) {
      jobWrap(c, m, apps);
    }
    return m;
  }

  private Map<String, Object> post(
      PodContainer c,
      List<PodContainer> apps,
      Map<String, Map<String, Object>> renderedApps,
      boolean completes) {
    Map<String, Object> m = Trees.copy(c.spec());
    PolicySidecar s = plan.sidecar(c);
    if (s.waitForApp() == WaitForApp.WRAPPER) {
      List<String> checks = new ArrayList<>();
      for (PodContainer app : apps) {
        String check = appCheck(app, c);
        if (check != null) {
          checks.add(check);
        }
      }
      if (!checks.isEmpty()) {
        wrapCommand(
            c,
            m,
            HookScripts.waitThenExec(
                "the app", String.join(" && ", checks), s.readyTimeoutSeconds()),
            HookScripts.WAIT_WRAPPER);
      }
    }
    if (completes) {
      mount(m);
      jobWrap(c, m, apps);
    }
    return m;
  }

  /** waitForApp: hook — a blocking postStart on every app container that has a probe. */
  private void appReadyHooks(
      List<PodContainer> posts,
      List<PodContainer> apps,
      Map<String, Map<String, Object>> renderedApps) {
    PodContainer first =
        posts.stream()
            .filter(p -> plan.sidecar(p).waitForApp() == WaitForApp.HOOK)
            .findFirst()
            .orElse(null);
    if (first == null) {
      return;
    }
    int timeout =
        posts.stream()
            .filter(p -> plan.sidecar(p).waitForApp() == WaitForApp.HOOK)
            .mapToInt(p -> plan.sidecar(p).readyTimeoutSeconds())
            .max()
            .orElse(PolicySidecar.DEFAULT_READY_TIMEOUT_SECONDS);
    for (PodContainer app : apps) {
      String check = appCheck(app, first);
      if (check == null) {
        continue;
      }
      Map<String, Object> m = renderedApps.get(app.name());
      Map<String, Object> lifecycle = Trees.map(m, "lifecycle");
      if (lifecycle != null && lifecycle.containsKey("postStart")) {
        violations.add(
            Violation.warning(
                "app-hook-conflict",
                "app container "
                    + app.name()
                    + " has its own postStart hook, so "
                    + first.name()
                    + " (waitForApp: hook) cannot wait for it to be ready; only list order holds",
                plan.workload(),
                first.policy(),
                plan.file(),
                plan.line()));
        continue;
      }
      if (lifecycle == null) {
        lifecycle = new LinkedHashMap<>();
        m.put("lifecycle", lifecycle);
      }
      lifecycle.put(
          "postStart",
          HookScripts.execHandler(
              HookScripts.APP_HOOK_TAG + "\n" + HookScripts.readyGate(app.name(), check, timeout)));
      mount(m);
    }
  }

  /**
   * The shell check of an app container's readiness, or null (with a warning) when it has no probe.
   */
  private String appCheck(PodContainer app, PodContainer sidecar) {
    Map<String, Object> probe = Trees.map(app.spec(), "readinessProbe");
    if (probe == null) {
      probe = Trees.map(app.spec(), "startupProbe");
    }
    if (probe == null) {
      violations.add(
          Violation.warning(
              "app-has-no-probe",
              "app container "
                  + app.name()
                  + " has no readinessProbe or startupProbe, so "
                  + sidecar.name()
                  + " (waitForApp: "
                  + plan.sidecar(sidecar).waitForApp().yamlName()
                  + ") cannot wait for it to be ready",
              plan.workload(),
              sidecar.policy(),
              plan.file(),
              plan.line()));
      return null;
    }
    ProbeCommand check = ProbeCommand.of(probe, app.spec());
    if (check instanceof ProbeCommand.Command cmd) {
      return cmd.text();
    }
    violations.add(
        Violation.warning(
            "app-probe-unsupported",
            "cannot poll app container "
                + app.name()
                + "'s probe: "
                + ((ProbeCommand.Unsupported) check).reason()
                + "; "
                + sidecar.name()
                + " starts after it in list order only",
            plan.workload(),
            sidecar.policy(),
            plan.file(),
            plan.line()));
    return null;
  }

  /** The sidecar's own check: its waitCommand, else one derived from its ready probe. */
  private String waitCommand(PodContainer c, PolicySidecar s) {
    if (!s.waitCommand().isEmpty()) {
      return HookScripts.join(s.waitCommand());
    }
    ProbeCommand check = ProbeCommand.of(c.ready(), c.spec());
    if (check instanceof ProbeCommand.Command cmd) {
      return cmd.text();
    }
    violations.add(
        Violation.error(
            "ready-needs-wait-command",
            "sidecar "
                + c.name()
                + ": "
                + ((ProbeCommand.Unsupported) check).reason()
                + "; set waitCommand so "
                + mode()
                + " can hold the next container until it is ready",
            plan.workload(),
            c.policy(),
            plan.file(),
            plan.line()));
    return null;
  }

  private void jobWrap(PodContainer c, Map<String, Object> m, List<PodContainer> apps) {
    if (apps.isEmpty()) {
      return;
    }
    mount(m);
    List<String> names = apps.stream().map(PodContainer::name).toList();
    if (!(m.get("command") instanceof List<?> command) || command.isEmpty()) {
      violations.add(
          Violation.error(
              "job-needs-command",
              "sidecar "
                  + c.name()
                  + " has no explicit command, so "
                  + mode()
                  + " cannot stop it when the app containers exit and the pod would never complete; set container.command in the"
                  + " policy",
              plan.workload(),
              c.policy(),
              plan.file(),
              plan.line()));
      return;
    }
    m.put(
        "command",
        HookScripts.wrap(HookScripts.jobSidecar(names), HookScripts.JOB_WRAPPER, command));
  }

  private void wrapCommand(PodContainer c, Map<String, Object> m, String script, String name) {
    if (!(m.get("command") instanceof List<?> command) || command.isEmpty()) {
      violations.add(
          Violation.error(
              "universal-needs-command",
              "sidecar "
                  + c.name()
                  + " has no explicit command to wrap in "
                  + (name.equals(HookScripts.HANDSHAKE)
                      ? "the universal-mode handshake"
                      : "its wait for the app")
                  + "; set container.command in the policy",
              plan.workload(),
              c.policy(),
              plan.file(),
              plan.line()));
      return;
    }
    m.put("command", HookScripts.wrap(script, name, command));
  }

  private void hook(PodContainer c, Map<String, Object> m, String event, String script) {
    Map<String, Object> lifecycle = Trees.map(m, "lifecycle");
    if (lifecycle == null) {
      lifecycle = new LinkedHashMap<>();
      m.put("lifecycle", lifecycle);
    }
    if (lifecycle.containsKey(event)) {
      violations.add(
          Violation.error(
              "hook-conflict",
              "sidecar "
                  + c.name()
                  + " has its own "
                  + event
                  + " hook, which "
                  + mode()
                  + " needs for ordering",
              plan.workload(),
              c.policy(),
              plan.file(),
              plan.line()));
      return;
    }
    lifecycle.put(event, HookScripts.execHandler(script));
  }
}

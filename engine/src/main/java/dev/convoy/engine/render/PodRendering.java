package dev.convoy.engine.render;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.PolicySidecar.WaitForApp;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.order.KubeletOrder;
import dev.convoy.engine.order.KubeletOrder.Nodes;
import dev.convoy.engine.order.PodContainer;
import dev.convoy.engine.render.ShellScripts.Check;
import dev.convoy.engine.render.ShellScripts.Final;
import dev.convoy.engine.render.ShellScripts.Watch;
import dev.convoy.engine.render.ShellScripts.Wrapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One pod being rendered: what every sidecar mode does alike (app containers, post sidecars, the
 * hooks and markers of regular sidecars, pods that run to completion, the volume, the kubelet's
 * order), around how the mode's {@link Form} renders pre sidecars. Single use: one per pod.
 *
 * <ul>
 *   <li>A regular pre sidecar with {@code ready} gets a blocking {@code postStart} hook polling it
 *       for what the probe allows as a startupProbe ({@link GateBudget}), leaving {@code
 *       <name>.ready}: the kubelet starts the next container only once it returns.
 *   <li>Containers whose exit others wait for run under a wrapper ({@link ShellScripts#wrapper})
 *       that keeps {@code <name>.running} while the process runs, passes signals and stdin on, and
 *       waits for the gates of the pre sidecars before it starts the process. A regular pre sidecar
 *       gets a {@code preStop} hook that waits until the containers started after it have stopped,
 *       within the grace period.
 *   <li>In pods that run to completion the wrappers of app containers leave {@code <name>.done}
 *       when an exit is final under the pod's restartPolicy (and a heartbeat under Never), and the
 *       sidecars' wrappers stop their process once the apps are done.
 *   <li>Post sidecars wait for the app as their {@code waitForApp} says.
 * </ul>
 */
final class PodRendering {
  /** Suffix of universal mode's regular copy of a pre sidecar. */
  static final String LEGACY_SUFFIX = "-legacy";

  /**
   * The kubelet gives a container at least this long after its preStop hook returned; each pre
   * sidecar stops this much earlier than the one started before it.
   */
  static final int STOP_STEP_SECONDS = 2;

  /** How a mode renders pre sidecars: the part of a pod each {@link SidecarRenderer} owns. */
  interface Form {
    /** The kinds of node the rendered pod must run on, in the order they are reported. */
    List<Nodes> nodes();

    /** Adds the containers that make one pre sidecar real, in start order. */
    void pre(PodContainer c, PodRendering pod);
  }

  final PodPlan plan;
  private final Form form;
  final List<Violation> violations = new ArrayList<>();
  final List<Map<String, Object>> init = new ArrayList<>();
  final List<Map<String, Object>> regular = new ArrayList<>();
  private final Set<String> added = new LinkedHashSet<>();
  private final Map<String, Integer> moved = new LinkedHashMap<>();
  private boolean usesRunVolume;

  private final boolean regularPres;
  final boolean universal;
  final boolean completes;
  final boolean never;
  private final int grace;
  private final Map<String, Role> roles = new HashMap<>();
  private final Set<String> names = new HashSet<>();
  final List<PodContainer> pres;
  private final List<PodContainer> apps;
  final List<PodContainer> posts;

  /** Containers whose {@code .running} marker others can wait for. */
  final Set<String> wrapped = new HashSet<>();

  /** Pre sidecars whose ready gate leaves {@code .ready}, with their check. */
  final Map<String, Check> gates = new LinkedHashMap<>();

  /** The bound of each gate, by the container it polls. */
  final Map<String, GateBudget> budgets = new HashMap<>();

  /** What the kubelet order needs to know about the rendered containers. */
  final KubeletOrders.Facts facts = new KubeletOrders.Facts();

  PodRendering(PodPlan plan, Form form, Map<String, Object> podSpec) {
    this.plan = plan;
    this.form = form;
    this.regularPres = form.nodes().contains(Nodes.NO_NATIVE_SIDECARS);
    this.universal = regularPres && form.nodes().contains(Nodes.NATIVE_SIDECARS);
    this.completes = plan.runsToCompletion();
    this.never = "Never".equals(plan.podRestartPolicy());
    this.grace = PodPlan.gracePeriod(podSpec);
    plan.order().forEach(c -> roles.put(c.name(), c.role()));
    names.addAll(roles.keySet());
    this.pres = plan.withRole(Role.PRE);
    this.apps = plan.withRole(Role.APP);
    this.posts = plan.withRole(Role.POST);
  }

  /**
   * @param podSpec the pod spec as loaded: read, never modified
   */
  RenderedPod render(Map<String, Object> podSpec) {
    if (regularPres) {
      edgesToInitContainers();
    }
    decideWrapped();
    if (regularPres) {
      pres.forEach(this::gate);
    }
    Map<String, Map<String, Object>> renderedApps = new LinkedHashMap<>();
    for (PodContainer app : apps) {
      renderedApps.put(app.name(), app(app));
    }
    appReadyHook(renderedApps);
    for (PodContainer c : plan.order()) {
      switch (c.role()) {
        case INIT -> init.add(c.spec());
        case APP -> regular.add(renderedApps.get(c.name()));
        case PRE -> form.pre(c, this);
        case POST -> regular.add(post(c));
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
    List<KubeletOrder> orders = new ArrayList<>();
    for (Nodes nodes : form.nodes()) {
      orders.add(KubeletOrders.of(plan, spec, nodes, facts));
    }
    return new RenderedPod(spec, added, addedVolumes, moved, violations, orders);
  }

  // ---- what takes part ----

  /**
   * Which containers run under a wrapper. Regular pre sidecars stop after the app containers and
   * post sidecars and after the pre sidecars started after them, so all those mark their exit; in a
   * pod that runs to completion every container the pod's end depends on does.
   */
  private void decideWrapped() {
    boolean stopOrder = regularPres && !pres.isEmpty();
    boolean jobSidecars = completes && (!posts.isEmpty() || stopOrder);
    for (PodContainer app : apps) {
      if (stopOrder || jobSidecars) {
        canWrap(app, completes, "app container " + app.name());
      }
    }
    for (PodContainer post : posts) {
      if (stopOrder || completes || plan.sidecar(post).waitForApp() == WaitForApp.WRAPPER) {
        canWrap(post, completes, "sidecar " + post.name());
      }
    }
    if (regularPres) {
      for (int i = 0; i < pres.size(); i++) {
        PodContainer pre = pres.get(i);
        if (completes || universal || i > 0) {
          canWrap(pre, completes || universal, "sidecar " + pre.name());
        }
      }
    }
  }

  /** Records whether the container can be wrapped, with the violation when it cannot. */
  private void canWrap(PodContainer c, boolean required, String what) {
    boolean command = PodPlan.command(c.spec()) != null;
    boolean shell = plan.hasShell(c);
    if (command && shell) {
      wrapped.add(c.name());
      return;
    }
    String set =
        c.injected() ? "set container.command in the policy" : "set its command in the manifest";
    String noShell =
        " has no shell in its image (" + ImageShells.ANNOTATION + " or noShell: true), so ";
    if (universal && c.role() == Role.PRE) {
      violations.add(
          command
              ? error(
                  "universal-needs-shell",
                  what
                      + noShell
                      + "universal mode cannot wrap it in the handshake that runs one copy per node;"
                      + " render it for native or legacy sidecars",
                  c)
              : error(
                  "universal-needs-command",
                  what + " has no explicit command to wrap in the universal-mode handshake; " + set,
                  c));
    } else if (required && c.role() == Role.APP) {
      violations.add(
          command
              ? error(
                  "job-needs-shell",
                  what
                      + noShell
                      + mode()
                      + " sidecars cannot see it exit and the pod would never complete; render for"
                      + " native sidecars",
                  c)
              : error(
                  "job-needs-command",
                  what
                      + " has no explicit command, so "
                      + mode()
                      + " sidecars cannot see it exit and the pod would never complete; set its command"
                      + " in the manifest (the image's entrypoint is unknown to Convoy), or render for"
                      + " native sidecars",
                  c));
    } else if (required) {
      violations.add(
          command
              ? error(
                  "job-needs-shell",
                  what
                      + noShell
                      + mode()
                      + " cannot stop it when the app containers exit and the pod would never complete",
                  c)
              : error(
                  "job-needs-command",
                  what
                      + " has no explicit command, so "
                      + mode()
                      + " cannot stop it when the app containers exit and the pod would never complete; "
                      + set,
                  c));
    } else {
      String who = c.role() == Role.APP ? "pre sidecars" : "the pre sidecars started before it";
      violations.add(
          command
              ? warning(
                  "stop-order-needs-shell",
                  what + noShell + who + " do not wait for it to exit on shutdown",
                  c)
              : warning(
                  "stop-order-needs-command",
                  what
                      + " has no explicit command to wrap, so "
                      + who
                      + " do not wait for it to exit on shutdown; "
                      + set
                      + " to keep the stop order",
                  c));
    }
  }

  /** A required edge from a pre sidecar to an init container needs native sidecars. */
  private void edgesToInitContainers() {
    for (Edge e : plan.edges()) {
      if (e.strength() == Edge.Strength.REQUIRED
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
        String file = e.file() != null ? e.file() : plan.file();
        int line = e.file() != null ? e.line() : plan.line();
        violations.add(
            universal
                ? Violation.warning(
                    "legacy-impossible-edge",
                    message + "; on nodes without native sidecars it will not",
                    plan.workload(),
                    e.policy(),
                    file,
                    line)
                : Violation.error(
                    "legacy-impossible-edge", message, plan.workload(), e.policy(), file, line));
      }
    }
  }

  // ---- app containers and post sidecars ----

  private Map<String, Object> app(PodContainer app) {
    Map<String, Object> m = Trees.copy(app.spec());
    if (wrapped.contains(app.name())) {
      Final exits =
          !completes
              ? Final.NEVER
              : switch (plan.podRestartPolicy()) {
                case "Never" -> Final.ANY;
                case "OnFailure" -> Final.SUCCESS;
                default -> Final.NEVER;
              };
      boolean watched = !posts.isEmpty() || regularPres && !pres.isEmpty();
      wrap(
          m,
          new Wrapper(
              app.name(),
              "runs " + app.name() + "'s command and marks whether it runs for the pod's sidecars",
              readyBefore(app),
              never,
              exits,
              never && completes && watched,
              null,
              null,
              List.of(),
              null,
              null,
              universal));
    }
    return m;
  }

  private Map<String, Object> post(PodContainer c) {
    Map<String, Object> m = Trees.copy(c.spec());
    if (!wrapped.contains(c.name())) {
      return m;
    }
    List<Check> checks =
        plan.sidecar(c).waitForApp() == WaitForApp.WRAPPER ? appChecks(c, null) : List.of();
    wrap(
        m,
        new Wrapper(
            c.name(),
            checks.isEmpty()
                ? "runs " + c.name() + "'s command and marks whether it runs"
                : "starts " + c.name() + "'s command once the app containers are ready",
            List.of(),
            false,
            Final.NEVER,
            false,
            completes ? new Watch(finalApps(), never, List.of()) : null,
            null,
            checks,
            budget(checks),
            c.name(),
            universal));
    return m;
  }

  /** waitForApp: hook: the last app container to start polls every app container's probe. */
  private void appReadyHook(Map<String, Map<String, Object>> renderedApps) {
    List<PodContainer> waiting =
        posts.stream().filter(p -> plan.sidecar(p).waitForApp() == WaitForApp.HOOK).toList();
    if (waiting.isEmpty() || apps.isEmpty()) {
      return;
    }
    PodContainer host = apps.get(apps.size() - 1);
    PodContainer first = waiting.get(0);
    if (!plan.hasShell(host)) {
      violations.add(
          warning(
              "app-hook-needs-shell",
              "app container "
                  + host.name()
                  + " (the last to start) has no shell in its image, so "
                  + first.name()
                  + " (waitForApp: hook) cannot wait for the app containers to be ready; only list order holds",
              first));
      return;
    }
    Map<String, Object> m = renderedApps.get(host.name());
    Map<String, Object> lifecycle = Trees.map(m, "lifecycle");
    if (lifecycle != null && lifecycle.containsKey("postStart")) {
      violations.add(
          warning(
              "app-hook-conflict",
              "app container "
                  + host.name()
                  + " has its own postStart hook, so "
                  + first.name()
                  + " (waitForApp: hook) cannot wait for the app containers to be ready; only list order holds",
              first));
      return;
    }
    List<Check> checks = appChecks(first, host);
    if (checks.isEmpty()) {
      return;
    }
    hook(
        m,
        "postStart",
        ShellScripts.appReadyGate(
            checks, budget(checks), waiting.stream().map(PodContainer::name).toList()));
    mount(m);
    facts.gated.add(host.name());
  }

  /**
   * The checks of every app container's readinessProbe (else startupProbe), run in {@code host}'s
   * container (the sidecar's own when null): another container can reach only network probes.
   */
  private List<Check> appChecks(PodContainer sidecar, PodContainer host) {
    List<Check> out = new ArrayList<>();
    for (PodContainer app : apps) {
      Map<String, Object> probe = Trees.map(app.spec(), "readinessProbe");
      if (probe == null) {
        probe = Trees.map(app.spec(), "startupProbe");
      }
      String wait = plan.sidecar(sidecar).waitForApp().yamlName();
      if (probe == null) {
        violations.add(
            warning(
                "app-has-no-probe",
                "app container "
                    + app.name()
                    + " has no readinessProbe or startupProbe, so "
                    + sidecar.name()
                    + " (waitForApp: "
                    + wait
                    + ") cannot wait for it to be ready",
                sidecar));
        continue;
      }
      ProbeCheck check = ProbeCheck.of(probe, app.spec());
      String why =
          check instanceof ProbeCheck.Unsupported u
              ? u.reason()
              : !check.network() && (host == null || !host.name().equals(app.name()))
                  ? "an exec probe runs in its own container only, and this check runs in "
                      + (host == null ? sidecar.name() : host.name())
                  : null;
      if (why != null) {
        violations.add(
            warning(
                "app-probe-unsupported",
                "cannot poll app container "
                    + app.name()
                    + "'s probe: "
                    + why
                    + "; "
                    + sidecar.name()
                    + " starts after it in list order only",
                sidecar));
        continue;
      }
      GateBudget b = GateBudget.of(probe, 0);
      budgets.put(app.name(), b);
      out.add(new Check(app.name(), check, b.checkSeconds()));
    }
    return out;
  }

  private GateBudget budget(List<Check> checks) {
    GateBudget out = new GateBudget(0, 1);
    for (Check c : checks) {
      out = out.max(budgets.get(c.container()));
    }
    return out;
  }

  // ---- pre sidecars ----

  /** The ready gate of a regular pre sidecar: its check, or an error when it has none. */
  private void gate(PodContainer c) {
    if (c.ready() == null) {
      return;
    }
    PolicySidecar s = plan.sidecar(c);
    GateBudget budget = GateBudget.of(c.ready(), s.readyTimeoutSeconds());
    budgets.put(c.name(), budget);
    if (!plan.hasShell(c)) {
      if (s.waitCommand().isEmpty()) {
        violations.add(
            error(
                "ready-needs-shell",
                "sidecar "
                    + c.name()
                    + " has no shell in its image, so "
                    + mode()
                    + " cannot poll its ready probe from a hook; set waitCommand to a program in the image that"
                    + " exits 0 once it is ready, or render for native sidecars",
                c));
      }
      return;
    }
    if (!s.waitCommand().isEmpty()) {
      gates.put(
          c.name(), new Check(c.name(), new ProbeCheck.Exec(s.waitCommand()), budget.seconds()));
      return;
    }
    ProbeCheck check = ProbeCheck.of(c.ready(), c.spec());
    if (check instanceof ProbeCheck.Unsupported u) {
      violations.add(
          error(
              "ready-needs-wait-command",
              "sidecar "
                  + c.name()
                  + ": "
                  + u.reason()
                  + "; set waitCommand so "
                  + mode()
                  + " can hold the next container until it is ready",
              c));
      return;
    }
    gates.put(c.name(), new Check(c.name(), check, budget.checkSeconds()));
  }

  /**
   * The containers a regular pre sidecar must outlive, as the kubelet orders native sidecars: the
   * app containers, the post sidecars, and the pre sidecars started after it; only those whose exit
   * can be seen.
   */
  List<String> stopsBefore(PodContainer c) {
    List<String> out = new ArrayList<>();
    for (PodContainer x : apps) {
      if (wrapped.contains(x.name())) {
        out.add(x.name());
      }
    }
    for (PodContainer x : posts) {
      if (wrapped.contains(x.name())) {
        out.add(x.name());
      }
    }
    int at = pres.indexOf(c);
    for (PodContainer x : pres.subList(at + 1, pres.size())) {
      if (wrapped.contains(x.name())) {
        out.add(x.name());
      }
    }
    return out;
  }

  /**
   * How long a pre sidecar's preStop may wait: the grace period, less {@value #STOP_STEP_SECONDS} s
   * for itself and for each pre sidecar started after it (they stop first).
   */
  int stopBound(PodContainer c) {
    int at = pres.indexOf(c);
    int after =
        (int)
            pres.subList(at + 1, pres.size()).stream()
                .filter(x -> wrapped.contains(x.name()))
                .count();
    return Math.max(0, grace - STOP_STEP_SECONDS * (after + 1));
  }

  /** Regular pre sidecars with a ready gate this container starts after (their .ready). */
  List<String> readyBefore(PodContainer c) {
    if (!regularPres) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Edge e : plan.edges()) {
      if (e.then().equals(c.name()) && gates.containsKey(e.first()) && !out.contains(e.first())) {
        out.add(e.first());
      }
    }
    return out;
  }

  List<String> finalApps() {
    return apps.stream().map(PodContainer::name).filter(wrapped::contains).toList();
  }

  // ---- tree edits ----

  void wrap(Map<String, Object> m, Wrapper w) {
    m.put(
        "command",
        ShellScripts.wrap(ShellScripts.wrapper(w), ShellScripts.WRAPPER, PodPlan.command(m)));
    mount(m);
  }

  void mount(Map<String, Object> container) {
    RunVolume.mount(container);
    usesRunVolume = true;
  }

  private void hook(Map<String, Object> m, String event, String script) {
    hook(m, event, ShellScripts.execHandler(script), null);
  }

  void hook(Map<String, Object> m, String event, String script, PodContainer c) {
    hook(m, event, ShellScripts.execHandler(script), c);
  }

  void hook(Map<String, Object> m, String event, Map<String, Object> handler, PodContainer c) {
    Map<String, Object> lifecycle = Trees.map(m, "lifecycle");
    if (lifecycle == null) {
      lifecycle = new LinkedHashMap<>();
      m.put("lifecycle", lifecycle);
    }
    if (c != null && lifecycle.containsKey(event)) {
      violations.add(
          error(
              "hook-conflict",
              "sidecar "
                  + c.name()
                  + " has its own "
                  + event
                  + " hook, which "
                  + mode()
                  + " needs for ordering",
              c));
      return;
    }
    lifecycle.put(event, handler);
  }

  /**
   * Records a container the renderer adds besides the plan's (universal mode's regular copy); an
   * error when the pod already has a container of that name.
   */
  void addCopy(String copy, PodContainer of) {
    if (!names.add(copy)) {
      violations.add(
          error(
              "name-clash",
              "universal mode names the regular copy of "
                  + of.name()
                  + " '"
                  + copy
                  + "', which the pod already has",
              of));
    }
    added.add(copy);
    facts.copies.put(copy, of.name());
    facts.idleOn.put(copy, Nodes.NATIVE_SIDECARS);
  }

  /** Records a native sidecar of the source rendered as a regular container. */
  void moved(PodContainer c) {
    moved.put(c.name(), c.sourceIndex());
  }

  void add(Map<String, Object> initContainer, Map<String, Object> regularContainer) {
    if (initContainer != null) {
      init.add(initContainer);
    }
    if (regularContainer != null) {
      regular.add(regularContainer);
    }
  }

  String mode() {
    return (universal ? "universal" : regularPres ? "legacy" : "native") + "-mode";
  }

  Violation error(String code, String message, PodContainer c) {
    return Violation.error(code, message, plan.workload(), c.policy(), plan.file(), plan.line());
  }

  private Violation warning(String code, String message, PodContainer c) {
    return Violation.warning(code, message, plan.workload(), c.policy(), plan.file(), plan.line());
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}

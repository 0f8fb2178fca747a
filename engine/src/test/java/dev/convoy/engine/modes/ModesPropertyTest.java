package dev.convoy.engine.modes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.kubelet.KubeletModel;
import dev.convoy.engine.kubelet.KubeletModel.Nodes;
import dev.convoy.engine.kubelet.KubeletModel.Phase;
import dev.convoy.engine.kubelet.StartEvent;
import dev.convoy.engine.kubelet.StartTrace;
import dev.convoy.engine.kubelet.StopTrace;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.PolicySidecar.WaitForApp;
import dev.convoy.engine.model.Position;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.order.KubeletOrder;
import dev.convoy.engine.order.OrderResult;
import dev.convoy.engine.order.PodContainer;
import dev.convoy.engine.order.StartOrder;
import dev.convoy.engine.render.PodPlan;
import dev.convoy.engine.render.RenderedPod;
import dev.convoy.engine.render.SidecarRenderer;
import dev.convoy.engine.resources.EffectiveResources;
import dev.convoy.engine.resources.ResourceName;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random pods and policies, rendered in every sidecar mode, run in the kubelet model on every kind
 * of node the mode renders for, through restarts and failures: every edge of the sorted start order
 * holds in the rendered pod (or the report says it does not, and why); after an app or a sidecar
 * crashed and was restarted, pre sidecars still stop after the containers started after them; pods
 * that must complete do, after a failed try under OnFailure (the sidecars still there for the
 * retry) and after a group OOM kill under Never; universal mode runs one copy of each pre sidecar
 * on either kind of node and never restarts a native copy in a loop; and the effective requests
 * match a computation written here from the KEP-753 rule. The renderers get unmodifiable inputs, so
 * one that modified what it reads would fail here. Reproduce a failure with {@code
 * -Dconvoy.modes.seed=N}; {@code -Dconvoy.modes.cases=N} runs more.
 */
class ModesPropertyTest {
  private static final long SEED = Long.getLong("convoy.modes.seed", 20240529L);
  private static final int CASES = Integer.getInteger("convoy.modes.cases", 600);
  private static final String W = "prop/Deployment/default/w";
  private static final String COPY = "-legacy";

  private int checkedEdges;
  private int restarts;
  private int completions;
  private int oomKills;
  private int retries;

  @Test
  void everyEdgeHoldsInEveryModeThroughRestartsAndFailures() {
    Random seeds = new Random(SEED);
    for (int n = 0; n < CASES; n++) {
      long seed = seeds.nextLong();
      Generated g = generate(new Random(seed));
      String where = "case " + n + " (seed " + SEED + ", case seed " + seed + "): ";
      OrderResult order = StartOrder.sort(W, g.containers, g.edges);
      if (!(order instanceof OrderResult.Sorted sorted)) {
        throw new AssertionError(where + "generator made a cycle: " + order);
      }
      PodPlan plan =
          new PodPlan(
              W,
              g.kind,
              g.restartPolicy,
              frozen(sorted.order()),
              sorted.edges(),
              List.of(),
              new TreeMap<>(Map.of("p", "r1")),
              g.sidecars,
              g.noShell,
              "w.yaml",
              1);
      for (SidecarMode mode :
          List.of(SidecarMode.NATIVE, SidecarMode.LEGACY, SidecarMode.UNIVERSAL)) {
        String at =
            where
                + mode.yamlName()
                + " mode, order "
                + sorted.names()
                + ", edges "
                + sorted.edges()
                + ", no shell "
                + g.noShell
                + ": ";
        try {
          check(g, plan, mode, new Random(seed ^ mode.ordinal()));
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(at + e.getMessage(), e);
        }
      }
    }
    assertThat(checkedEdges).as("edges checked").isGreaterThan(CASES);
    assertThat(restarts).as("pods stopped after a restart").isGreaterThan(CASES / 4);
    assertThat(completions).as("pods that ran to completion").isGreaterThan(CASES / 4);
    assertThat(oomKills).as("group OOM kills in pods that complete").isGreaterThan(CASES / 20);
    assertThat(retries).as("OnFailure retries").isGreaterThan(CASES / 20);
  }

  private void check(Generated g, PodPlan plan, SidecarMode mode, Random r) {
    Map<String, Object> source = frozen(g.podSpec());
    RenderedPod pod = SidecarRenderer.forMode(mode).render(source, plan);
    assertThat(source).as("the renderer left its input as it was").isEqualTo(g.podSpec());
    List<Violation> errors =
        pod.violations().stream().filter(v -> v.severity() == Severity.ERROR).toList();
    Set<String> expected = expectedErrors(g, plan, mode);
    assertThat(errors.stream().map(Violation::code).distinct().sorted().toList())
        .as("errors " + errors)
        .isEqualTo(expected.stream().sorted().toList());
    if (!errors.isEmpty()) {
      return;
    }
    Map<String, Object> spec = pod.spec();
    List<Nodes> kinds =
        switch (mode) {
          case NATIVE -> List.of(Nodes.NATIVE_SIDECARS);
          case LEGACY -> List.of(Nodes.NO_NATIVE_SIDECARS);
          default -> List.of(Nodes.NATIVE_SIDECARS, Nodes.NO_NATIVE_SIDECARS);
        };
    assertThat(pod.kubelet()).as("one kubelet order per kind of node").hasSize(kinds.size());
    for (int k = 0; k < kinds.size(); k++) {
      Nodes nodes = kinds.get(k);
      KubeletOrder report = pod.kubelet().get(k);
      boolean regularPres = nodes == Nodes.NO_NATIVE_SIDECARS;
      String on = nodes + ": ";
      KubeletModel model = KubeletModel.of(spec, nodes);
      StartTrace trace = model.start();
      assertThat(trace.completed()).as(on + "start-up completes: " + trace).isTrue();
      assertThat(report.names())
          .as(on + "the report's start order is the kubelet's")
          .isEqualTo(trace.startOrder());
      checkedEdges += checkStart(plan, mode, trace, report, regularPres, on);
      if (mode == SidecarMode.UNIVERSAL) {
        checkOneCopy(plan, model, nodes, on);
      }
      if (plan.runsToCompletion()) {
        checkCompletion(plan, model, nodes, r, on);
      } else {
        crashOneContainer(plan, model, nodes, r);
        checkStop(plan, model.delete(), report, regularPres, on);
      }
    }
    checkResources(spec);
  }

  // ---- start ----

  /**
   * Every edge holds as the kubelet runs the pod, or the renderer's report lists it as one these
   * nodes cannot honour; and the report lists no edge that holds.
   */
  private int checkStart(
      PodPlan plan,
      SidecarMode mode,
      StartTrace trace,
      KubeletOrder report,
      boolean regularPres,
      String on) {
    Set<String> unhonoured = new HashSet<>();
    report.unhonoured().stream()
        .filter(u -> u.phase() == KubeletOrder.Phase.START)
        .forEach(u -> unhonoured.add(u.first() + ">" + u.then()));
    Set<String> violated = new HashSet<>();
    int checked = 0;
    for (Edge e : plan.edges()) {
      PodContainer a = container(plan, e.first());
      PodContainer b = container(plan, e.then());
      boolean universalCopies = mode == SidecarMode.UNIVERSAL && regularPres;
      String aName = universalCopies && a.role() == Role.PRE ? a.name() + COPY : a.name();
      String bName = universalCopies && b.role() == Role.PRE ? b.name() + COPY : b.name();
      boolean holds;
      if (a.role() == Role.INIT) {
        holds = trace.readyBefore(aName, bName);
      } else if (a.role() == Role.PRE && a.ready() != null) {
        holds = readyEventBefore(trace, a.name(), bName);
      } else if (a.role() == Role.PRE && !regularPres) {
        holds = trace.readyBefore(aName, bName);
      } else if (appHook(plan, a, b)) {
        holds = readyEventBefore(trace, a.name(), bName);
      } else {
        holds = trace.startedBefore(aName, bName);
      }
      if (!holds) {
        violated.add(e.first() + ">" + e.then());
      }
      checked++;
    }
    assertThat(violated)
        .as(
            on
                + "edges that do not hold, against the report's "
                + report.unhonoured()
                + " in "
                + trace)
        .isEqualTo(unhonoured);
    for (String u : unhonoured) {
      assertThat(u)
          .as(on + "only a regular pre sidecar before an init container")
          .satisfies(
              x -> {
                String[] ab = x.split(">");
                assertThat(container(plan, ab[0]).role()).isEqualTo(Role.PRE);
                assertThat(container(plan, ab[1]).role()).isEqualTo(Role.INIT);
              });
    }
    return checked;
  }

  /** waitForApp: hook gates on the last app container, for the app containers it can poll. */
  private static boolean appHook(PodPlan plan, PodContainer a, PodContainer b) {
    List<PodContainer> apps = plan.withRole(Role.APP);
    PodContainer host = apps.get(apps.size() - 1);
    return a.role() == Role.APP
        && b.role() == Role.POST
        && plan.sidecar(b).waitForApp() == WaitForApp.HOOK
        && plan.hasShell(host)
        && !host.spec().containsKey("lifecycle")
        && a.spec().containsKey("readinessProbe");
  }

  /**
   * Universal mode: on nodes with native sidecars each native copy runs (restarted once, by the
   * handshake) and each regular copy steps aside; on the others the native copy finished as an init
   * container and the regular copy runs.
   */
  private static void checkOneCopy(PodPlan plan, KubeletModel model, Nodes nodes, String on) {
    for (PodContainer p : plan.withRole(Role.PRE)) {
      if (nodes == Nodes.NATIVE_SIDECARS) {
        assertThat(model.phase(p.name())).as(on + p.name() + " runs").isEqualTo(Phase.RUNNING);
        assertThat(model.runs(p.name()))
            .as(on + p.name() + " not in a restart loop")
            .isLessThanOrEqualTo(2);
        assertThat(model.phase(p.name() + COPY))
            .as(on + p.name() + COPY + " steps aside")
            .isIn(Phase.IDLE, Phase.EXITED);
      } else {
        assertThat(model.phase(p.name())).as(on + p.name() + " finished").isEqualTo(Phase.EXITED);
        assertThat(model.phase(p.name() + COPY))
            .as(on + p.name() + COPY + " runs")
            .isIn(Phase.RUNNING, Phase.WAITING);
      }
    }
  }

  // ---- stop, after a restart ----

  /** One regular container crashes and the kubelet restarts it (restartPolicy Always). */
  private void crashOneContainer(PodPlan plan, KubeletModel model, Nodes nodes, Random r) {
    List<String> running = new ArrayList<>();
    for (PodContainer c : plan.order()) {
      String name =
          c.role() == Role.PRE && nodes == Nodes.NO_NATIVE_SIDECARS && universalCopy(model, c)
              ? c.name() + COPY
              : c.name();
      if (c.role() != Role.INIT && model.phase(name) == Phase.RUNNING) {
        running.add(name);
      }
    }
    if (running.isEmpty()) {
      return;
    }
    String crash = running.get(r.nextInt(running.size()));
    int runs = model.runs(crash);
    model.exit(crash, 1);
    assertThat(model.runs(crash)).as(crash + " restarted").isEqualTo(runs + 1);
    restarts++;
  }

  private static boolean universalCopy(KubeletModel model, PodContainer c) {
    try {
      model.phase(c.name() + COPY);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Pre sidecars stop after every app container, post sidecar and pre sidecar started after them
   * (native sidecars also in reverse order among themselves), or the report says they cannot; no
   * preStop gives up and the grace period is not needed.
   */
  private static void checkStop(
      PodPlan plan, StopTrace stop, KubeletOrder report, boolean regularPres, String on) {
    Set<String> unhonoured = new HashSet<>();
    report.unhonoured().stream()
        .filter(u -> u.phase() == KubeletOrder.Phase.STOP)
        .forEach(u -> unhonoured.add(u.first() + ">" + u.then()));
    Set<String> violated = new HashSet<>();
    List<PodContainer> pres = plan.withRole(Role.PRE);
    boolean copies =
        regularPres && stop.containers().contains(pres.isEmpty() ? "" : pres.get(0).name() + COPY);
    for (int i = 0; i < pres.size(); i++) {
      PodContainer p = pres.get(i);
      String pName = copies ? p.name() + COPY : p.name();
      List<PodContainer> before = new ArrayList<>(plan.withRole(Role.APP));
      before.addAll(plan.withRole(Role.POST));
      before.addAll(pres.subList(i + 1, pres.size()));
      for (PodContainer x : before) {
        String xName = copies && x.role() == Role.PRE ? x.name() + COPY : x.name();
        if (!stop.stoppedAfter(pName, xName)) {
          violated.add(x.name() + ">" + p.name());
        }
      }
    }
    // The model's rounds may put a container the sidecar does not wait for before it by chance;
    // what is not reported must hold, and what is reported must involve a container that cannot
    // be wrapped.
    assertThat(unhonoured)
        .as(
            on
                + "stop edges that do not hold, against the report "
                + report.unhonoured()
                + ": "
                + stop)
        .containsAll(violated);
    for (String u : unhonoured) {
      PodContainer x = container(plan, u.split(">")[0]);
      assertThat(!x.spec().containsKey("command") || !plan.hasShell(x))
          .as(on + u + " is reported, but " + x.name() + " could be wrapped")
          .isTrue();
    }
    if (!regularPres) {
      assertThat(unhonoured).as(on + "native sidecars stop in order").isEmpty();
    }
    assertThat(stop.timedOut()).as(on + "preStop hooks that gave up: " + stop).isEmpty();
    assertThat(stop.graceExpired()).as(on + "grace period needed: " + stop).isFalse();
  }

  // ---- pods that run to completion ----

  /**
   * OnFailure: the first app container fails once and is retried in place, with every sidecar still
   * running; Never: one app container may be OOM-killed with its wrapper. Then the others exit 0,
   * and the pod's regular containers must all end.
   */
  private void checkCompletion(PodPlan plan, KubeletModel model, Nodes nodes, Random r, String on) {
    List<String> apps = plan.withRole(Role.APP).stream().map(PodContainer::name).toList();
    List<String> sidecars = new ArrayList<>();
    for (String c : model.running()) {
      if (!apps.contains(c)) {
        sidecars.add(c);
      }
    }
    List<String> order = new ArrayList<>(apps);
    Collections.shuffle(order, r);
    if ("OnFailure".equals(plan.podRestartPolicy()) && r.nextBoolean()) {
      String app = order.get(0);
      if (model.phase(app) == Phase.RUNNING) {
        model.exit(app, 1);
        assertThat(model.phase(app)).as(on + app + " retried").isIn(Phase.RUNNING, Phase.WAITING);
        for (String s : sidecars) {
          assertThat(model.phase(s))
              .as(on + s + " still there for " + app + "'s retry")
              .isNotEqualTo(Phase.EXITED);
        }
        retries++;
      }
    }
    boolean oom = "Never".equals(plan.podRestartPolicy()) && r.nextBoolean();
    for (int i = 0; i < order.size(); i++) {
      String app = order.get(i);
      if (model.phase(app) != Phase.RUNNING) {
        continue;
      }
      if (oom && i == 0) {
        model.oomKill(app);
        oomKills++;
      } else {
        model.exit(app, 0);
      }
    }
    assertThat(model.running()).as(on + "containers keeping the pod from completing").isEmpty();
    completions++;
  }

  // ---- what the renderers must refuse ----

  private static Set<String> expectedErrors(Generated g, PodPlan plan, SidecarMode mode) {
    Set<String> out = new HashSet<>();
    boolean regularPres = mode != SidecarMode.NATIVE;
    boolean completes = plan.runsToCompletion();
    List<PodContainer> pres = plan.withRole(Role.PRE);
    List<PodContainer> posts = plan.withRole(Role.POST);
    boolean sidecarsBlock = !posts.isEmpty() || (regularPres && !pres.isEmpty());
    for (PodContainer app : plan.withRole(Role.APP)) {
      if (completes && sidecarsBlock) {
        if (!app.spec().containsKey("command")) {
          out.add("job-needs-command");
        } else if (!plan.hasShell(app)) {
          out.add("job-needs-shell");
        }
      }
    }
    for (PodContainer s : posts) {
      if (completes && !plan.hasShell(s)) {
        out.add("job-needs-shell");
      }
    }
    if (regularPres) {
      for (int i = 0; i < pres.size(); i++) {
        PodContainer p = pres.get(i);
        boolean wrapped = completes || mode == SidecarMode.UNIVERSAL || i > 0;
        if (!plan.hasShell(p)) {
          if (mode == SidecarMode.UNIVERSAL) {
            out.add("universal-needs-shell");
          } else if (completes && wrapped) {
            out.add("job-needs-shell");
          }
          if (p.ready() != null && plan.sidecar(p).waitCommand().isEmpty()) {
            out.add("ready-needs-shell");
          }
        }
      }
      if (mode == SidecarMode.LEGACY) {
        for (Edge e : plan.edges()) {
          if (e.strength() == Edge.Strength.REQUIRED
              && container(plan, e.first()).role() == Role.PRE
              && container(plan, e.then()).role() == Role.INIT) {
            out.add("legacy-impossible-edge");
          }
        }
      }
    }
    return out;
  }

  // ---- resources ----

  /** The independent computation: KEP-753 for cpu and memory requests, in millicores and MiB. */
  private void checkResources(Map<String, Object> spec) {
    EffectiveResources effective = EffectiveResources.of(spec);
    for (ResourceName r : List.of(ResourceName.CPU, ResourceName.MEMORY)) {
      long sidecars = 0;
      long initMax = 0;
      long steady = 0;
      for (Map<String, Object> c : list(spec, "initContainers")) {
        long v = request(c, r);
        if ("Always".equals(c.get("restartPolicy"))) {
          sidecars += v;
          steady += v;
          initMax = Math.max(initMax, sidecars);
        } else {
          initMax = Math.max(initMax, v + sidecars);
        }
      }
      for (Map<String, Object> c : list(spec, "containers")) {
        steady += request(c, r);
      }
      long want = Math.max(steady, initMax);
      BigDecimal got =
          effective.requests().get(r).quantity().map(q -> q.amount()).orElse(BigDecimal.ZERO);
      BigDecimal expected =
          r == ResourceName.CPU
              ? BigDecimal.valueOf(want, 3)
              : BigDecimal.valueOf(want * 1024 * 1024);
      assertThat(got.compareTo(expected))
          .as(r.key() + " request: got " + got + ", computed " + expected)
          .isZero();
    }
  }

  private static long request(Map<String, Object> c, ResourceName r) {
    Object resources = c.get("resources");
    if (!(resources instanceof Map<?, ?> m)
        || !(m.get("requests") instanceof Map<?, ?> req)
        || req.get(r.key()) == null) {
      return 0;
    }
    String v = String.valueOf(req.get(r.key()));
    return r == ResourceName.CPU
        ? Long.parseLong(v.replace("m", ""))
        : Long.parseLong(v.replace("Mi", ""));
  }

  private static boolean readyEventBefore(StartTrace trace, String a, String b) {
    int ready = -1;
    int started = -1;
    for (int i = 0; i < trace.events().size(); i++) {
      StartEvent e = trace.events().get(i);
      if (ready < 0 && e.container().equals(a) && e.kind() == StartEvent.Kind.READY) {
        ready = i;
      }
      if (started < 0 && e.container().equals(b) && e.kind() == StartEvent.Kind.STARTED) {
        started = i;
      }
    }
    return ready >= 0 && started >= 0 && ready < started;
  }

  private static PodContainer container(PodPlan plan, String name) {
    return plan.order().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  // ---- generation ----

  /**
   * A random pod: its containers, edges like the built-in rules make plus random ones, sidecar
   * settings, and which images have no shell.
   */
  record Generated(
      WorkloadKind kind,
      String restartPolicy,
      Integer grace,
      List<PodContainer> containers,
      List<Edge> edges,
      Map<String, PolicySidecar> sidecars,
      Set<String> noShell) {

    Map<String, Object> podSpec() {
      Map<String, Object> spec = new LinkedHashMap<>();
      if (!"Always".equals(restartPolicy)) {
        spec.put("restartPolicy", restartPolicy);
      }
      if (grace != null) {
        spec.put("terminationGracePeriodSeconds", grace);
      }
      List<Object> inits = new ArrayList<>();
      List<Object> apps = new ArrayList<>();
      for (PodContainer c : containers) {
        if (!c.injected()) {
          (c.role() == Role.APP ? apps : inits).add(dev.convoy.engine.model.Trees.copy(c.spec()));
        }
      }
      if (!inits.isEmpty()) {
        spec.put("initContainers", inits);
      }
      spec.put("containers", apps);
      return spec;
    }
  }

  private static Generated generate(Random r) {
    WorkloadKind kind =
        switch (r.nextInt(4)) {
          case 0 -> WorkloadKind.JOB;
          case 1 -> WorkloadKind.CRON_JOB;
          case 2 -> WorkloadKind.POD;
          default -> WorkloadKind.DEPLOYMENT;
        };
    String restartPolicy =
        kind.runsToCompletion()
            ? (r.nextBoolean() ? "Never" : "OnFailure")
            : (r.nextInt(5) == 0 ? "OnFailure" : "Always");
    Integer grace = r.nextInt(3) == 0 ? 5 + r.nextInt(60) : null;
    List<PodContainer> containers = new ArrayList<>();
    Map<String, PolicySidecar> sidecars = new HashMap<>();
    Set<String> noShell = new HashSet<>();
    int inits = r.nextInt(3);
    int index = 0;
    for (int i = 0; i < inits; i++) {
      containers.add(
          new PodContainer(
              "init" + i,
              Role.INIT,
              index++,
              null,
              0,
              container(r, "init" + i, true, false),
              null));
      if (r.nextInt(5) == 0) {
        // A native sidecar the source already has, between its init containers.
        String name = "src" + i;
        Map<String, Object> spec = container(r, name, true, false);
        spec.put("restartPolicy", "Always");
        Map<String, Object> ready = r.nextBoolean() ? probe(r, 16000 + i) : null;
        if (ready != null) {
          spec.put("startupProbe", ready);
        }
        containers.add(new PodContainer(name, Role.PRE, index++, null, 0, spec, ready));
      }
    }
    int apps = 1 + r.nextInt(3);
    for (int i = 0; i < apps; i++) {
      containers.add(
          new PodContainer(
              "app" + i,
              Role.APP,
              i,
              null,
              0,
              container(r, "app" + i, r.nextInt(10) > 0, r.nextBoolean()),
              null));
      if (r.nextInt(12) == 0) {
        noShell.add("app" + i);
      }
    }
    if (r.nextInt(4) == 0) {
      containers.add(
          new PodContainer(
              "setup", Role.INIT, -1, "p", 10, container(r, "setup", true, false), null));
    }
    int pres = r.nextInt(4);
    for (int i = 0; i < pres; i++) {
      String name = "pre" + i;
      Map<String, Object> ready = r.nextInt(3) > 0 ? probe(r, 15000 + i) : null;
      Map<String, Object> spec = container(r, name, true, false);
      containers.add(new PodContainer(name, Role.PRE, -1, "p", 10 + r.nextInt(3), spec, ready));
      List<String> wait =
          ready != null && r.nextInt(4) == 0 ? List.of("/bin/check", "--ready") : List.of();
      if (r.nextInt(15) == 0) {
        noShell.add(name);
      }
      sidecars.put(
          name,
          new PolicySidecar(
              name,
              Position.PRE,
              List.of(),
              List.of(),
              ready,
              spec,
              0,
              wait,
              r.nextBoolean() ? 0 : 5 + r.nextInt(100),
              WaitForApp.NONE));
    }
    int posts = r.nextInt(3);
    for (int i = 0; i < posts; i++) {
      String name = "post" + i;
      Map<String, Object> spec = container(r, name, true, false);
      containers.add(new PodContainer(name, Role.POST, -1, "p", 10, spec, null));
      WaitForApp waitForApp = WaitForApp.values()[r.nextInt(3)];
      sidecars.put(
          name,
          new PolicySidecar(
              name, Position.POST, List.of(), List.of(), null, spec, 0, List.of(), 0, waitForApp));
    }
    List<Edge> edges = new ArrayList<>();
    for (PodContainer c : containers) {
      if (c.role() == Role.PRE && c.injected()) {
        for (PodContainer o : containers) {
          if (o.role() == Role.INIT && !o.injected()) {
            edges.add(
                new Edge(
                    W,
                    c.name(),
                    o.name(),
                    Edge.Strength.DEFAULT,
                    "default: pre before init",
                    "p",
                    null,
                    0));
          }
          if (o.role() == Role.APP) {
            edges.add(Edge.required(W, c.name(), o.name(), "pre before app", "p", null, 0));
          }
        }
      }
      if (c.role() == Role.POST) {
        for (PodContainer o : containers) {
          if (o.role() == Role.APP) {
            edges.add(Edge.required(W, o.name(), c.name(), "post after app", "p", null, 0));
          }
        }
      }
    }
    // Random extra edges along a random order that Kubernetes can honour: a random DAG.
    List<PodContainer> perm = new ArrayList<>(containers);
    Collections.shuffle(perm, r);
    perm.sort(java.util.Comparator.comparingInt(ModesPropertyTest::rank));
    List<PodContainer> source =
        containers.stream().filter(c -> c.role() != Role.APP && !c.injected()).toList();
    int extra = r.nextInt(4);
    for (int k = 0; k < extra && perm.size() > 1; k++) {
      int i = r.nextInt(perm.size() - 1);
      int j = i + 1 + r.nextInt(perm.size() - i - 1);
      PodContainer a = perm.get(i);
      PodContainer b = perm.get(j);
      boolean sourcePair =
          source.contains(a) && source.contains(b) && a.sourceIndex() > b.sourceIndex();
      boolean preBeforeSourceInit = a.role() == Role.PRE && source.contains(b) && r.nextInt(3) > 0;
      boolean intoSource = !source.contains(a) && source.contains(b) && a.role() != Role.PRE;
      if (!sourcePair && !preBeforeSourceInit && !intoSource) {
        edges.add(Edge.required(W, a.name(), b.name(), "random", "p", null, 0));
      }
    }
    return new Generated(kind, restartPolicy, grace, containers, edges, sidecars, noShell);
  }

  /**
   * Phase rank: init and pre first (mixed at random by the sort's stability), then app, then post.
   */
  private static int rank(PodContainer c) {
    return switch (c.role()) {
      case INIT, PRE -> 0;
      case APP -> 1;
      case POST -> 2;
    };
  }

  private static Map<String, Object> container(
      Random r, String name, boolean command, boolean probe) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("image", "example/" + name + ":1");
    if (command) {
      c.put("command", new ArrayList<>(List.of("/bin/" + name, "--serve")));
    }
    if (r.nextBoolean()) {
      c.put("args", new ArrayList<>(List.of("--v=" + r.nextInt(5))));
    }
    if (probe) {
      c.put("readinessProbe", probe(r, 8080));
    }
    if (r.nextInt(5) > 0) {
      Map<String, Object> req = new LinkedHashMap<>();
      req.put("cpu", (1 + r.nextInt(500)) + "m");
      if (r.nextBoolean()) {
        req.put("memory", (1 + r.nextInt(512)) + "Mi");
      }
      c.put("resources", new LinkedHashMap<>(Map.of("requests", req)));
    }
    return c;
  }

  private static Map<String, Object> probe(Random r, int port) {
    Map<String, Object> p =
        r.nextBoolean()
            ? new LinkedHashMap<>(
                Map.of("httpGet", new LinkedHashMap<>(Map.of("path", "/ready", "port", port))))
            : new LinkedHashMap<>(Map.of("tcpSocket", new LinkedHashMap<>(Map.of("port", port))));
    if (r.nextBoolean()) {
      p.put("periodSeconds", 1 + r.nextInt(10));
      p.put("failureThreshold", 1 + r.nextInt(30));
    }
    return p;
  }

  private static List<Map<String, Object>> list(Map<String, Object> spec, String key) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> l = (List<Map<String, Object>>) spec.getOrDefault(key, List.of());
    return l;
  }

  /** Containers whose specs, probes included, are unmodifiable, as loaded trees are. */
  private static List<PodContainer> frozen(List<PodContainer> containers) {
    return containers.stream()
        .map(
            c ->
                new PodContainer(
                    c.name(),
                    c.role(),
                    c.sourceIndex(),
                    c.policy(),
                    c.priority(),
                    frozen(c.spec()),
                    c.ready() == null ? null : frozen(c.ready())))
        .toList();
  }

  /** A deep copy every map and list of which throws when modified. */
  @SuppressWarnings("unchecked")
  static <T> T frozen(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put((String) k, frozen(v)));
      return (T) Collections.unmodifiableMap(out);
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(o -> out.add(frozen(o)));
      return (T) Collections.unmodifiableList(out);
    }
    return value;
  }
}

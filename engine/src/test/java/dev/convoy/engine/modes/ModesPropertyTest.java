package dev.convoy.engine.modes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.kubelet.CompletionModel;
import dev.convoy.engine.kubelet.KubeletModel;
import dev.convoy.engine.kubelet.StartEvent;
import dev.convoy.engine.kubelet.StartTrace;
import dev.convoy.engine.kubelet.StopTrace;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.PolicySidecar.WaitForApp;
import dev.convoy.engine.model.Position;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.WorkloadKind;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Random pods and policies, rendered in every sidecar mode, checked against the kubelet model:
 * every edge of the sorted start order holds in the rendered pod, pre sidecars stop after the app
 * containers, pods that must complete do, and the effective requests match a computation written
 * here from the KEP-753 rule. Reproduce a failure with {@code -Dconvoy.modes.seed=N}; {@code
 * -Dconvoy.modes.cases=N} runs more.
 */
class ModesPropertyTest {
  private static final long SEED = Long.getLong("convoy.modes.seed", 20240529L);
  private static final int CASES = Integer.getInteger("convoy.modes.cases", 600);
  private static final String W = "prop/Deployment/default/w";

  @Test
  void everyEdgeHoldsInEveryModeAndResourcesMatch() {
    Random seeds = new Random(SEED);
    int checkedEdges = 0;
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
              sorted.order(),
              sorted.edges(),
              List.of(),
              new TreeMap<>(Map.of("p", "r1")),
              g.sidecars,
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
                + ": ";
        try {
          checkedEdges += check(g, plan, mode, at);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(at + e.getMessage(), e);
        }
      }
    }
    assertThat(checkedEdges).as("edges checked").isGreaterThan(CASES);
  }

  private int check(Generated g, PodPlan plan, SidecarMode mode, String at) {
    Map<String, Object> source = g.podSpec();
    RenderedPod pod = SidecarRenderer.forMode(mode).render(copy(source), plan);
    List<Violation> errors =
        pod.violations().stream().filter(v -> v.severity() == Severity.ERROR).toList();
    boolean completes = plan.runsToCompletion();
    boolean appWithoutCommand =
        plan.withRole(Role.APP).stream().anyMatch(c -> !c.spec().containsKey("command"));
    boolean sidecarsBlock =
        mode == SidecarMode.NATIVE
            ? !plan.withRole(Role.POST).isEmpty()
            : !plan.withRole(Role.POST).isEmpty() || !plan.withRole(Role.PRE).isEmpty();
    boolean expectJobError = completes && appWithoutCommand && sidecarsBlock;
    boolean expectEdgeError =
        mode == SidecarMode.LEGACY
            && plan.edges().stream()
                .anyMatch(
                    e ->
                        e.strength() == Edge.Strength.REQUIRED
                            && role(plan, e.first()) == Role.PRE
                            && role(plan, e.then()) == Role.INIT);
    assertThat(errors.stream().anyMatch(v -> v.code().equals("job-needs-command")))
        .as("job-needs-command " + errors)
        .isEqualTo(expectJobError);
    assertThat(errors.stream().anyMatch(v -> v.code().equals("legacy-impossible-edge")))
        .as("legacy-impossible-edge")
        .isEqualTo(expectEdgeError);
    if (!errors.isEmpty()) {
      assertThat(errors)
          .allMatch(
              v ->
                  v.code().equals("job-needs-command")
                      || v.code().equals("legacy-impossible-edge"));
      return 0;
    }
    Map<String, Object> spec = pod.spec();
    int edges = checkStart(plan, mode, spec, KubeletModel.start(spec), false, at);
    if (mode == SidecarMode.UNIVERSAL) {
      Map<String, Object> old = CompletionModel.onOldNode(spec);
      edges += checkStart(plan, mode, old, KubeletModel.start(old), true, at + "old node: ");
    }
    checkStop(plan, mode, spec, false);
    if (mode == SidecarMode.UNIVERSAL) {
      checkStop(plan, mode, CompletionModel.onOldNode(spec), true);
    }
    if (completes) {
      Set<String> longRunning = new java.util.HashSet<>();
      for (PodContainer c : plan.order()) {
        if (c.role() == Role.PRE || c.role() == Role.POST) {
          longRunning.add(c.name());
          longRunning.add(c.name() + "-legacy");
        }
      }
      assertThat(CompletionModel.stuck(spec, longRunning))
          .as("containers keeping the pod from completing")
          .isEmpty();
      if (mode == SidecarMode.UNIVERSAL) {
        assertThat(CompletionModel.stuck(CompletionModel.onOldNode(spec), longRunning))
            .as("old node: containers keeping the pod from completing")
            .isEmpty();
      }
    }
    checkResources(spec);
    return edges;
  }

  private int checkStart(
      PodPlan plan,
      SidecarMode mode,
      Map<String, Object> spec,
      StartTrace trace,
      boolean oldNode,
      String at) {
    assertThat(trace.completed()).as("start-up completes: " + trace).isTrue();
    boolean regularPre = mode == SidecarMode.LEGACY || oldNode;
    int checked = 0;
    for (Edge e : plan.edges()) {
      PodContainer a = container(plan, e.first());
      PodContainer b = container(plan, e.then());
      if (regularPre && a.role() == Role.PRE && b.role() == Role.INIT) {
        continue; // needs native sidecars: reported (legacy: error, universal: warning)
      }
      String bName = oldNode && b.role() == Role.PRE ? b.name() + "-legacy" : b.name();
      String aStarted = oldNode && a.role() == Role.PRE ? a.name() + "-legacy" : a.name();
      boolean hook =
          a.role() == Role.APP
              && b.role() == Role.POST
              && plan.sidecar(b).waitForApp() == WaitForApp.HOOK
              && (a.spec().containsKey("readinessProbe"));
      String what = e + " in " + trace;
      if (a.role() == Role.INIT) {
        assertThat(trace.readyBefore(a.name(), bName)).as(what).isTrue();
      } else if (a.role() == Role.PRE && a.ready() != null) {
        assertThat(readyEventBefore(trace, a.name(), bName)).as("ready gate " + what).isTrue();
      } else if (a.role() == Role.PRE && !regularPre) {
        assertThat(trace.readyBefore(a.name(), bName)).as(what).isTrue();
      } else if (hook) {
        assertThat(readyEventBefore(trace, a.name(), bName)).as("app ready hook " + what).isTrue();
      } else {
        assertThat(trace.startedBefore(aStarted, bName)).as(what).isTrue();
      }
      checked++;
    }
    return checked;
  }

  private void checkStop(
      PodPlan plan, SidecarMode mode, Map<String, Object> spec, boolean oldNode) {
    StopTrace stop = KubeletModel.stop(spec);
    List<PodContainer> pres = plan.withRole(Role.PRE);
    for (PodContainer p : pres) {
      String name = oldNode ? p.name() + "-legacy" : p.name();
      for (PodContainer app : plan.withRole(Role.APP)) {
        if (mode == SidecarMode.NATIVE || app.spec().containsKey("command")) {
          assertThat(stop.stoppedAfter(name, app.name()))
              .as(name + " stops after " + app.name() + ": " + stop)
              .isTrue();
        }
      }
    }
    if (mode == SidecarMode.NATIVE || (mode == SidecarMode.UNIVERSAL && !oldNode)) {
      // Native sidecars stop in reverse start order.
      for (int i = 0; i + 1 < pres.size(); i++) {
        assertThat(stop.stoppedAfter(pres.get(i).name(), pres.get(i + 1).name()))
            .as("reverse order " + stop)
            .isTrue();
      }
    }
  }

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

  private static Role role(PodPlan plan, String name) {
    return container(plan, name).role();
  }

  private static PodContainer container(PodPlan plan, String name) {
    return plan.order().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  // ---- generation ----

  /**
   * A random pod: its containers, edges like the built-in rules make plus random ones, and sidecar
   * settings.
   */
  record Generated(
      WorkloadKind kind,
      String restartPolicy,
      List<PodContainer> containers,
      List<Edge> edges,
      Map<String, PolicySidecar> sidecars) {

    Map<String, Object> podSpec() {
      Map<String, Object> spec = new LinkedHashMap<>();
      if (!"Always".equals(restartPolicy)) {
        spec.put("restartPolicy", restartPolicy);
      }
      List<Object> inits = new ArrayList<>();
      List<Object> apps = new ArrayList<>();
      for (PodContainer c : containers) {
        if (!c.injected()) {
          (c.role() == Role.INIT ? inits : apps).add(copy(c.spec()));
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
    List<PodContainer> containers = new ArrayList<>();
    Map<String, PolicySidecar> sidecars = new HashMap<>();
    int inits = r.nextInt(3);
    for (int i = 0; i < inits; i++) {
      containers.add(
          new PodContainer(
              "init" + i, Role.INIT, i, null, 0, container(r, "init" + i, true, false), null));
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
              5 + r.nextInt(100),
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
              name, Position.POST, List.of(), List.of(), null, spec, 0, List.of(), 60, waitForApp));
    }
    List<Edge> edges = new ArrayList<>();
    for (PodContainer c : containers) {
      if (c.role() == Role.PRE) {
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
    List<PodContainer> sourceInits =
        containers.stream().filter(c -> c.role() == Role.INIT && !c.injected()).toList();
    int extra = r.nextInt(4);
    for (int k = 0; k < extra && perm.size() > 1; k++) {
      int i = r.nextInt(perm.size() - 1);
      int j = i + 1 + r.nextInt(perm.size() - i - 1);
      PodContainer a = perm.get(i);
      PodContainer b = perm.get(j);
      boolean sourceInitPair =
          sourceInits.contains(a) && sourceInits.contains(b) && a.sourceIndex() > b.sourceIndex();
      boolean preBeforeSourceInit =
          a.role() == Role.PRE && sourceInits.contains(b) && r.nextInt(3) > 0;
      if (!sourceInitPair
          && !preBeforeSourceInit
          && !(a.role() == Role.INIT && sourceInits.contains(b) && !sourceInits.contains(a))) {
        edges.add(Edge.required(W, a.name(), b.name(), "random", "p", null, 0));
      }
    }
    return new Generated(kind, restartPolicy, containers, edges, sidecars);
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
    return r.nextBoolean()
        ? new LinkedHashMap<>(
            Map.of("httpGet", new LinkedHashMap<>(Map.of("path", "/ready", "port", port))))
        : new LinkedHashMap<>(Map.of("tcpSocket", new LinkedHashMap<>(Map.of("port", port))));
  }

  private static List<Map<String, Object>> list(Map<String, Object> spec, String key) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> l = (List<Map<String, Object>>) spec.getOrDefault(key, List.of());
    return l;
  }

  private static <T> T copy(T value) {
    return dev.convoy.engine.model.Trees.copy(value);
  }

  static String names(List<PodContainer> cs) {
    return cs.stream().map(PodContainer::name).collect(Collectors.joining(","));
  }
}

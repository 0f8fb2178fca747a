package dev.convoy.engine.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.order.KubeletOrder;
import dev.convoy.engine.order.OrderResult;
import dev.convoy.engine.order.PodContainer;
import dev.convoy.engine.order.StartOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;

class SidecarRenderersTest {
  private static final String SOURCE =
      """
      initContainers:
        - {name: migrate, image: m, command: [/migrate]}
      containers:
        - name: app
          image: a
          command: [/app]
          args: [--port=8080]
          readinessProbe: {httpGet: {path: /healthz, port: 8080}}
          lifecycle: {preStop: {exec: {command: [/drain]}}}
      """;

  @ParameterizedTest
  @EnumSource(
      value = SidecarMode.class,
      names = {"NATIVE", "LEGACY", "UNIVERSAL"})
  void strippingTheRecordGivesBackTheSourcePodSpec(SidecarMode mode) {
    Map<String, Object> source = new Yaml().load(SOURCE);
    PodPlan plan = plan(source);
    RenderedPod pod = SidecarRenderer.forMode(mode).render(Trees.copy(source), plan);
    assertThat(pod.violations()).isEmpty();
    Map<String, Object> template = new LinkedHashMap<>();
    template.put("metadata", new LinkedHashMap<>());
    template.put("spec", pod.spec());
    Set<String> containers = new TreeSet<>(Set.of("proxy", "shipper"));
    containers.addAll(pod.containers());
    InjectionRecord.write(
        template, new TreeMap<>(Map.of("mesh", "r1")), containers, pod.volumes(), pod.moved());

    InjectionRecord.strip(template);

    assertThat(template.get("spec")).isEqualTo(source);
  }

  @ParameterizedTest
  @EnumSource(
      value = SidecarMode.class,
      names = {"NATIVE", "LEGACY", "UNIVERSAL"})
  void rendersTheWholeContainerListsInStartOrder(SidecarMode mode) {
    Map<String, Object> source = new Yaml().load(SOURCE);
    Map<String, Object> spec =
        SidecarRenderer.forMode(mode).render(Trees.copy(source), plan(source)).spec();
    List<String> init =
        Trees.mapList(spec, "initContainers").stream().map(c -> Trees.string(c, "name")).toList();
    List<String> regular =
        Trees.mapList(spec, "containers").stream().map(c -> Trees.string(c, "name")).toList();
    switch (mode) {
      case NATIVE -> {
        assertThat(init).containsExactly("proxy", "migrate");
        assertThat(regular).containsExactly("app", "shipper");
      }
      case LEGACY -> {
        assertThat(init).containsExactly("migrate");
        assertThat(regular).containsExactly("proxy", "app", "shipper");
      }
      default -> {
        assertThat(init).containsExactly("proxy", "migrate");
        assertThat(regular).containsExactly("proxy-legacy", "app", "shipper");
      }
    }
  }

  /**
   * The renderer contract: it reads the loaded trees and never modifies them. Frozen inputs throw
   * on any change, in every mode, for the pod spec and for the plan's container specs.
   */
  @ParameterizedTest
  @EnumSource(
      value = SidecarMode.class,
      names = {"NATIVE", "LEGACY", "UNIVERSAL"})
  void rendersFromUnmodifiableInputs(SidecarMode mode) {
    Map<String, Object> source = frozen(new Yaml().load(SOURCE_WITH_NATIVE_SIDECAR));
    PodPlan plan = plan(source);
    List<PodContainer> frozenOrder =
        plan.order().stream()
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
    PodPlan frozenPlan =
        new PodPlan(
            plan.workload(),
            plan.kind(),
            plan.podRestartPolicy(),
            frozenOrder,
            plan.edges(),
            plan.volumes(),
            plan.revisions(),
            plan.sidecars(),
            plan.noShell(),
            plan.file(),
            plan.line());

    RenderedPod pod = SidecarRenderer.forMode(mode).render(source, frozenPlan);

    assertThat(pod.violations()).isEmpty();
    assertThat(source).isEqualTo(new Yaml().load(SOURCE_WITH_NATIVE_SIDECAR));
  }

  /** A native sidecar of the source, rendered for legacy or universal, is put back by strip. */
  @ParameterizedTest
  @EnumSource(
      value = SidecarMode.class,
      names = {"LEGACY", "UNIVERSAL"})
  void aMovedNativeSidecarOfTheSourceGoesBackOnStrip(SidecarMode mode) {
    Map<String, Object> source = new Yaml().load(SOURCE_WITH_NATIVE_SIDECAR);
    RenderedPod pod = SidecarRenderer.forMode(mode).render(Trees.copy(source), plan(source));
    List<String> regular =
        Trees.mapList(pod.spec(), "containers").stream().map(c -> Trees.string(c, "name")).toList();
    if (mode == SidecarMode.LEGACY) {
      assertThat(regular).containsExactly("proxy", "vault", "app", "shipper");
      assertThat(pod.moved()).containsEntry("vault", 1);
      assertThat(Trees.mapList(pod.spec(), "containers").get(0)).doesNotContainKey("restartPolicy");
    } else {
      assertThat(regular).containsExactly("proxy-legacy", "vault-legacy", "app", "shipper");
    }
    Map<String, Object> template = new LinkedHashMap<>();
    template.put("metadata", new LinkedHashMap<>());
    template.put("spec", pod.spec());
    Set<String> containers = new TreeSet<>(Set.of("proxy", "shipper"));
    containers.addAll(pod.containers());
    InjectionRecord.write(
        template, new TreeMap<>(Map.of("mesh", "r1")), containers, pod.volumes(), pod.moved());

    InjectionRecord.strip(template);

    assertThat(template.get("spec")).isEqualTo(source);
  }

  @Test
  void legacyReportsTheKubeletsOrderAndTheEdgesItCannotHonour() {
    Map<String, Object> source = new Yaml().load(SOURCE);
    KubeletOrder order =
        SidecarRenderer.forMode(SidecarMode.LEGACY).render(source, plan(source)).kubelet().get(0);

    assertThat(order.nodes()).isEqualTo(KubeletOrder.Nodes.NO_NATIVE_SIDECARS);
    assertThat(order.names()).containsExactly("migrate", "proxy", "app", "shipper");
    assertThat(order.stop()).containsExactly(List.of("app", "shipper"), List.of("proxy"));
    assertThat(order.unhonoured())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.phase()).isEqualTo(KubeletOrder.Phase.START);
              assertThat(u.first() + " -> " + u.then()).isEqualTo("proxy -> migrate");
              assertThat(u.reason()).contains("after every init container");
            });
  }

  @Test
  void aJobWhoseAppHasNoShellIsRefusedNotBroken() {
    Map<String, Object> source = new Yaml().load(SOURCE);
    PodPlan plan = plan(source);
    PodPlan job =
        new PodPlan(
            plan.workload(),
            WorkloadKind.JOB,
            "Never",
            plan.order(),
            plan.edges(),
            plan.volumes(),
            plan.revisions(),
            plan.sidecars(),
            Set.of("app"),
            plan.file(),
            plan.line());

    RenderedPod pod = SidecarRenderer.forMode(SidecarMode.LEGACY).render(source, job);

    assertThat(pod.violations().stream().filter(v -> v.severity() == Severity.ERROR))
        .extracting(Violation::code)
        .containsExactly("job-needs-shell");
  }

  private static final String SOURCE_WITH_NATIVE_SIDECAR =
      """
      initContainers:
        - {name: migrate, image: m, command: [/migrate]}
        - name: vault
          image: v
          command: [vault, agent]
          restartPolicy: Always
          startupProbe: {httpGet: {path: /ready, port: 8200}}
      containers:
        - name: app
          image: a
          command: [/app]
          args: [--port=8080]
          readinessProbe: {httpGet: {path: /healthz, port: 8080}}
          lifecycle: {preStop: {exec: {command: [/drain]}}}
      """;

  /** A deep copy every map and list of which throws when modified. */
  @SuppressWarnings("unchecked")
  private static <T> T frozen(T value) {
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

  private static PodPlan plan(Map<String, Object> source) {
    List<PodContainer> cs = new ArrayList<>();
    cs.add(
        new PodContainer(
            "migrate",
            Role.INIT,
            0,
            null,
            0,
            Trees.mapList(source, "initContainers").get(0),
            null));
    List<Map<String, Object>> inits = Trees.mapList(source, "initContainers");
    if (inits.size() > 1) {
      Map<String, Object> vault = inits.get(1);
      cs.add(
          new PodContainer("vault", Role.PRE, 1, null, 0, vault, Trees.map(vault, "startupProbe")));
    }
    cs.add(
        new PodContainer(
            "app", Role.APP, 0, null, 0, Trees.mapList(source, "containers").get(0), null));
    Map<String, Object> ready = new Yaml().load("{httpGet: {path: /ready, port: 15021}}");
    cs.add(
        new PodContainer(
            "proxy",
            Role.PRE,
            -1,
            "mesh",
            1,
            new Yaml().load("{name: proxy, image: envoy, command: [envoy]}"),
            ready));
    Map<String, Object> shipperSpec =
        new Yaml().load("{name: shipper, image: fluent, command: [fluent-bit]}");
    cs.add(new PodContainer("shipper", Role.POST, -1, "mesh", 1, shipperSpec, null));
    var shipper =
        new dev.convoy.engine.model.PolicySidecar(
            "shipper",
            dev.convoy.engine.model.Position.POST,
            List.of(),
            List.of(),
            null,
            shipperSpec,
            0,
            List.of(),
            60,
            dev.convoy.engine.model.PolicySidecar.WaitForApp.HOOK);
    String w = "t/Deployment/default/w";
    List<Edge> edges =
        List.of(
            new Edge(w, "proxy", "migrate", Edge.Strength.DEFAULT, "default", "mesh", null, 0),
            Edge.required(w, "proxy", "app", "pre", "mesh", null, 0),
            Edge.required(w, "app", "shipper", "post", "mesh", null, 0));
    OrderResult.Sorted sorted = (OrderResult.Sorted) StartOrder.sort(w, cs, edges);
    return new PodPlan(
        w,
        WorkloadKind.DEPLOYMENT,
        "Always",
        sorted.order(),
        sorted.edges(),
        List.of(),
        new TreeMap<>(Map.of("mesh", "r1")),
        Map.of("shipper", shipper),
        Set.of(),
        "w.yaml",
        1);
  }
}

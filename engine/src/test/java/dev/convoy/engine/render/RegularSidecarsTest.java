package dev.convoy.engine.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.order.OrderResult;
import dev.convoy.engine.order.PodContainer;
import dev.convoy.engine.order.StartOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;

class RegularSidecarsTest {
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
    InjectionRecord.write(template, new TreeMap<>(Map.of("mesh", "r1")), containers, pod.volumes());

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
        "w.yaml",
        1);
  }
}

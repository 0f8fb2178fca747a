package dev.convoy.engine.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartOrderTest {
  private static final String W = "prod/Deployment/shop/web";

  private static PodContainer existing(String name, Role role, int index) {
    return new PodContainer(name, role, index, null, 0, Map.of("name", name), null);
  }

  private static PodContainer injected(String name, Role role, String policy, int priority) {
    return new PodContainer(name, role, -1, policy, priority, Map.of("name", name), null);
  }

  private static Edge required(String first, String then) {
    return Edge.required(W, first, then, "test", null, "t.yaml", 1);
  }

  private static Edge byDefault(String first, String then) {
    return new Edge(W, first, then, Edge.Strength.DEFAULT, "default", null, "t.yaml", 1);
  }

  /** The edges the built-in rules add for position semantics. */
  private static List<Edge> positionEdges(List<PodContainer> pod) {
    List<Edge> edges = new ArrayList<>();
    for (PodContainer c : pod) {
      for (PodContainer o : pod) {
        if (c.role() == Role.PRE && o.role() == Role.APP) {
          edges.add(required(c.name(), o.name()));
        }
        if (c.role() == Role.PRE && o.role() == Role.INIT) {
          edges.add(byDefault(c.name(), o.name()));
        }
        if (c.role() == Role.APP && o.role() == Role.POST) {
          edges.add(required(c.name(), o.name()));
        }
      }
    }
    return edges;
  }

  private static List<String> sorted(List<PodContainer> pod, List<Edge> extra) {
    List<Edge> edges = new ArrayList<>(positionEdges(pod));
    edges.addAll(extra);
    OrderResult result = StartOrder.sort(W, pod, edges);
    assertThat(result).isInstanceOf(OrderResult.Sorted.class);
    return ((OrderResult.Sorted) result).names();
  }

  @Test
  void injectsPreSidecarsBeforeExistingInitContainersInPriorityThenNameOrder() {
    List<PodContainer> pod =
        List.of(
            existing("migrate", Role.INIT, 0),
            existing("seed", Role.INIT, 1),
            existing("app", Role.APP, 0),
            injected("proxy", Role.PRE, "mesh", 100),
            injected("agent", Role.PRE, "vault", 50),
            injected("dns", Role.PRE, "dns", 100),
            injected("logs", Role.POST, "logging", 10));

    assertThat(sorted(pod, List.of()))
        .containsExactly("dns", "proxy", "agent", "migrate", "seed", "app", "logs");
  }

  @Test
  void aRequiredEdgeOverridesTheDefaultThatPreSidecarsStartBeforeInitContainers() {
    List<PodContainer> pod =
        List.of(
            existing("iptables", Role.INIT, 0),
            existing("migrate", Role.INIT, 1),
            existing("app", Role.APP, 0),
            injected("proxy", Role.PRE, "mesh", 100));

    OrderResult result =
        StartOrder.sort(W, pod, concat(positionEdges(pod), List.of(required("iptables", "proxy"))));

    assertThat(((OrderResult.Sorted) result).names())
        .containsExactly("iptables", "proxy", "migrate", "app");
    assertThat(((OrderResult.Sorted) result).dropped())
        .extracting(Edge::first, Edge::then)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("proxy", "iptables"));
  }

  @Test
  void keepsTheChainProxyThenMysqlClientThenApp() {
    List<PodContainer> pod =
        List.of(
            existing("app", Role.APP, 0),
            injected("mysql-client", Role.PRE, "mysql", 80),
            injected("proxy", Role.PRE, "mesh", 100));

    assertThat(sorted(pod, List.of(required("proxy", "mysql-client"))))
        .containsExactly("proxy", "mysql-client", "app");
  }

  @Test
  void appContainersKeepSourceOrderUnlessAnEdgeReordersThem() {
    List<PodContainer> pod =
        List.of(existing("exporter", Role.APP, 0), existing("mysql", Role.APP, 1));

    assertThat(sorted(pod, List.of())).containsExactly("exporter", "mysql");
    assertThat(sorted(pod, List.of(required("mysql", "exporter"))))
        .containsExactly("mysql", "exporter");
  }

  @Test
  void reportsACycleWithItsPathStartingAtTheFirstContainerInTieBreakOrder() {
    List<PodContainer> pod =
        List.of(
            existing("cert-init", Role.INIT, 0),
            existing("app", Role.APP, 0),
            injected("proxy", Role.PRE, "mesh", 100));

    OrderResult result =
        StartOrder.sort(
            W,
            pod,
            concat(
                positionEdges(pod),
                List.of(required("cert-init", "proxy"), required("proxy", "cert-init"))));

    assertThat(result).isInstanceOf(OrderResult.Cycle.class);
    assertThat(((OrderResult.Cycle) result).describe())
        .isEqualTo("cert-init -> proxy -> cert-init");
    assertThat(((OrderResult.Cycle) result).edges()).hasSize(2);
  }

  @Test
  void ignoresEdgesToContainersThePodDoesNotHaveBecauseTheRulesReportThem() {
    List<PodContainer> pod =
        List.of(existing("app", Role.APP, 0), injected("proxy", Role.PRE, "mesh", 100));

    assertThat(sorted(pod, List.of(required("ghost", "proxy")))).containsExactly("proxy", "app");
  }

  @Test
  void sortsTheSameWayWhateverTheOrderOfTheEdges() {
    List<PodContainer> pod =
        List.of(
            existing("init", Role.INIT, 0),
            existing("app", Role.APP, 0),
            existing("side", Role.APP, 1),
            injected("a", Role.PRE, "p", 1),
            injected("b", Role.PRE, "p", 1),
            injected("c", Role.POST, "p", 1));
    List<Edge> edges = concat(positionEdges(pod), List.of(required("b", "a")));
    List<Edge> reversed = new ArrayList<>(edges);
    java.util.Collections.reverse(reversed);

    assertThat(sorted(pod, List.of(required("b", "a"))))
        .containsExactly("b", "a", "init", "app", "side", "c");
    assertThat(((OrderResult.Sorted) StartOrder.sort(W, pod, reversed)).names())
        .containsExactly("b", "a", "init", "app", "side", "c");
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}

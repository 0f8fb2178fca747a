package dev.convoy.rules;

import static dev.convoy.rules.BuiltinRules.decide;
import static dev.convoy.rules.TestFacts.deployment;
import static dev.convoy.rules.TestFacts.policy;
import static dev.convoy.rules.TestFacts.post;
import static dev.convoy.rules.TestFacts.pre;
import static dev.convoy.rules.TestFacts.sidecar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.WorkloadFact;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeRulesTest {

  private static WorkloadFact api(Map<String, String> annotations) {
    return deployment("payments", "api", Map.of("mesh", "enabled"), annotations);
  }

  /** One line per edge: {@code first -> then STRENGTH (origin) policy file:line}. */
  static List<String> edges(TestFacts facts) {
    return decide(facts).edges().stream().map(EdgeRulesTest::describe).toList();
  }

  static String describe(Edge e) {
    return e.first()
        + " -> "
        + e.then()
        + " "
        + e.strength()
        + " ("
        + e.origin()
        + ") "
        + e.policy()
        + " "
        + e.file()
        + ":"
        + e.line();
  }

  @Test
  void preSidecarStartsBeforeEveryAppContainerAndByDefaultBeforeInitContainers() {
    List<String> edges =
        edges(
            new TestFacts()
                .add(api(Map.of()), "init:cert-init", "init:migrate", "app", "worker")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy")));

    assertThat(edges)
        .containsExactly(
            "proxy -> app REQUIRED (pre sidecar starts before app containers) mesh policies/mesh.yaml:10",
            "proxy -> cert-init DEFAULT (pre sidecars start before init containers unless an edge says otherwise) mesh policies/mesh.yaml:10",
            "proxy -> migrate DEFAULT (pre sidecars start before init containers unless an edge says otherwise) mesh policies/mesh.yaml:10",
            "proxy -> worker REQUIRED (pre sidecar starts before app containers) mesh policies/mesh.yaml:10");
  }

  @Test
  void postSidecarStartsAfterEveryAppContainer() {
    List<String> edges =
        edges(
            new TestFacts()
                .add(api(Map.of()), "init:cert-init", "app", "worker")
                .add(policy("logs", 10, Map.of("mesh", "enabled")), post("logs", "shipper")));

    assertThat(edges)
        .containsExactly(
            "app -> shipper REQUIRED (post sidecar starts after app containers) logs policies/logs.yaml:10",
            "worker -> shipper REQUIRED (post sidecar starts after app containers) logs policies/logs.yaml:10");
  }

  @Test
  void policyAfterAndBeforeListsBecomeRequiredEdges() {
    List<String> edges =
        edges(
            new TestFacts()
                .add(api(Map.of()), "init:cert-init", "app")
                .add(
                    policy("mesh", 100, Map.of("mesh", "enabled")),
                    sidecar("mesh", "proxy", Role.PRE, List.of("cert-init"), List.of()),
                    sidecar("mesh", "stats", Role.PRE, List.of(), List.of("proxy"))));

    assertThat(edges)
        .containsExactly(
            "cert-init -> proxy REQUIRED (policy mesh: after) mesh policies/mesh.yaml:10",
            "proxy -> app REQUIRED (pre sidecar starts before app containers) mesh policies/mesh.yaml:10",
            "proxy -> cert-init DEFAULT (pre sidecars start before init containers unless an edge says otherwise) mesh policies/mesh.yaml:10",
            "stats -> app REQUIRED (pre sidecar starts before app containers) mesh policies/mesh.yaml:10",
            "stats -> cert-init DEFAULT (pre sidecars start before init containers unless an edge says otherwise) mesh policies/mesh.yaml:10",
            "stats -> proxy REQUIRED (policy mesh: before) mesh policies/mesh.yaml:10");
  }

  @Test
  void preSidecarByDefaultStartsBeforeInjectedInitContainersToo() {
    List<String> edges =
        edges(
            new TestFacts()
                .add(api(Map.of()), "app")
                .add(
                    policy("mesh", 100, Map.of("mesh", "enabled")),
                    sidecar("mesh", "mesh-init", Role.INIT, List.of(), List.of()),
                    sidecar("mesh", "proxy", Role.PRE, List.of("mesh-init"), List.of())));

    assertThat(edges)
        .containsExactly(
            "mesh-init -> proxy REQUIRED (policy mesh: after) mesh policies/mesh.yaml:10",
            "proxy -> app REQUIRED (pre sidecar starts before app containers) mesh policies/mesh.yaml:10",
            "proxy -> mesh-init DEFAULT (pre sidecars start before init containers unless an edge says otherwise) mesh policies/mesh.yaml:10");
  }

  @Test
  void startOrderAnnotationAddsRequiredEdgesDeclaredByTheWorkload() {
    List<String> edges =
        edges(
            new TestFacts()
                .add(
                    api(Map.of(WorkloadFact.START_ORDER_ANNOTATION, "proxy < mysql-client < app")),
                    "mysql-client",
                    "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy")));

    assertThat(edges)
        .containsExactly(
            "mysql-client -> app REQUIRED (annotation convoy.dev/start-order) null manifests/api.yaml:1",
            "proxy -> app REQUIRED (pre sidecar starts before app containers) mesh policies/mesh.yaml:10",
            "proxy -> mysql-client REQUIRED (annotation convoy.dev/start-order) null manifests/api.yaml:1",
            "proxy -> mysql-client REQUIRED (pre sidecar starts before app containers) mesh policies/mesh.yaml:10");
  }

  @Test
  void vetoedPolicyAddsNoEdges() {
    List<String> edges =
        edges(
            new TestFacts()
                .add(api(Map.of(WorkloadFact.EXCLUDE_ANNOTATION, "mesh")), "init:cert-init", "app")
                .add(
                    policy("mesh", 100, Map.of("mesh", "enabled")),
                    sidecar("mesh", "proxy", Role.PRE, List.of("cert-init"), List.of())));

    assertThat(edges).isEmpty();
  }

  @Test
  void workloadWithoutPoliciesOrAnnotationHasNoEdges() {
    assertThat(edges(new TestFacts().add(api(Map.of()), "init:cert-init", "app"))).isEmpty();
  }
}

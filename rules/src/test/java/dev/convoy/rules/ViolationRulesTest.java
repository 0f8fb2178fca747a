package dev.convoy.rules;

import static dev.convoy.rules.BuiltinRules.decide;
import static dev.convoy.rules.TestFacts.deployment;
import static dev.convoy.rules.TestFacts.id;
import static dev.convoy.rules.TestFacts.policy;
import static dev.convoy.rules.TestFacts.post;
import static dev.convoy.rules.TestFacts.pre;
import static dev.convoy.rules.TestFacts.sidecar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.WorkloadFact;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ViolationRulesTest {
  private static final String API = id("payments", "api");

  private static WorkloadFact api(Map<String, String> annotations) {
    return deployment("payments", "api", Map.of("mesh", "enabled"), annotations);
  }

  private static WorkloadFact startOrder(String value) {
    return api(Map.of(WorkloadFact.START_ORDER_ANNOTATION, value));
  }

  @Test
  void policyEdgeToAContainerThePodDoesNotHaveIsUnknownContainer() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of()), "app")
                .add(
                    policy("mesh", 100, Map.of("mesh", "enabled")),
                    sidecar("mesh", "proxy", Role.PRE, List.of("cert-init"), List.of())));

    assertThat(decisions.violations())
        .containsExactly(
            Violation.error(
                "unknown-container",
                "edge cert-init -> proxy (policy mesh: after) names container 'cert-init', which the pod does not have",
                API,
                "mesh",
                "policies/mesh.yaml",
                10));
  }

  @Test
  void annotationEdgeToAContainerThePodDoesNotHaveIsUnknownContainer() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(startOrder("proxy < ghost"), "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy")));

    assertThat(decisions.violations())
        .containsExactly(
            Violation.error(
                "unknown-container",
                "edge proxy -> ghost (annotation convoy.dev/start-order) names container 'ghost', which the pod does not have",
                API,
                null,
                "manifests/api.yaml",
                1));
  }

  @Test
  void annotationNamingASidecarOfAnExcludedPolicyIsUnknownContainer() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(
                    api(
                        Map.of(
                            WorkloadFact.START_ORDER_ANNOTATION,
                            "proxy < app",
                            WorkloadFact.EXCLUDE_ANNOTATION,
                            "mesh")),
                    "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy")));

    assertThat(decisions.violations())
        .extracting(Violation::code, Violation::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "unknown-container",
                "edge proxy -> app (annotation convoy.dev/start-order) names container 'proxy', which the pod does not have"));
  }

  @Test
  void preSidecarAfterAnAppContainerIsAnImpossibleEdge() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of()), "app")
                .add(
                    policy("mesh", 100, Map.of("mesh", "enabled")),
                    sidecar("mesh", "proxy", Role.PRE, List.of("app"), List.of())));

    assertThat(decisions.violations())
        .containsExactly(
            Violation.error(
                "impossible-edge",
                "pre sidecar 'proxy' cannot start after app container 'app' (policy mesh: after)",
                API,
                "mesh",
                "policies/mesh.yaml",
                10));
  }

  @ParameterizedTest(name = "start-order \"{0}\"")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
      # annotation         | impossible-edge message, or - when Kubernetes can honour it
      cert-init < proxy    | -
      proxy < cert-init    | -
      app < shipper        | -
      cert-init < app      | -
      app < cert-init      | init container 'cert-init' cannot start after app container 'app' (annotation convoy.dev/start-order)
      app < proxy          | pre sidecar 'proxy' cannot start after app container 'app' (annotation convoy.dev/start-order)
      shipper < app        | app container 'app' cannot start after post sidecar 'shipper' (annotation convoy.dev/start-order)
      shipper < proxy      | pre sidecar 'proxy' cannot start after post sidecar 'shipper' (annotation convoy.dev/start-order)
      shipper < cert-init  | init container 'cert-init' cannot start after post sidecar 'shipper' (annotation convoy.dev/start-order)
      """)
  void edgeFromALaterPhaseToAnEarlierOneIsAnImpossibleEdge(String annotation, String message) {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(startOrder(annotation), "init:cert-init", "app")
                .add(
                    policy("mesh", 100, Map.of("mesh", "enabled")),
                    pre("mesh", "proxy"),
                    post("mesh", "shipper")));

    if (message == null) {
      assertThat(decisions.violations()).isEmpty();
    } else {
      assertThat(decisions.violations())
          .containsExactly(
              Violation.error("impossible-edge", message, API, null, "manifests/api.yaml", 1));
    }
  }

  @ParameterizedTest(name = "start-order \"{0}\" well-formed: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      proxy < app                | true
      proxy<app                  | true
      'proxy < a, proxy < b'     | true
      proxy                      | false
      'proxy < '                 | false
      proxy << app               | false
      Proxy < app                | false
      ''                         | false
      """)
  void malformedStartOrderAnnotationIsBadStartOrder(String annotation, boolean wellFormed) {
    Decisions decisions =
        decide(new TestFacts().add(startOrder(annotation), "proxy", "app", "a", "b"));

    if (wellFormed) {
      assertThat(decisions.violations()).isEmpty();
    } else {
      assertThat(decisions.violations())
          .containsExactly(
              Violation.error(
                  "bad-start-order",
                  "annotation convoy.dev/start-order \""
                      + annotation
                      + "\" is malformed: expected container names separated by '<', e.g. \"proxy < app\"",
                  API,
                  null,
                  "manifests/api.yaml",
                  1));
      assertThat(decisions.edges()).isEmpty();
    }
  }

  @Test
  void injectedContainerNamedLikeOneOfTheWorkloadsIsANameClash() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of()), "init:proxy", "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy")));

    assertThat(decisions.violations())
        .containsExactly(
            Violation.error(
                "name-clash",
                "policy mesh injects container 'proxy', but the workload already has a container named 'proxy'",
                API,
                "mesh",
                "policies/mesh.yaml",
                10));
  }

  @Test
  void nameClashWithAnAppContainerIsReportedOnceWithoutSelfEdges() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of()), "proxy", "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy")));

    assertThat(decisions.violations()).extracting(Violation::code).containsExactly("name-clash");
    assertThat(decisions.edges())
        .extracting(e -> e.first() + " -> " + e.then())
        .containsExactly("proxy -> app");
  }

  @Test
  void twoPoliciesOfEqualPriorityInjectingTheSameContainerAreADuplicateContainer() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of()), "app")
                .add(policy("mesh-b", 100, Map.of("mesh", "enabled")), pre("mesh-b", "proxy"))
                .add(policy("mesh-a", 100, Map.of("mesh", "enabled")), pre("mesh-a", "proxy")));

    assertThat(decisions.violations())
        .containsExactly(
            Violation.error(
                "duplicate-container",
                "policies mesh-a and mesh-b both inject container 'proxy' with priority 100;"
                    + " raise one's priority or exclude one with convoy.dev/exclude",
                API,
                "mesh-a",
                "policies/mesh-a.yaml",
                10));
    // Neither is vetoed: the violation stops the workload from rendering instead of guessing.
    assertThat(decisions.injections())
        .extracting(Injection::policy)
        .containsExactly("mesh-a", "mesh-b");
  }

  @Test
  void duplicatePreAndPostContainerIsReportedOnlyAsADuplicate() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of()), "init:cert-init", "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "agent"))
                .add(policy("logs", 100, Map.of("mesh", "enabled")), post("logs", "agent")));

    // Each copy's phase edges would look impossible against the other copy: not reported.
    assertThat(decisions.violations())
        .extracting(Violation::code)
        .containsExactly("duplicate-container");
  }

  @Test
  void cleanWorkloadHasNoViolations() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(startOrder("proxy < app"), "init:cert-init", "app")
                .add(
                    policy("mesh", 100, Map.of("mesh", "enabled")),
                    sidecar("mesh", "proxy", Role.PRE, List.of("cert-init"), List.of()),
                    post("mesh", "shipper")));

    assertThat(decisions.violations()).isEmpty();
  }
}

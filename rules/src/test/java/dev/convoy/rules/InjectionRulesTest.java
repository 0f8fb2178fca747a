package dev.convoy.rules;

import static dev.convoy.rules.BuiltinRules.decide;
import static dev.convoy.rules.BuiltinRules.factsOf;
import static dev.convoy.rules.BuiltinRules.rules;
import static dev.convoy.rules.TestFacts.deployment;
import static dev.convoy.rules.TestFacts.id;
import static dev.convoy.rules.TestFacts.policy;
import static dev.convoy.rules.TestFacts.post;
import static dev.convoy.rules.TestFacts.pre;
import static dev.convoy.rules.TestFacts.sidecar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.RuleSession;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.ContainerFact;
import dev.convoy.engine.facts.ForceInjection;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.Veto;
import dev.convoy.engine.facts.WorkloadFact;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InjectionRulesTest {
  private static final String API = id("payments", "api");

  private static WorkloadFact api(Map<String, String> annotations) {
    return deployment("payments", "api", Map.of("mesh", "enabled"), annotations);
  }

  @Test
  void injectsMatchedPolicyAtItsCurrentRevision() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of()), "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy")));

    assertThat(decisions.injections()).containsExactly(new Injection(API, "mesh", "mesh-rev1"));
    assertThat(decisions.vetoes()).isEmpty();
    assertThat(decisions.violations()).isEmpty();
  }

  @Test
  void injectedPolicyContainersJoinThePodAsContainerFacts() {
    List<ContainerFact> containers =
        factsOf(
            new TestFacts()
                .add(api(Map.of()), "app")
                .add(
                    policy("mesh", 100, Map.of("mesh", "enabled")),
                    pre("mesh", "proxy"),
                    post("mesh", "flusher"),
                    sidecar("mesh", "mesh-init", Role.INIT, List.of(), List.of()))
                .facts(),
            ContainerFact.class);

    assertThat(containers)
        .containsExactlyInAnyOrder(
            ContainerFact.existing(API, "app", Role.APP, 0),
            new ContainerFact(API, "proxy", Role.PRE, -1, "mesh", "mesh-rev1", 100, true),
            new ContainerFact(API, "flusher", Role.POST, -1, "mesh", "mesh-rev1", 100, false),
            new ContainerFact(API, "mesh-init", Role.INIT, -1, "mesh", "mesh-rev1", 100, false));
  }

  @ParameterizedTest(name = "convoy.dev/exclude: \"{0}\" injects [{1}]")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      mesh        | logs
      mesh, logs  | ''
      ' logs '    | mesh
      *           | ''
      other       | logs mesh
      """)
  void excludeAnnotationVetoesTheNamedPolicies(String exclude, String injected) {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(
                    deployment(
                        "payments",
                        "api",
                        Map.of("mesh", "enabled", "logs", "on"),
                        Map.of(WorkloadFact.EXCLUDE_ANNOTATION, exclude)),
                    "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy"))
                .add(policy("logs", 100, Map.of("logs", "on")), post("logs", "shipper")));

    assertThat(String.join(" ", decisions.injections().stream().map(Injection::policy).toList()))
        .isEqualTo(injected);
    assertThat(decisions.vetoes())
        .allSatisfy(
            veto ->
                assertThat(veto.reason()).isEqualTo("annotation convoy.dev/exclude: " + exclude));
  }

  @Test
  void higherPriorityPolicyVetoesTheLowerOneInjectingTheSameContainerName() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of()), "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy"))
                .add(
                    policy("mesh-legacy", 50, Map.of("mesh", "enabled")),
                    pre("mesh-legacy", "proxy"),
                    post("mesh-legacy", "audit")));

    assertThat(decisions.vetoes())
        .containsExactly(
            new Veto(
                API,
                "mesh-legacy",
                "policy mesh (priority 100) also injects container 'proxy' and wins over mesh-legacy (priority 50)"));
    assertThat(decisions.injections()).extracting(Injection::policy).containsExactly("mesh");
    assertThat(decisions.violations()).isEmpty();
  }

  @Test
  void highestPriorityWinsAChainOfThreePoliciesWhateverTheFactOrder() {
    for (List<String> order :
        List.of(List.of("a", "b", "c"), List.of("c", "b", "a"), List.of("b", "c", "a"))) {
      TestFacts facts = new TestFacts().add(api(Map.of()), "app");
      Map<String, Integer> priorities = Map.of("a", 300, "b", 200, "c", 100);
      for (String name : order) {
        facts.add(
            policy(name, priorities.get(name), Map.of("mesh", "enabled")), pre(name, "proxy"));
      }

      Decisions decisions = decide(facts);

      assertThat(decisions.injections())
          .extracting(Injection::policy)
          .as("order %s", order)
          .containsExactly("a");
      assertThat(decisions.vetoes())
          .extracting(v -> v.policy() + ": " + v.reason())
          .containsExactly(
              "b: policy a (priority 300) also injects container 'proxy' and wins over b (priority 200)",
              "c: policy a (priority 300) also injects container 'proxy' and wins over c (priority 100)");
    }
  }

  @Test
  void excludedHigherPriorityPolicyLeavesTheContainerNameToTheLowerOne() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of(WorkloadFact.EXCLUDE_ANNOTATION, "mesh")), "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy"))
                .add(
                    policy("mesh-legacy", 50, Map.of("mesh", "enabled")),
                    pre("mesh-legacy", "proxy")));

    assertThat(decisions.injections()).extracting(Injection::policy).containsExactly("mesh-legacy");
    assertThat(decisions.vetoes()).extracting(Veto::policy).containsExactly("mesh");
  }

  @Test
  void policiesInjectingDifferentContainersDoNotCollide() {
    Decisions decisions =
        decide(
            new TestFacts()
                .add(api(Map.of()), "app")
                .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy"))
                .add(policy("logs", 50, Map.of("mesh", "enabled")), post("logs", "shipper")));

    assertThat(decisions.injections())
        .extracting(Injection::policy)
        .containsExactly("logs", "mesh");
    assertThat(decisions.vetoes()).isEmpty();
  }

  @Test
  void forcedInjectionInjectsAPolicyWhoseSelectorDoesNotMatch() {
    TestFacts facts =
        new TestFacts()
            .add(api(Map.of()), "app")
            .add(policy("debug", 10, Map.of("debug", "on")), post("debug", "tracer"));
    try (RuleSession session = rules().open(facts.facts())) {
      assertThat(session.decisions().injections()).isEmpty();

      Decisions decisions =
          session.insertAndFire(List.of(new ForceInjection(API, "debug", "incident 42")));

      assertThat(decisions.matches()).isEmpty();
      assertThat(decisions.injections()).containsExactly(new Injection(API, "debug", "debug-rev1"));
    }
  }

  @Test
  void excludeAnnotationWinsOverForcedInjection() {
    TestFacts facts =
        new TestFacts()
            .add(api(Map.of(WorkloadFact.EXCLUDE_ANNOTATION, "debug")), "app")
            .add(policy("debug", 10, Map.of("debug", "on")), post("debug", "tracer"));
    try (RuleSession session = rules().open(facts.facts())) {
      Decisions decisions =
          session.insertAndFire(List.of(new ForceInjection(API, "debug", "incident 42")));

      assertThat(decisions.injections()).isEmpty();
      assertThat(decisions.vetoes()).extracting(Veto::policy).containsExactly("debug");
    }
  }

  @Test
  void forcingAPolicyThatDoesNotExistIsAViolation() {
    TestFacts facts = new TestFacts().add(api(Map.of()), "app");
    try (RuleSession session = rules().open(facts.facts())) {
      Decisions decisions =
          session.insertAndFire(List.of(new ForceInjection(API, "nope", "incident 42")));

      assertThat(decisions.injections()).isEmpty();
      assertThat(decisions.violations())
          .containsExactly(
              Violation.error(
                  "unknown-policy",
                  "a rule forces policy 'nope', which does not exist (incident 42)",
                  API,
                  "nope",
                  "manifests/api.yaml",
                  1));
    }
  }
}

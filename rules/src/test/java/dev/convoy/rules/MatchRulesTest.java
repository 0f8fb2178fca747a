package dev.convoy.rules;

import static dev.convoy.rules.BuiltinRules.decide;
import static dev.convoy.rules.TestFacts.deployment;
import static dev.convoy.rules.TestFacts.id;
import static dev.convoy.rules.TestFacts.matchLabels;
import static dev.convoy.rules.TestFacts.pre;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.facts.NamespaceFact;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.PolicyMatch;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatchRulesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
      # case                          | selector     | namespaces     | kinds       | targets | pod labels              | reason, or - for no match
      selector matches              | mesh=enabled | -              | -           | -       | mesh=enabled,app=api    | selector mesh=enabled
      selector does not match       | mesh=enabled | -              | -           | -       | mesh=disabled           | -
      label missing                 | mesh=enabled | -              | -           | -       | app=api                 | -
      empty selector selects all    | -            | -              | -           | -       | app=api                 | selector (all)
      namespace allowed             | mesh=enabled | payments,shop  | -           | -       | mesh=enabled            | selector mesh=enabled; namespace payments
      namespace not allowed         | mesh=enabled | shop           | -           | -       | mesh=enabled            | -
      kind allowed                  | mesh=enabled | -              | Deployment  | -       | mesh=enabled            | selector mesh=enabled; kind Deployment
      kind not allowed              | mesh=enabled | -              | StatefulSet | -       | mesh=enabled            | -
      target allowed                | mesh=enabled | -              | -           | prod    | mesh=enabled            | selector mesh=enabled; target prod
      target not allowed            | mesh=enabled | -              | -           | staging | mesh=enabled            | -
      every term                    | mesh=enabled | payments       | Deployment  | prod    | mesh=enabled            | selector mesh=enabled; namespace payments; kind Deployment; target prod
      """)
  void matchesPolicyWhenSelectorAndAllowListsAcceptTheWorkload(
      String name,
      String selector,
      String namespaces,
      String kinds,
      String targets,
      String podLabels,
      String reason) {
    PolicyFact policy =
        new PolicyFact(
            "mesh",
            100,
            selector == null ? null : matchLabels(labels(selector)),
            null,
            list(namespaces),
            list(kinds),
            list(targets),
            "r1",
            "policies/mesh.yaml",
            3);
    TestFacts facts =
        new TestFacts()
            .add(deployment("payments", "api", labels(podLabels), Map.of()), "app")
            .add(policy, pre("mesh", "proxy"));

    Decisions decisions = decide(facts);

    if (reason == null) {
      assertThat(decisions.matches()).isEmpty();
      assertThat(decisions.injections()).isEmpty();
    } else {
      assertThat(decisions.matches())
          .containsExactly(new PolicyMatch(id("payments", "api"), "mesh", reason));
      assertThat(decisions.injections()).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
      # case                            | Namespace object labels | reason, or - for no match
      namespace labels match            | team=pay,env=prod       | selector mesh=enabled; namespaceSelector team=pay (namespace payments)
      namespace labels do not match     | team=shop               | -
      no Namespace object in sources    | -                       | -
      """)
  void namespaceSelectorNeedsAMatchingNamespaceObject(
      String name, String namespaceLabels, String reason) {
    PolicyFact policy =
        new PolicyFact(
            "mesh",
            100,
            matchLabels(Map.of("mesh", "enabled")),
            matchLabels(Map.of("team", "pay")),
            List.of(),
            List.of(),
            List.of(),
            "r1",
            "policies/mesh.yaml",
            3);
    TestFacts facts =
        new TestFacts()
            .add(deployment("payments", "api", Map.of("mesh", "enabled"), Map.of()), "app")
            .add(policy, pre("mesh", "proxy"));
    if (namespaceLabels != null) {
      facts.add(new NamespaceFact("payments", labels(namespaceLabels)));
    }
    // A Namespace of the same labels elsewhere must not count for this workload.
    facts.add(new NamespaceFact("other", Map.of("team", "pay")));

    Decisions decisions = decide(facts);

    if (reason == null) {
      assertThat(decisions.matches()).isEmpty();
    } else {
      assertThat(decisions.matches())
          .containsExactly(new PolicyMatch(id("payments", "api"), "mesh", reason));
    }
  }

  @Test
  void matchesEachWorkloadOnlyWithThePoliciesSelectingIt() {
    TestFacts facts =
        new TestFacts()
            .add(
                deployment("payments", "api", Map.of("mesh", "enabled", "logs", "on"), Map.of()),
                "app")
            .add(deployment("payments", "db", Map.of("logs", "on"), Map.of()), "db")
            .add(deployment("shop", "web", Map.of(), Map.of()), "web")
            .add(TestFacts.policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy"))
            .add(
                TestFacts.policy("logs", 50, Map.of("logs", "on")),
                TestFacts.post("logs", "shipper"));

    Decisions decisions = decide(facts);

    assertThat(decisions.matches())
        .extracting(m -> m.workload() + " " + m.policy())
        .containsExactly(
            id("payments", "api") + " logs",
            id("payments", "api") + " mesh",
            id("payments", "db") + " logs");
  }

  static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text != null) {
      for (String pair : text.split(",")) {
        String[] kv = pair.split("=", 2);
        labels.put(kv[0].trim(), kv[1].trim());
      }
    }
    return labels;
  }

  static List<String> list(String text) {
    return text == null ? List.of() : Arrays.stream(text.split(",")).map(String::trim).toList();
  }
}

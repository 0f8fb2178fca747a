package dev.convoy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.RuleSession;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.EffectiveResourcesFact;
import dev.convoy.engine.resources.EffectiveResources;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A repo's rule holding pods to a resource budget through the late EffectiveResourcesFact. */
class ResourceBudgetRulesTest {

  @Test
  void budgetRuleRaisesAViolationForAPodThatGrowsPastIt() throws Exception {
    DroolsPolicyRules rules =
        DroolsPolicyRules.builder()
            .addRuleFile(
                "rules/budget.drl",
                """
        package budget;

        import dev.convoy.engine.facts.*;

        import dev.convoy.engine.decide.*;

        rule "a pod requests at most 256Mi and grows by at most 100m cpu"
        when
            EffectiveResourcesFact( $w : workload, requestsAfterExceed("memory", "256Mi") || requestGrowthExceeds("cpu", "100m") )
        then
            insert(Violation.error("resource-budget", "pod requests " + "too much", $w, null, "rules/budget.drl", 6));
        end
        """
                    .getBytes(StandardCharsets.UTF_8))
            .build();
    EffectiveResources before = pod("250m", "128Mi");
    EffectiveResourcesFact small =
        new EffectiveResourcesFact("prod/Deployment/shop/small", before, pod("300m", "192Mi"));
    EffectiveResourcesFact big =
        new EffectiveResourcesFact("prod/Deployment/shop/big", before, pod("300m", "320Mi"));
    EffectiveResourcesFact greedy =
        new EffectiveResourcesFact("prod/Deployment/shop/greedy", before, pod("500m", "192Mi"));

    try (RuleSession session = rules.open(new TestFacts().facts())) {
      assertThat(session.decisions().violations()).isEmpty();
      Decisions decisions = session.insertAndFire(List.of(small, big, greedy));

      assertThat(decisions.violations())
          .extracting(Violation::workload)
          .containsExactlyInAnyOrder("prod/Deployment/shop/big", "prod/Deployment/shop/greedy");
      assertThat(decisions.violations())
          .allMatch(v -> v.severity() == Severity.ERROR && v.code().equals("resource-budget"));
    }
  }

  private static EffectiveResources pod(String cpu, String memory) {
    return EffectiveResources.of(
        Map.of(
            "containers",
            List.of(
                Map.of(
                    "name",
                    "app",
                    "resources",
                    Map.of("requests", Map.of("cpu", cpu, "memory", memory))))));
  }
}

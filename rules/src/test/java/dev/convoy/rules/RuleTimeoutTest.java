package dev.convoy.rules;

import static dev.convoy.rules.TestFacts.deployment;
import static dev.convoy.rules.TestFacts.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.convoy.engine.decide.RuleSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule session's wall-clock limit ends rules that sleep or spin inside one firing, which the
 * fire limit (it counts firings) never sees. The spinning rules here stop on their own after a few
 * seconds, so the test JVM keeps no busy thread; {@code convoy}'s own test runs a rule that never
 * stops in a process of its own.
 */
class RuleTimeoutTest {
  private static final String HEADER =
      """
      package payments;

      import dev.convoy.engine.facts.*;

      function boolean spinFor(long millis) {
          long end = System.nanoTime() + millis * 1000000L;
          while (System.nanoTime() < end) { }
          return true;
      }

      """;

  private static TestFacts facts() {
    return new TestFacts()
        .add(deployment("payments", "api", Map.of("mesh", "enabled"), Map.of()), "app");
  }

  private static RuleTimeoutException run(String drl, Duration timeout) throws Exception {
    DroolsPolicyRules rules =
        DroolsPolicyRules.builder()
            .addRuleFile("rules/slow.drl", (HEADER + drl).getBytes(StandardCharsets.UTF_8))
            .setTimeout(timeout)
            .build();
    long t0 = System.nanoTime();
    RuleTimeoutException e =
        catchThrowableOfType(
            () -> {
              try (RuleSession session = rules.open(facts().facts())) {
                session.decisions();
              }
            },
            RuleTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as("ended at the limit, not when the rule gave up")
        .isLessThan(timeout.plusSeconds(3));
    return e;
  }

  @Test
  void aSleepingConsequenceIsEndedAtTheTimeoutNamingTheRuleFileAndWorkload() throws Exception {
    RuleTimeoutException e =
        run(
            """
            rule "waits for a lock that never comes"
            when
                WorkloadFact( namespace == "payments" )
            then
                Thread.sleep(600000);
            end
            """,
            Duration.ofSeconds(1));

    assertThat(e).isNotNull();
    assertThat(e.rule()).isEqualTo("waits for a lock that never comes");
    assertThat(e.ruleFile()).isEqualTo("rules/slow.drl");
    assertThat(e.workloads()).containsExactly(id("payments", "api"));
    assertThat(e.getMessage())
        .startsWith(
            "rules did not finish within 1s (rule timeout): rule \"waits for a lock that never"
                + " comes\" (rules/slow.drl) was still running on workload "
                + id("payments", "api"))
        .contains("raise --rule-timeout");
  }

  @Test
  void aSpinningConsequenceIsEndedAtTheTimeout() throws Exception {
    RuleTimeoutException e =
        run(
            """
            rule "spins"
            when
                WorkloadFact( namespace == "payments" )
            then
                spinFor(4000);
            end
            """,
            Duration.ofSeconds(1));

    assertThat(e).isNotNull();
    assertThat(e.rule()).isEqualTo("spins");
    assertThat(e.ruleFile()).isEqualTo("rules/slow.drl");
  }

  @Test
  void aConditionThatSpinsIsEndedAtTheTimeoutNamingWhereItSpun() throws Exception {
    RuleTimeoutException e =
        run(
            """
            rule "spins in its condition"
            when
                WorkloadFact( namespace == "payments", spinFor(4000) )
            then
            end
            """,
            Duration.ofSeconds(1));

    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .startsWith(
            "rules did not finish within 1s (rule timeout) while evaluating rule conditions")
        .contains("spinFor");
  }

  @Test
  void rulesThatFinishInTimeAreNotAffected() throws Exception {
    DroolsPolicyRules rules =
        DroolsPolicyRules.builder()
            .addRuleFile(
                "rules/quick.drl",
                (HEADER
                        + """
                        rule "quick"
                        when
                            WorkloadFact( namespace == "payments", spinFor(50) )
                        then
                        end
                        """)
                    .getBytes(StandardCharsets.UTF_8))
            .setTimeout(Duration.ofSeconds(20))
            .build();
    try (RuleSession session = rules.open(facts().facts())) {
      assertThat(session.decisions().firings()).anyMatch(f -> f.rule().equals("quick"));
    }
  }
}

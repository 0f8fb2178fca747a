package dev.convoy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.RuleSession;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Sessions decide the same with or without recording firings; loop reports work in both. */
class FiringRecordingTest {
  private static final String LOOP =
      """
      package loops;
      import dev.convoy.engine.facts.*;
      import dev.convoy.engine.decide.*;

      declare Tick
          workload : String
          n : int
      end

      rule "start ticking"
      when
          $w : WorkloadFact( )
      then
          insert(new Tick($w.id(), 0));
      end

      rule "tick forever"
      when
          $t : Tick( )
      then
          insert(new Tick($t.getWorkload(), $t.getN() + 1));
      end
      """;

  @Test
  void decisionsWithoutFiringsAreTheSameDecisions() throws Exception {
    Facts facts = SyntheticFleet.facts(200, 10, 3);
    Decisions recorded;
    try (RuleSession session = DroolsPolicyRules.builder().build().open(facts)) {
      recorded = session.decisions();
    }
    Decisions unrecorded;
    try (RuleSession session =
        DroolsPolicyRules.builder().setRecordFirings(false).build().open(facts)) {
      unrecorded = session.decisions();
    }
    assertThat(recorded.firings()).isNotEmpty();
    assertThat(unrecorded.firings()).isEmpty();
    assertThat(unrecorded)
        .isEqualTo(
            new Decisions(
                recorded.matches(),
                recorded.vetoes(),
                recorded.injections(),
                recorded.edges(),
                recorded.violations(),
                recorded.upgradeCandidates(),
                recorded.upgradeRanks(),
                recorded.waves(),
                java.util.List.of()));
  }

  @Test
  void loopReportNamesTheWorkloadWhetherOrNotFiringsAreRecorded() throws Exception {
    Facts facts = SyntheticFleet.facts(1, 2, 1);
    for (boolean record : new boolean[] {true, false}) {
      DroolsPolicyRules rules =
          DroolsPolicyRules.builder()
              .addRuleFile("rules/loop.drl", LOOP.getBytes(StandardCharsets.UTF_8))
              .setFireLimit(2_000)
              .setRecordFirings(record)
              .build();
      RuleLoopException loop =
          catchThrowableOfType(RuleLoopException.class, () -> rules.open(facts));
      assertThat(loop).as("record " + record).isNotNull();
      assertThat(loop.rule()).isEqualTo("tick forever");
      assertThat(loop.workloads())
          .as("record " + record)
          .containsExactly(facts.workloads().get(0).id());
    }
  }
}

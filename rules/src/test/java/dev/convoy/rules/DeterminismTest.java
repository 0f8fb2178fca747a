package dev.convoy.rules;

import static dev.convoy.rules.BuiltinRules.decide;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  private static <T> List<T> shuffled(List<T> list, Random random) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, random);
    return copy;
  }

  @Test
  void decisionsDoNotDependOnTheOrderFactsAreInserted() {
    Facts facts = SyntheticFleet.facts(200, 12, 3);
    Decisions expected = decide(facts);
    assertThat(expected.injections()).isNotEmpty();
    assertThat(expected.vetoes()).isNotEmpty();
    assertThat(expected.violations()).isNotEmpty();

    for (long seed = 1; seed <= 3; seed++) {
      Random random = new Random(seed);
      Facts reordered =
          new Facts(
              shuffled(facts.workloads(), random),
              shuffled(facts.containers(), random),
              shuffled(facts.namespaces(), random),
              shuffled(facts.policies(), random),
              shuffled(facts.policyContainers(), random));

      Decisions actual = decide(reordered);

      assertThat(actual.matches()).as("seed %d", seed).isEqualTo(expected.matches());
      assertThat(actual.vetoes()).as("seed %d", seed).isEqualTo(expected.vetoes());
      assertThat(actual.injections()).as("seed %d", seed).isEqualTo(expected.injections());
      assertThat(actual.edges()).as("seed %d", seed).isEqualTo(expected.edges());
      assertThat(actual.violations()).as("seed %d", seed).isEqualTo(expected.violations());
    }
  }

  @Test
  void decisionListsAreSortedByWorkloadThenTheirOtherFields() {
    Decisions decisions = decide(SyntheticFleet.facts(50, 12, 3));

    assertThat(decisions.matches()).isSortedAccordingTo(DroolsRuleSession.MATCH_ORDER);
    assertThat(decisions.vetoes()).isSortedAccordingTo(DroolsRuleSession.VETO_ORDER);
    assertThat(decisions.injections()).isSortedAccordingTo(DroolsRuleSession.INJECTION_ORDER);
    assertThat(decisions.edges()).isSortedAccordingTo(DroolsRuleSession.EDGE_ORDER);
    assertThat(decisions.violations()).isSortedAccordingTo(DroolsRuleSession.VIOLATION_ORDER);
  }

  @Test
  void sameFactsGiveTheSameFiringsInTheSameOrder() {
    Facts facts = SyntheticFleet.facts(50, 12, 3);

    assertThat(decide(facts).firings()).isEqualTo(decide(facts).firings());
  }
}

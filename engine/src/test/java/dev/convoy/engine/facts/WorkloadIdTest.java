package dev.convoy.engine.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convoy.engine.model.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadIdTest {
  @Test
  void splitsTheTargetFromTheRefAndJoinsThemBack() {
    WorkloadId id = WorkloadId.parse("prod-eu/Deployment/payments/ledger");
    assertThat(id.target()).isEqualTo("prod-eu");
    assertThat(id.ref()).isEqualTo("Deployment/payments/ledger");
    assertThat(id).hasToString("prod-eu/Deployment/payments/ledger");
    assertThat(WorkloadId.of("prod-eu", "Deployment/payments/ledger")).isEqualTo(id);
  }

  @Test
  void rejectsAStringWithoutATarget() {
    assertThatThrownBy(() -> WorkloadId.parse("/Deployment/a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/Deployment/a/b");
    assertThatThrownBy(() -> WorkloadId.parse("ledger"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          Job,        Always,    true
          CronJob,    Always,    true
          Deployment, Always,    false
          Deployment, OnFailure, true
          Pod,        Never,     true
          """)
  void factAndKindAgreeOnWhichPodsRunToCompletion(String kind, String restart, boolean completes) {
    WorkloadFact fact =
        new WorkloadFact(
            "t/" + kind + "/ns/w",
            "t",
            kind,
            "ns",
            "w",
            java.util.Map.of(),
            java.util.Map.of(),
            restart,
            "f.yaml",
            1);
    assertThat(fact.runsToCompletion()).isEqualTo(completes);
    assertThat(WorkloadKind.of(kind).runsToCompletion(restart)).isEqualTo(completes);
  }
}

package dev.convoy.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.UpgradeCandidate;
import dev.convoy.engine.model.UpdatePolicy;
import dev.convoy.engine.upgrade.RolloutStatus.Phase;
import dev.convoy.engine.upgrade.RolloutStatus.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RolloutStatusTest {
  private static final Instant LAST = Instant.parse("2026-11-24T12:00:00Z");
  private static final UpdatePolicy HOURLY =
      new UpdatePolicy("RollingUpdate", "2", 1, false, null, Duration.ofHours(1));

  /** Every reason UpgradeWaves gives has its kind: status reads them back from the trailers. */
  @Test
  void classifiesEveryReasonTheWavePlannerGives() {
    assertThat(reasons(HOURLY, LAST.plusSeconds(7200)))
        .containsOnlyKeys(Reason.RANK, Reason.PARTITION)
        .containsEntry(Reason.PARTITION, 1)
        .containsEntry(Reason.RANK, 3);
    assertThat(reasons(HOURLY, LAST.plusSeconds(60))).containsOnlyKeys(Reason.INTERVAL);
    assertThat(reasons(new UpdatePolicy("RollingUpdate", "2", 0, true, null, Duration.ZERO), LAST))
        .containsOnlyKeys(Reason.PAUSED);
    assertThat(reasons(new UpdatePolicy("OnDelete", "2", 0, false, null, Duration.ZERO), LAST))
        .containsOnlyKeys(Reason.ON_DELETE);
  }

  @Test
  void aRollingPolicyIsDueMinWaveIntervalAfterItsLastWave() {
    RolloutState.PolicyRollout state =
        new RolloutState.PolicyRollout(
            "new", 2, LAST, 3, new TreeMap<>(Map.of("old", Map.of(), "new", Map.of())));

    RolloutStatus status =
        RolloutStatus.of(
            "prod", "mesh", state, HOURLY, Map.of("waits for a later wave: x", 3), LAST);

    assertThat(status.phase()).isEqualTo(Phase.ROLLING);
    assertThat(status.nextWaveDue()).isEqualTo(LAST.plusSeconds(3600));
    assertThat(status.olderRevisions()).containsExactly("old");
    assertThat(status.heldBy())
        .containsExactly(new RolloutStatus.Held(Reason.RANK, 3, "waits for a later wave: x"));
  }

  @Test
  void withoutARecordedWaveTheSettingsExplainWhatIsHeld() {
    RolloutState.PolicyRollout state =
        new RolloutState.PolicyRollout(
            "new", 1, LAST, 4, new TreeMap<>(Map.of("old", Map.of(), "new", Map.of())));

    assertThat(RolloutStatus.of("prod", "mesh", state, HOURLY, null, LAST.plusSeconds(60)).heldBy())
        .extracting(RolloutStatus.Held::reason)
        .containsExactly(Reason.INTERVAL);
    assertThat(
            RolloutStatus.of("prod", "mesh", state, HOURLY, null, LAST.plusSeconds(7200)).heldBy())
        .extracting(RolloutStatus.Held::reason)
        .containsExactly(Reason.RANK);
    RolloutStatus done =
        RolloutStatus.of(
            "prod",
            "mesh",
            new RolloutState.PolicyRollout(
                "new", 3, LAST, 0, new TreeMap<>(Map.of("new", Map.of()))),
            HOURLY,
            null,
            LAST);
    assertThat(done.phase()).isEqualTo(Phase.COMPLETE);
    assertThat(done.nextWaveDue()).isNull();
    assertThat(done.heldBy()).isEmpty();
    assertThat(RolloutStatus.of("prod", "gone", state, null, null, LAST).phase())
        .isEqualTo(Phase.POLICY_REMOVED);
  }

  @Test
  void aRollbackIsRollingBackWhileMovedWorkloadsAreLeftThenRolledBack() {
    TreeMap<String, Map<String, Object>> both =
        new TreeMap<>(Map.of("old", Map.of(), "new", Map.of()));
    RolloutState.PolicyRollout returning =
        new RolloutState.PolicyRollout(
            "new",
            2,
            LAST,
            4,
            both,
            new TreeMap<>(Map.of("Deployment/shop/w0", new RolloutState.Moved("old", 1))),
            new GateAnswer(false, "prometheus: value 3, expected == 0", LAST, null, "3"),
            true,
            null);
    RolloutState.PolicyRollout back =
        new RolloutState.PolicyRollout("new", 2, LAST, 6, both, null, returning.gate(), true, null);

    RolloutStatus rollingBack =
        RolloutStatus.of("prod", "mesh", returning, HOURLY, null, LAST.plusSeconds(60));
    RolloutStatus rolledBack = RolloutStatus.of("prod", "mesh", back, HOURLY, null, LAST);

    assertThat(rollingBack.phase()).isEqualTo(Phase.ROLLING_BACK);
    assertThat(rollingBack.nextWaveDue()).isEqualTo(LAST.plusSeconds(3600));
    assertThat(rolledBack.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(rolledBack.nextWaveDue()).isNull();
    assertThat(rolledBack.heldBy()).extracting(RolloutStatus.Held::count).containsExactly(6);
  }

  /** Six candidates of mesh planned at {@code now}, after a wave at LAST: held ones by reason. */
  private static Map<Reason, Integer> reasons(UpdatePolicy update, Instant now) {
    List<Injection> injections = new ArrayList<>();
    List<UpgradeCandidate> candidates = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String id = "prod/Deployment/shop/w" + i;
      injections.add(new Injection(id, "mesh", "new"));
      candidates.add(new UpgradeCandidate(id, "mesh", "old", "new", false));
    }
    Decisions decisions =
        new Decisions(
            List.of(),
            List.of(),
            injections,
            List.of(),
            List.of(),
            candidates,
            List.of(),
            List.of(),
            List.of());
    PolicyFact mesh =
        new PolicyFact(
            "mesh",
            100,
            null,
            null,
            List.of(),
            List.of(),
            List.of(),
            "new",
            "policies/mesh.yaml",
            1,
            update);
    RolloutState state =
        new RolloutState(
            new TreeMap<>(
                Map.of(
                    "mesh", new RolloutState.PolicyRollout("new", 1, LAST, 6, new TreeMap<>()))));
    Map<Reason, Integer> out = new LinkedHashMap<>();
    for (WaveDecision w :
        UpgradeWaves.plan(decisions, Map.of("mesh", mesh), Map.of("prod", state), now)) {
      if (!w.moves()) {
        out.merge(Reason.of(w.reason()), 1, Integer::sum);
      }
    }
    return out;
  }
}

package dev.convoy.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.UpgradeCandidate;
import dev.convoy.engine.facts.UpgradeRank;
import dev.convoy.engine.model.UpdatePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpgradeWavesTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  /**
   * Ten workloads w0..w9 selected by mesh, the first {@code candidates} of them on revision old.
   */
  private static List<WaveDecision> plan(
      UpdatePolicy update,
      int candidates,
      List<UpgradeRank> ranks,
      Set canaries,
      RolloutState.PolicyRollout state) {
    List<Injection> injections = new ArrayList<>();
    List<UpgradeCandidate> upgrades = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String id = "prod/Deployment/shop/w" + i;
      injections.add(new Injection(id, "mesh", "new"));
      if (i < candidates) {
        upgrades.add(new UpgradeCandidate(id, "mesh", "old", "new", canaries.has(i)));
      }
    }
    Decisions decisions =
        new Decisions(
            List.of(),
            List.of(),
            injections,
            List.of(),
            List.of(),
            upgrades,
            ranks,
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
    RolloutState recorded =
        state == null ? RolloutState.EMPTY : new RolloutState(new TreeMap<>(Map.of("mesh", state)));
    return UpgradeWaves.plan(decisions, Map.of("mesh", mesh), Map.of("prod", recorded), NOW);
  }

  @FunctionalInterface
  interface Set {
    boolean has(int i);
  }

  private static List<String> moved(List<WaveDecision> waves) {
    return waves.stream()
        .filter(WaveDecision::moves)
        .map(w -> w.workload().substring(w.workload().lastIndexOf('/') + 1))
        .toList();
  }

  private static UpdatePolicy update(
      String maxUnavailable, int partition, boolean paused, Duration interval) {
    return new UpdatePolicy("RollingUpdate", maxUnavailable, partition, paused, null, interval);
  }

  @ParameterizedTest(name = "maxUnavailable {0} of 10 selected moves {1}")
  @CsvSource({"25%, 2", "30%, 3", "5%, 1", "100%, 8", "3, 3", "0, 0", "0%, 0"})
  void maxUnavailableIsACountOrAPercentageOfTheSelectedRoundedDownAndAtLeastOneUnlessZero(
      String maxUnavailable, int moves) {
    List<WaveDecision> waves =
        plan(update(maxUnavailable, 0, false, Duration.ZERO), 8, List.of(), i -> false, null);

    assertThat(moved(waves)).hasSize(moves);
    assertThat(waves).hasSize(8).allSatisfy(w -> assertThat(w.wave()).isEqualTo(1));
  }

  @Test
  void canariesMoveFirstThenLowerRanksThenWorkloadIds() {
    List<UpgradeRank> ranks =
        List.of(
            new UpgradeRank("prod/Deployment/shop/w0", "mesh", 100, "last"),
            new UpgradeRank("prod/Deployment/shop/w5", "mesh", -1, "early"));

    List<WaveDecision> waves =
        plan(update("3", 0, false, Duration.ZERO), 8, ranks, i -> i == 7, null);

    assertThat(moved(waves)).containsExactly("w7", "w5", "w1");
    assertThat(
            waves.stream()
                .filter(w -> w.workload().endsWith("w5"))
                .findFirst()
                .orElseThrow()
                .reason())
        .isEqualTo("moves in wave 1 (rank -1: early)");
  }

  @Test
  void theLowestOfSeveralRanksCounts() {
    List<UpgradeRank> ranks =
        List.of(
            new UpgradeRank("prod/Deployment/shop/w0", "mesh", 100, "last"),
            new UpgradeRank("prod/Deployment/shop/w0", "mesh", -5, "first"));

    assertThat(moved(plan(update("1", 0, false, Duration.ZERO), 8, ranks, i -> false, null)))
        .containsExactly("w0");
  }

  @Test
  void partitionKeepsTheLastCandidatesInOrderOnTheOldRevision() {
    List<WaveDecision> waves =
        plan(update("100%", 3, false, Duration.ZERO), 8, List.of(), i -> false, null);

    assertThat(moved(waves)).containsExactly("w0", "w1", "w2", "w3", "w4");
    assertThat(waves.stream().filter(w -> !w.moves()).map(WaveDecision::reason).distinct())
        .containsExactly(
            "update.partition 3: the last 3 in upgrade order stay on the old revision");
  }

  @Test
  void pausedAndOnDeleteMoveNothing() {
    assertThat(moved(plan(update("100%", 0, true, Duration.ZERO), 8, List.of(), i -> false, null)))
        .isEmpty();
    UpdatePolicy onDelete = new UpdatePolicy("OnDelete", "100%", 0, false, null, Duration.ZERO);
    assertThat(plan(onDelete, 8, List.of(), i -> false, null))
        .hasSize(8)
        .noneMatch(WaveDecision::moves);
  }

  @Test
  void minWaveIntervalHoldsUntilItHasPassedSinceTheLastWave() {
    Duration hour = Duration.ofHours(1);
    RolloutState.PolicyRollout recent =
        new RolloutState.PolicyRollout(
            "new", 2, NOW.minus(Duration.ofMinutes(59)), 8, new TreeMap<>());
    RolloutState.PolicyRollout due =
        new RolloutState.PolicyRollout("new", 2, NOW.minus(hour), 8, new TreeMap<>());

    List<WaveDecision> held = plan(update("2", 0, false, hour), 8, List.of(), i -> false, recent);
    List<WaveDecision> moving = plan(update("2", 0, false, hour), 8, List.of(), i -> false, due);

    assertThat(held).noneMatch(WaveDecision::moves);
    assertThat(held.get(0).reason())
        .isEqualTo(
            "update.minWaveInterval 1h: the last wave moved at 2026-11-24T11:01:00Z, "
                + "the next may move from 2026-11-24T12:01:00Z");
    assertThat(moved(moving)).containsExactly("w0", "w1");
    assertThat(moving).allSatisfy(w -> assertThat(w.wave()).isEqualTo(3));
  }

  @Test
  void aNewRevisionStartsCountingWavesAgain() {
    RolloutState.PolicyRollout towardsOlder =
        new RolloutState.PolicyRollout("older", 4, null, 0, new TreeMap<>());

    assertThat(plan(update("2", 0, false, Duration.ZERO), 8, List.of(), i -> false, towardsOlder))
        .allSatisfy(w -> assertThat(w.wave()).isEqualTo(1));
  }
}

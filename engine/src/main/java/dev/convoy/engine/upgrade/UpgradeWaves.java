package dev.convoy.engine.upgrade;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.UpgradeCandidate;
import dev.convoy.engine.facts.UpgradeRank;
import dev.convoy.engine.facts.WorkloadId;
import dev.convoy.engine.model.UpdatePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cuts this run's upgrade wave for every policy and target (docs/upgrades.md): at most one wave per
 * run, none while paused or sooner than {@code minWaveInterval} after the last, at most {@code
 * maxUnavailable} workloads, canaries first, then by {@link UpgradeRank}, then by workload id; the
 * last {@code partition} candidates in that order stay behind. A pure function of the decisions,
 * the recorded rollout state and the time it is given.
 */
public final class UpgradeWaves {
  private UpgradeWaves() {}

  /**
   * @param decisions the rules' decisions with the upgrade candidates and ranks
   * @param policies the policies by name
   * @param states each target's recorded rollout state
   * @param now the time of this run
   */
  public static List<WaveDecision> plan(
      Decisions decisions,
      Map<String, PolicyFact> policies,
      Map<String, RolloutState> states,
      Instant now) {
    // The rank that counts per candidate: the lowest; on a tie the alphabetically first reason,
    // whatever the firing order.
    Map<String, UpgradeRank> ranks = new HashMap<>();
    for (UpgradeRank r : decisions.upgradeRanks()) {
      ranks.merge(
          key(r.workload(), r.policy()), r, (a, b) -> RANK_ORDER.compare(a, b) <= 0 ? a : b);
    }
    Map<String, Integer> selected = new HashMap<>();
    for (Injection i : decisions.injections()) {
      selected.merge(key(target(i.workload()), i.policy()), 1, Integer::sum);
    }
    Map<String, List<UpgradeCandidate>> byRollout = new TreeMap<>();
    for (UpgradeCandidate c : decisions.upgradeCandidates()) {
      byRollout
          .computeIfAbsent(key(target(c.workload()), c.policy()), k -> new ArrayList<>())
          .add(c);
    }
    List<WaveDecision> waves = new ArrayList<>();
    byRollout.forEach(
        (rollout, candidates) -> {
          String target = rollout.substring(0, rollout.indexOf('\n'));
          PolicyFact policy = policies.get(candidates.get(0).policy());
          RolloutState.PolicyRollout state =
              states.getOrDefault(target, RolloutState.EMPTY).policies().get(policy.name());
          candidates.sort(
              Comparator.comparing((UpgradeCandidate c) -> !c.canary())
                  .thenComparingInt(c -> rankOf(ranks, c))
                  .thenComparing(UpgradeCandidate::workload));
          waves.addAll(
              plan(
                  policy,
                  candidates,
                  ranks,
                  selected.getOrDefault(rollout, candidates.size()),
                  state,
                  now));
        });
    return waves;
  }

  private static final Comparator<UpgradeRank> RANK_ORDER =
      Comparator.comparingInt(UpgradeRank::rank)
          .thenComparing(UpgradeRank::reason, Comparator.nullsFirst(Comparator.naturalOrder()));

  private static String key(String first, String policy) {
    return first + "\n" + policy;
  }

  private static int rankOf(Map<String, UpgradeRank> ranks, UpgradeCandidate c) {
    UpgradeRank r = ranks.get(key(c.workload(), c.policy()));
    return r == null ? 0 : r.rank();
  }

  private static List<WaveDecision> plan(
      PolicyFact policy,
      List<UpgradeCandidate> ordered,
      Map<String, UpgradeRank> ranks,
      int selected,
      RolloutState.PolicyRollout state,
      Instant now) {
    UpdatePolicy update = policy.update();
    int wave = state != null && policy.revision().equals(state.revision()) ? state.wave() + 1 : 1;
    String heldBy = null;
    if (update.strategy().equals("OnDelete")) {
      heldBy =
          "update.strategy OnDelete: only workloads rendered for the first time get a new revision";
    } else if (update.paused()) {
      heldBy = "update.paused: no wave moves";
    } else if (state != null
        && state.lastWave() != null
        && !update.minWaveInterval().isZero()
        && now.isBefore(state.lastWave().plus(update.minWaveInterval()))) {
      heldBy =
          "update.minWaveInterval "
              + update.minWaveInterval().toString().substring(2).toLowerCase()
              + ": the last wave moved at "
              + state.lastWave()
              + ", the next may move from "
              + state.lastWave().plus(update.minWaveInterval());
    }
    int size = waveSize(update.maxUnavailable(), selected);
    int movable = Math.max(0, ordered.size() - update.partition());
    List<WaveDecision> out = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      UpgradeCandidate c = ordered.get(i);
      boolean moves = false;
      String reason;
      if (heldBy != null) {
        reason = heldBy;
      } else if (i >= movable) {
        reason =
            "update.partition "
                + update.partition()
                + ": the last "
                + update.partition()
                + " in upgrade order stay on the old revision";
      } else if (i >= size) {
        reason =
            "waits for a later wave: update.maxUnavailable "
                + update.maxUnavailable()
                + " of "
                + selected
                + " workloads moves "
                + size
                + " per wave";
      } else {
        moves = true;
        UpgradeRank r = ranks.get(key(c.workload(), c.policy()));
        reason =
            "moves in wave "
                + wave
                + (c.canary() ? " (canary)" : "")
                + (r == null ? "" : " (rank " + r.rank() + ": " + r.reason() + ")");
      }
      out.add(
          new WaveDecision(
              c.workload(), c.policy(), c.fromRevision(), c.toRevision(), moves, wave, reason));
    }
    return out;
  }

  /**
   * Workloads per wave: a count, or a percentage of the selected workloads rounded down; at least
   * 1.
   */
  static int waveSize(String maxUnavailable, int selected) {
    int size =
        maxUnavailable.endsWith("%")
            ? (int)
                ((long) selected
                    * Integer.parseInt(maxUnavailable.substring(0, maxUnavailable.length() - 1))
                    / 100)
            : Integer.parseInt(maxUnavailable);
    return Math.max(1, size);
  }

  static String target(String workloadId) {
    return WorkloadId.parse(workloadId).target();
  }
}

package dev.convoy.engine.upgrade;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.UpgradeCandidate;
import dev.convoy.engine.facts.UpgradeRank;
import dev.convoy.engine.facts.WorkloadFact;
import dev.convoy.engine.facts.WorkloadId;
import dev.convoy.engine.model.UpdatePolicy;
import dev.convoy.engine.model.UpdateWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cuts this run's upgrade wave for every policy and target (docs/upgrades.md): at most one wave per
 * run, and only in a run that owns the clock ({@link WaveRun#advance()}); none while paused,
 * stopped after {@code stopAfterWaves}, outside every window, sooner than {@code minWaveInterval}
 * after the last, or while the gate says the moved workloads are unhealthy; at most {@code
 * maxUnavailable} workloads and {@code perGroup.max} of one group, canaries first, then by {@link
 * UpgradeRank}, then by workload id; the last {@code partition} candidates in that order stay
 * behind. A failing gate with {@code onFailure: rollback} returns the moved workloads to the
 * revision they ran before in the waves that moved them, the last first, one per run. A pure
 * function of the decisions, the recorded rollout state and the {@link WaveRun}.
 */
public final class UpgradeWaves {
  private UpgradeWaves() {}

  /** How a moving decision's reason gives the gate's answer, up to a closing parenthesis. */
  public static final String GATE_PASSED = " (gate passed: ";

  /** The words every held line of a run that does not own the clock ends with. */
  public static final String NOT_ADVANCING =
      "waves advance only in reconcile or with --advance-waves";

  /** A run that owns the clock, without gates or budgets per label. */
  public static List<WaveDecision> plan(
      Decisions decisions,
      Map<String, PolicyFact> policies,
      Map<String, RolloutState> states,
      Instant now) {
    return plan(decisions, policies, states, List.of(), null, new WaveRun(now, true, Map.of()));
  }

  /**
   * @param decisions the rules' decisions with the upgrade candidates and ranks
   * @param policies the policies by name
   * @param states each target's recorded rollout state
   * @param workloads the workload facts (labels for budgets per group)
   * @param revisions the revisions this run can render (a rollback needs the old one)
   * @param run the time, whether waves advance, the gates' answers
   */
  public static List<WaveDecision> plan(
      Decisions decisions,
      Map<String, PolicyFact> policies,
      Map<String, RolloutState> states,
      List<WorkloadFact> workloads,
      Revisions revisions,
      WaveRun run) {
    // The rank that counts per candidate: the lowest; on a tie the alphabetically first reason,
    // whatever the firing order.
    Map<String, UpgradeRank> ranks = new HashMap<>();
    for (UpgradeRank r : decisions.upgradeRanks()) {
      ranks.merge(
          key(r.workload(), r.policy()), r, (a, b) -> RANK_ORDER.compare(a, b) <= 0 ? a : b);
    }
    Map<String, Integer> selected = new HashMap<>();
    Set<String> injected = new HashSet<>();
    for (Injection i : decisions.injections()) {
      selected.merge(key(target(i.workload()), i.policy()), 1, Integer::sum);
      injected.add(key(i.workload(), i.policy()));
    }
    Map<String, List<UpgradeCandidate>> byRollout = new TreeMap<>();
    for (UpgradeCandidate c : decisions.upgradeCandidates()) {
      byRollout
          .computeIfAbsent(key(target(c.workload()), c.policy()), k -> new ArrayList<>())
          .add(c);
    }
    // A rollout rolling back (onFailure: rollback) has work even without candidates.
    states.forEach(
        (target, state) ->
            state
                .policies()
                .forEach(
                    (name, rollout) -> {
                      PolicyFact p = policies.get(name);
                      if (p != null && returnsWave(p, rollout, run.gate(target, name), run)) {
                        byRollout.computeIfAbsent(key(target, name), k -> new ArrayList<>());
                      }
                    }));
    Map<String, WorkloadFact> byId = new HashMap<>();
    for (WorkloadFact w : workloads) {
      byId.put(w.id(), w);
    }
    List<WaveDecision> waves = new ArrayList<>();
    byRollout.forEach(
        (rollout, candidates) -> {
          String target = rollout.substring(0, rollout.indexOf('\n'));
          PolicyFact policy = policies.get(rollout.substring(rollout.indexOf('\n') + 1));
          RolloutState targetState = states.getOrDefault(target, RolloutState.EMPTY);
          RolloutState.PolicyRollout state = targetState.policies().get(policy.name());
          candidates.sort(
              Comparator.comparing((UpgradeCandidate c) -> !c.canary())
                  .thenComparingInt(c -> rankOf(ranks, c))
                  .thenComparing(UpgradeCandidate::workload));
          GateAnswer gate = run.gate(target, policy.name());
          waves.addAll(
              plan(
                  policy,
                  candidates,
                  ranks,
                  selected.getOrDefault(rollout, candidates.size()),
                  targetState,
                  state,
                  gate,
                  byId,
                  run));
          if (state != null && returnsWave(policy, state, gate, run)) {
            waves.addAll(rollbackWave(target, policy, state, gate, injected, revisions));
          }
        });
    return waves;
  }

  /**
   * True when this run returns a wave of a rollout's moved workloads to the revision they ran
   * before: the gate has just failed, or an earlier run started the rollback and the interval since
   * its last wave has passed. A rollback is not asked of the gate again, and no window or {@code
   * stopAfterWaves} holds it: it is the repair.
   */
  private static boolean returnsWave(
      PolicyFact policy, RolloutState.PolicyRollout state, GateAnswer gate, WaveRun run) {
    UpdatePolicy update = policy.update();
    if (!run.advance()
        || update.gate() == null
        || !UpdatePolicy.ROLLBACK.equals(update.onFailure())
        || !policy.revision().equals(state.revision())
        || state.moved().isEmpty()) {
      return false;
    }
    if (state.rolledBack()) {
      return !update.paused() && intervalPassed(update, state, run.now());
    }
    return gate != null && !gate.healthy();
  }

  /**
   * The moved workloads of the latest wave not yet returned, back to the revision each ran before:
   * a rollback undoes the waves one per run, the last first.
   */
  private static List<WaveDecision> rollbackWave(
      String target,
      PolicyFact policy,
      RolloutState.PolicyRollout state,
      GateAnswer gate,
      Set<String> injected,
      Revisions revisions) {
    Map<String, RolloutState.Moved> returnable = new TreeMap<>();
    state
        .moved()
        .forEach(
            (ref, moved) -> {
              String id = target + "/" + ref;
              if (injected.contains(key(id, policy.name()))
                  && revisions != null
                  && revisions.isOlder(policy.name(), moved.fromRevision())) {
                returnable.put(id, moved);
              }
            });
    int wave = returnable.values().stream().mapToInt(RolloutState.Moved::wave).max().orElse(0);
    GateAnswer failed = state.rolledBack() && state.gate() != null ? state.gate() : gate;
    String why = "gate failed" + (failed == null ? "" : ": " + failed.words());
    List<WaveDecision> out = new ArrayList<>();
    returnable.forEach(
        (id, moved) -> {
          if (moved.wave() == wave) {
            out.add(
                new WaveDecision(
                    id,
                    policy.name(),
                    moved.fromRevision(),
                    policy.revision(),
                    false,
                    wave,
                    WaveDecision.ROLLED_BACK_TO
                        + moved.fromRevision()
                        + " with the rest of wave "
                        + wave
                        + ": "
                        + why));
          }
        });
    return out;
  }

  private static boolean intervalPassed(
      UpdatePolicy update, RolloutState.PolicyRollout state, Instant now) {
    return state.lastWave() == null
        || update.minWaveInterval().isZero()
        || !now.isBefore(state.lastWave().plus(update.minWaveInterval()));
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

  /**
   * Why no wave of this rollout moves in this run, or null when one may. Checked in this order, so
   * the reason a rollout gives is the one a person must act on first.
   */
  public static String heldBy(
      UpdatePolicy update,
      RolloutState targetState,
      RolloutState.PolicyRollout state,
      boolean sameRevision,
      GateAnswer gate,
      WaveRun run) {
    Instant now = run.now();
    if (!targetState.problems().isEmpty()) {
      return "rollout state "
          + RolloutState.FILE
          + " cannot be trusted ("
          + targetState.problems().get(0)
          + "): every wave holds until it is fixed";
    }
    if (state != null && state.problem() != null) {
      return "rollout state of policy cannot be trusted ("
          + state.problem()
          + "): every wave holds until it is fixed";
    }
    if (update.strategy().equals("OnDelete")) {
      return "update.strategy OnDelete: only workloads rendered for the first time get a new"
          + " revision";
    }
    if (update.paused()) {
      return "update.paused: no wave moves";
    }
    if (sameRevision && state.rolledBack()) {
      return (state.rollingBack() ? "rolling back, a wave per run," : "rolled back")
          + " after the gate failed"
          + (state.gate() == null ? "" : " (" + state.gate().words() + ")")
          + ": no wave moves until the policy changes";
    }
    if (isZero(update.maxUnavailable())) {
      return "update.maxUnavailable " + update.maxUnavailable() + ": every wave holds";
    }
    int done = sameRevision ? state.wave() : 0;
    if (update.stopAfterWaves() > 0 && done >= update.stopAfterWaves()) {
      return "update.stopAfterWaves "
          + update.stopAfterWaves()
          + ": "
          + done
          + " waves done, the rest wait for a person to raise or remove it";
    }
    boolean gated = update.gate() != null && sameRevision && !state.moved().isEmpty();
    if (gated && run.advance()) {
      if (gate == null) {
        return "gate not evaluated: no answer for this rollout";
      }
      if (!gate.healthy()) {
        return "gate failed: " + gate.words();
      }
    }
    if (state != null && !intervalPassed(update, state, now)) {
      return "update.minWaveInterval "
          + update.minWaveInterval().toString().substring(2).toLowerCase()
          + ": the last wave moved at "
          + state.lastWave()
          + ", the next may move from "
          + state.lastWave().plus(update.minWaveInterval());
    }
    if (!update.windows().isEmpty() && update.windows().stream().noneMatch(w -> w.contains(now))) {
      return "update.windows: outside every window, the next opens at " + nextWindow(update, now);
    }
    return null;
  }

  /** When the next window opens ({@code now} while one is open); null without windows. */
  public static Instant nextWindow(UpdatePolicy update, Instant now) {
    Instant next = null;
    for (UpdateWindow w : update.windows()) {
      Instant open = w.nextOpen(now);
      if (next == null || open.isBefore(next)) {
        next = open;
      }
    }
    return next;
  }

  private static List<WaveDecision> plan(
      PolicyFact policy,
      List<UpgradeCandidate> ordered,
      Map<String, UpgradeRank> ranks,
      int selected,
      RolloutState targetState,
      RolloutState.PolicyRollout state,
      GateAnswer gate,
      Map<String, WorkloadFact> workloads,
      WaveRun run) {
    UpdatePolicy update = policy.update();
    boolean sameRevision = state != null && policy.revision().equals(state.revision());
    int wave = sameRevision ? state.wave() + 1 : 1;
    String heldBy = heldBy(update, targetState, state, sameRevision, gate, run);
    int size = isZero(update.maxUnavailable()) ? 0 : waveSize(update.maxUnavailable(), selected);
    int movable = Math.max(0, ordered.size() - update.partition());
    boolean gated = update.gate() != null && sameRevision && !state.moved().isEmpty();
    Map<String, Integer> perGroup = new HashMap<>();
    int moving = 0;
    List<WaveDecision> out = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      UpgradeCandidate c = ordered.get(i);
      boolean moves = false;
      String reason;
      String group = group(update, workloads.get(c.workload()), c.workload());
      if (heldBy != null) {
        reason = heldBy;
      } else if (i >= movable) {
        reason =
            "update.partition "
                + update.partition()
                + ": the last "
                + update.partition()
                + " in upgrade order stay on the old revision";
      } else if (moving >= size) {
        reason =
            "waits for a later wave: update.maxUnavailable "
                + update.maxUnavailable()
                + " of "
                + selected
                + " workloads moves "
                + size
                + " per wave";
      } else if (group != null && perGroup.getOrDefault(group, 0) >= update.perGroup().max()) {
        reason =
            "waits for a later wave: update.perGroup "
                + update.perGroup()
                + ": "
                + group
                + " already moves "
                + update.perGroup().max()
                + " in this wave";
      } else {
        moving++;
        if (group != null) {
          perGroup.merge(group, 1, Integer::sum);
        }
        UpgradeRank r = ranks.get(key(c.workload(), c.policy()));
        String how =
            (c.canary() ? " (canary)" : "")
                + (r == null ? "" : " (rank " + r.rank() + ": " + r.reason() + ")");
        if (run.advance()) {
          moves = true;
          reason =
              "moves in wave "
                  + wave
                  + how
                  + (gated && gate != null ? GATE_PASSED + gate.words() + ")" : "");
        } else {
          reason =
              "next wave "
                  + wave
                  + " would move it"
                  + how
                  + ", due now"
                  + (gated ? " if the gate passes" : "")
                  + ": "
                  + NOT_ADVANCING;
        }
      }
      out.add(
          new WaveDecision(
              c.workload(), c.policy(), c.fromRevision(), c.toRevision(), moves, wave, reason));
    }
    return out;
  }

  private static String group(UpdatePolicy update, WorkloadFact w, String id) {
    if (update.perGroup() == null) {
      return null;
    }
    String[] parts = id.split("/", 4);
    String namespace = w != null ? w.namespace() : parts.length > 2 ? parts[2] : "";
    return update.perGroup().groupOf(namespace, w == null ? Map.of() : w.labels());
  }

  static boolean isZero(String maxUnavailable) {
    return maxUnavailable.replace("%", "").chars().allMatch(ch -> ch == '0');
  }

  /**
   * Workloads per wave: a count, or a percentage of the selected workloads rounded down; at least 1
   * unless it is 0 (hold).
   */
  static int waveSize(String maxUnavailable, int selected) {
    if (isZero(maxUnavailable)) {
      return 0;
    }
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

package dev.convoy.engine.upgrade;

import dev.convoy.engine.model.UpdatePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where one policy's rollout stands in one target ({@code convoy status}): a pure function of the
 * recorded {@link RolloutState}, the policy's {@code update} settings, what the last wave recorded
 * about the workloads it held, and the time. One record per rollout, so what a later rollout
 * feature adds (health gates, budgets, windows) is a field, not a new report.
 *
 * @param target the target
 * @param policy the policy
 * @param revision the revision waves move workloads to
 * @param wave waves done towards it
 * @param lastWave when the last wave moved, or {@code null} if none has
 * @param phase complete, rolling, rolling back, rolled back, paused, on-delete, or the policy no
 *     longer exists
 * @param nextWaveDue when the next wave may move ({@code lastWave + minWaveInterval}); {@code null}
 *     when nothing is left to move, no wave can move (paused, on-delete), or the next run may move
 *     one at once
 * @param held workloads still on an older revision after the last run
 * @param heldBy why they are held, by reason, as the last wave recorded them (or as the settings
 *     explain them when nothing was recorded)
 * @param olderRevisions revisions other than {@code revision} that some workload still runs
 * @param gate the policy's gate in words ({@code prometheus URL: QUERY expect == 0}, {@code command
 *     [...]}); {@code null} without one
 * @param lastGate the gate's last recorded answer; {@code null} before the first
 * @param perGroup the budget per group in words; {@code null} without one
 * @param nextWindow when the next window opens ({@code now} while one is open); {@code null}
 *     without windows
 */
public record RolloutStatus(
    String target,
    String policy,
    String revision,
    int wave,
    Instant lastWave,
    Phase phase,
    Instant nextWaveDue,
    int held,
    List<Held> heldBy,
    SortedSet<String> olderRevisions,
    String gate,
    GateAnswer lastGate,
    String perGroup,
    Instant nextWindow) {

  /** What the rollout is doing. */
  public enum Phase {
    /** Every workload runs {@code revision}. */
    COMPLETE,
    /** Waves are moving workloads. */
    ROLLING,
    /**
     * The gate failed with {@code onFailure: rollback}: waves return the moved workloads, the last
     * wave first, one per run.
     */
    ROLLING_BACK,
    /**
     * Every moved workload is back on the revision it ran before; no wave moves until the policy
     * changes.
     */
    ROLLED_BACK,
    /** {@code update.paused}: no wave moves. */
    PAUSED,
    /** {@code update.strategy: OnDelete}: running workloads keep their revision. */
    ON_DELETE,
    /** The policy is no longer in the source; its recorded revisions are left. */
    POLICY_REMOVED
  }

  /** Why workloads are held. */
  public enum Reason {
    /** {@code update.paused}. */
    PAUSED,
    /** {@code update.partition}: the last workloads in upgrade order stay behind. */
    PARTITION,
    /** {@code update.minWaveInterval} has not passed since the last wave. */
    INTERVAL,
    /** Waiting for a later wave: {@code maxUnavailable} per wave, in upgrade order (rank). */
    RANK,
    /** {@code update.strategy: OnDelete}. */
    ON_DELETE,
    /** Anything else. */
    OTHER;

    /** The reason of a {@link dev.convoy.engine.decide.WaveDecision#reason()} text. */
    public static Reason of(String decision) {
      String d = decision == null ? "" : decision;
      if (d.startsWith("update.paused")) {
        return PAUSED;
      }
      if (d.startsWith("update.partition")) {
        return PARTITION;
      }
      if (d.startsWith("update.minWaveInterval")) {
        return INTERVAL;
      }
      if (d.startsWith("waits for a later wave")) {
        return RANK;
      }
      if (d.startsWith("update.strategy OnDelete")) {
        return ON_DELETE;
      }
      return OTHER;
    }
  }

  /**
   * Workloads held for one reason.
   *
   * @param reason the kind of reason
   * @param count how many
   * @param detail the reason in words, as the wave recorded it
   */
  public record Held(Reason reason, int count, String detail) {}

  public RolloutStatus {
    heldBy = List.copyOf(heldBy);
    olderRevisions = new TreeSet<>(olderRevisions);
  }

  /**
   * The status of one rollout.
   *
   * @param update the policy's current settings, or {@code null} when the policy is gone
   * @param recorded the held workloads by reason text, as the last wave's {@code Convoy-Wave}
   *     trailer for this revision recorded them; {@code null} when none was found
   */
  public static RolloutStatus of(
      String target,
      String policy,
      RolloutState.PolicyRollout state,
      UpdatePolicy update,
      Map<String, Integer> recorded,
      Instant now) {
    SortedSet<String> older = new TreeSet<>(state.revisions().keySet());
    older.remove(state.revision());
    boolean inProgress = state.inProgress();
    Phase phase;
    if (update == null) {
      phase = Phase.POLICY_REMOVED;
    } else if (!inProgress) {
      phase = Phase.COMPLETE;
    } else if (update.strategy().equals("OnDelete")) {
      phase = Phase.ON_DELETE;
    } else if (update.paused()) {
      phase = Phase.PAUSED;
    } else if (state.rolledBack()) {
      phase = state.rollingBack() ? Phase.ROLLING_BACK : Phase.ROLLED_BACK;
    } else {
      phase = Phase.ROLLING;
    }
    Instant due = null;
    if ((phase == Phase.ROLLING || phase == Phase.ROLLING_BACK)
        && state.lastWave() != null
        && !update.minWaveInterval().isZero()) {
      due = state.lastWave().plus(update.minWaveInterval());
    }
    List<Held> heldBy = new ArrayList<>();
    if (state.held() > 0) {
      if (recorded != null && !recorded.isEmpty()) {
        recorded.forEach((text, n) -> heldBy.add(new Held(Reason.of(text), n, text)));
      } else {
        heldBy.add(explained(phase, update, state, due, now));
      }
    }
    return new RolloutStatus(
        target,
        policy,
        state.revision(),
        state.wave(),
        state.lastWave(),
        phase,
        due,
        state.held(),
        heldBy,
        older,
        update == null ? null : gateWords(update.gate()),
        state.gate(),
        update == null || update.perGroup() == null ? null : update.perGroup().toString(),
        update == null || now == null ? null : UpgradeWaves.nextWindow(update, now));
  }

  private static String gateWords(dev.convoy.engine.model.UpdateGate gate) {
    if (gate instanceof dev.convoy.engine.model.UpdateGate.Prometheus p) {
      return "prometheus " + p.url() + ": " + p.query() + " " + p.expect();
    }
    if (gate instanceof dev.convoy.engine.model.UpdateGate.Command c) {
      return "command " + c.command();
    }
    return null;
  }

  /** Without a recorded wave: what the settings say holds the workloads. */
  private static Held explained(
      Phase phase,
      UpdatePolicy update,
      RolloutState.PolicyRollout state,
      Instant due,
      Instant now) {
    int n = state.held();
    return switch (phase) {
      case PAUSED -> new Held(Reason.PAUSED, n, "update.paused: no wave moves");
      case ON_DELETE ->
          new Held(Reason.ON_DELETE, n, "update.strategy OnDelete: running workloads keep theirs");
      case ROLLED_BACK ->
          new Held(Reason.OTHER, n, "rolled back after the gate failed: until the policy changes");
      case ROLLING, ROLLING_BACK ->
          due != null && Objects.requireNonNull(now).isBefore(due)
              ? new Held(
                  Reason.INTERVAL, n, "update.minWaveInterval: the next wave may move from " + due)
              : new Held(Reason.RANK, n, "waits for a later wave");
      default -> new Held(Reason.OTHER, n, "held on an older revision");
    };
  }
}

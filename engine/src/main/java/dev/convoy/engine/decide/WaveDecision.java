package dev.convoy.engine.decide;

import dev.convoy.engine.facts.UpgradeCandidate;
import dev.convoy.engine.facts.WorkloadFact;

/**
 * This run's decision for one {@link UpgradeCandidate}: it moves to the new revision now, or it is
 * held on the revision it runs. Inserted by the engine after the rules have ranked the candidates,
 * from the policy's {@code update} settings and the rollout state recorded in the target's output;
 * rules see it in the same session (for example to raise a violation). A rollback ({@code
 * onFailure: rollback}) is one too: a workload an earlier wave moved, {@code moves} false, {@code
 * fromRevision} the revision it returns to, {@code wave} the wave being undone ({@link
 * #rollsBack()}).
 *
 * <pre>
 * {@code WaveDecision(workload: "prod/Deployment/shop/cart", policy: "mesh", fromRevision: "3f2a1b9c04",
 *     toRevision: "9e77c0d512", moves: false, wave: 2, reason: "waits for a later wave (maxUnavailable 25% of 12 = 3)")}
 * </pre>
 *
 * @param workload the {@link WorkloadFact#id()}
 * @param policy the policy being rolled out
 * @param fromRevision the revision the workload runs (for a rollback: the one it returns to)
 * @param toRevision the policy's current revision
 * @param moves true when the workload renders {@code toRevision} this run
 * @param wave the number of this run's wave towards {@code toRevision} (1 for the first)
 * @param reason why it moves or is held, in words
 */
public record WaveDecision(
    String workload,
    String policy,
    String fromRevision,
    String toRevision,
    boolean moves,
    int wave,
    String reason) {

  /** How a rollback's reason starts. */
  public static final String ROLLED_BACK_TO = "rolled back to ";

  /** True when this run returns the workload from {@code toRevision} to {@code fromRevision}. */
  public boolean rollsBack() {
    return !moves && reason.startsWith(ROLLED_BACK_TO);
  }
}

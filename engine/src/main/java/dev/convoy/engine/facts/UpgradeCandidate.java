package dev.convoy.engine.facts;

/**
 * A workload selected by a policy that runs an older revision of it: it moves to {@code toRevision}
 * in some upgrade wave (docs/upgrades.md). Inserted by the built-in rules; rules rank candidates
 * with {@link UpgradeRank}, and the engine then cuts this run's wave ({@link
 * dev.convoy.engine.decide.WaveDecision}).
 *
 * <pre>{@code UpgradeCandidate(workload: "prod/Deployment/shop/cart", policy: "mesh",
 *     fromRevision: "3f2a1b9c04", toRevision: "9e77c0d512", canary: false)}</pre>
 *
 * @param workload the {@link WorkloadFact#id()}
 * @param policy the policy's name
 * @param fromRevision the revision it runs ({@link DeployedRevision})
 * @param toRevision the policy's current revision
 * @param canary whether the pod labels match the policy's {@code update.canary} selector: canaries
 *     move first
 */
public record UpgradeCandidate(
    String workload, String policy, String fromRevision, String toRevision, boolean canary) {}

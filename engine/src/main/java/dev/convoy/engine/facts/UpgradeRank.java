package dev.convoy.engine.facts;

/**
 * A rule's say in the upgrade order: candidates of a policy move in order of canary first, then
 * rank (lower first; a candidate without a rank has rank 0), then workload id. Insert one from a
 * rule that matches an {@link UpgradeCandidate}; when several rules rank the same candidate for the
 * same policy, the lowest rank counts.
 *
 * <pre>{@code
 * rule "payments moves last"
 * when
 *     UpgradeCandidate( $id : workload, $p : policy )
 *     WorkloadFact( id == $id, namespace == "payments" )
 * then
 *     insertLogical(new UpgradeRank($id, $p, 100, "payments moves last"));
 * end
 * }</pre>
 *
 * @param workload the {@link WorkloadFact#id()}
 * @param policy the policy being rolled out
 * @param rank lower moves earlier; negative values move ahead of unranked candidates
 * @param reason shown by {@code convoy explain}
 */
public record UpgradeRank(String workload, String policy, int rank, String reason) {}

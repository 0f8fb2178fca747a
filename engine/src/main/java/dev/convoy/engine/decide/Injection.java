package dev.convoy.engine.decide;

import dev.convoy.engine.facts.WorkloadFact;

/**
 * The decision to inject a policy into a workload at a revision.
 *
 * @param workload the {@link WorkloadFact#id()}
 * @param policy the policy's name
 * @param revision the policy revision to render: the policy's current revision, or the one the
 *     workload already runs while an upgrade wave holds it back ({@link WaveDecision})
 */
public record Injection(String workload, String policy, String revision) {}

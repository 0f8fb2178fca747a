package dev.convoy.engine.facts;

/**
 * What a workload runs today: the revision of a policy recorded in the target's previous rendered
 * output (the {@code convoy.dev/injected} annotation in git). Inserted by the engine only while a
 * rollout of that policy may be in progress, and only for revisions whose spec the output's rollout
 * state still records, so the workload can keep rendering with it.
 *
 * <pre>
 * {@code DeployedRevision(workload: "prod/Deployment/shop/cart", policy: "mesh", revision: "3f2a1b9c04")}
 * </pre>
 *
 * @param workload the {@link WorkloadFact#id()}
 * @param policy the policy's name
 * @param revision the policy revision its previous output carries
 */
public record DeployedRevision(String workload, String policy, String revision) {}

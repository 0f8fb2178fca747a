package dev.convoy.rules.builtin;

/**
 * A policy that will be injected into a workload unless something vetoes it: it matched ({@code
 * PolicyMatch}) or a rule forced it ({@code ForceInjection}). The built-in rules derive it so that
 * exclusion, priority and injection are each written once for both cases.
 *
 * @param workload the workload id
 * @param policy the policy's name
 */
public record Candidate(String workload, String policy) {}

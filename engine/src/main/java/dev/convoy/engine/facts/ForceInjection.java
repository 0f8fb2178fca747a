package dev.convoy.engine.facts;

/** Injects a policy into a workload whether or not its selectors match (a veto still wins). */
public record ForceInjection(String workload, String policy, String reason) {}

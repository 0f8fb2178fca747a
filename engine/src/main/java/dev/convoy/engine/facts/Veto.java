package dev.convoy.engine.facts;

/** Keeps a policy out of a workload even though it matches; {@code reason} is shown by explain. */
public record Veto(String workload, String policy, String reason) {}

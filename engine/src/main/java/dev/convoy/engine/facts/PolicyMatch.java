package dev.convoy.engine.facts;

/** A policy's selectors and allow-lists accept a workload; {@code reason} says which terms. */
public record PolicyMatch(String workload, String policy, String reason) {}

package dev.convoy.engine.upgrade;

import java.time.Instant;

/**
 * What a policy's {@code spec.update.gate} answered for one target's moved workloads, evaluated
 * outside the engine before the render and passed in ({@code RenderRun.setGateAnswer}): the engine
 * never runs a command or calls a server, so any machine with the same commit, time and answers
 * reaches the same wave. Recorded in the rollout state and the wave's trailer.
 *
 * @param healthy true when the next wave may move
 * @param words what the gate said, e.g. {@code prometheus: value 3 at ..., expected == 0}
 * @param at when it was evaluated
 * @param query the query or command line it ran
 * @param value the value it found (a sample value, an exit code); {@code null} when it had none
 */
public record GateAnswer(boolean healthy, String words, Instant at, String query, String value) {}

package dev.convoy.engine.model;

import java.time.Duration;
import java.util.List;

/**
 * How a policy's rollout learns whether the workloads moved so far are healthy, before each wave
 * after the first ({@code spec.update.gate}). The engine never runs a gate: the command line
 * evaluates it before rendering and passes the answer in, so a render stays a pure function of its
 * inputs.
 */
public sealed interface UpdateGate {
  /** How long one evaluation may take before it counts as failed. */
  Duration timeout();

  /**
   * A program run with the moved workloads as JSON on stdin; exit 0 means healthy.
   *
   * @param command the program and its arguments
   * @param timeout how long it may run
   */
  record Command(List<String> command, Duration timeout) implements UpdateGate {
    public Command {
      command = List.copyOf(command);
    }
  }

  /**
   * An instant query through Prometheus' HTTP API; every sample must satisfy {@code expect}.
   *
   * @param url the server, e.g. {@code http://prometheus:9090}
   * @param query PromQL with {@code {{namespaces}}} and {@code {{names}}} replaced by the moved
   *     workloads' namespaces and names, as a regular expression alternation ({@code a|b})
   * @param expect a comparison such as {@code == 0} or {@code < 0.05}
   * @param timeout how long the request may take
   */
  record Prometheus(String url, String query, String expect, Duration timeout)
      implements UpdateGate {}
}

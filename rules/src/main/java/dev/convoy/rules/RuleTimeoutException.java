package dev.convoy.rules;

import java.time.Duration;
import java.util.List;

/**
 * The rule session did not finish within its wall-clock limit: a rule that sleeps, waits on
 * something or spins inside one firing (the fire limit only counts firings). {@link #rule()} is the
 * rule whose consequence was running, or null when the session was evaluating conditions.
 */
public final class RuleTimeoutException extends RuleExecutionException {
  private static final long serialVersionUID = 1L;

  private final transient Duration timeout;

  RuleTimeoutException(
      String message, String rule, String ruleFile, List<String> workloads, Duration timeout) {
    super(message, rule, ruleFile, workloads, null);
    this.timeout = timeout;
  }

  /** The limit that was hit. */
  public Duration timeout() {
    return timeout;
  }
}

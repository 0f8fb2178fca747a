package dev.convoy.rules;

import java.util.List;

/**
 * Rules fired {@link #fireLimit()} times without reaching quiet: almost always a rule that keeps
 * re-activating itself (for example {@code insert} of a new object on every firing). {@link
 * #rule()} is the rule that fired most, the usual culprit.
 */
public final class RuleLoopException extends RuleExecutionException {
  private static final long serialVersionUID = 1L;

  private final long fireLimit;
  private final long ruleFirings;

  public RuleLoopException(
      String rule, String ruleFile, long ruleFirings, long fireLimit, List<String> workloads) {
    super(
        "rules fired "
            + fireLimit
            + " times without finishing (fire limit); rule \""
            + rule
            + "\" ("
            + ruleFile
            + ") fired most, "
            + ruleFirings
            + " times: does its consequence keep re-activating it?",
        rule,
        ruleFile,
        workloads,
        null);
    this.fireLimit = fireLimit;
    this.ruleFirings = ruleFirings;
  }

  /** The limit that was hit. */
  public long fireLimit() {
    return fireLimit;
  }

  /** How often {@link #rule()} fired before the limit was hit. */
  public long ruleFirings() {
    return ruleFirings;
  }
}

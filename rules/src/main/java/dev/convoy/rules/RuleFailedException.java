package dev.convoy.rules;

import java.util.List;

/** A rule's consequence or one of its constraints threw; the cause is what it threw. */
public final class RuleFailedException extends RuleExecutionException {
  private static final long serialVersionUID = 1L;

  public RuleFailedException(
      String message, String rule, String ruleFile, List<String> workloads, Throwable cause) {
    super(message, rule, ruleFile, workloads, cause);
  }
}

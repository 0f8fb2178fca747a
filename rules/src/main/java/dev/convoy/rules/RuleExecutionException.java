package dev.convoy.rules;

import java.util.List;

/**
 * A rule failed at run time: its consequence threw, a constraint threw, or rules kept firing past
 * the fire limit. DRL is code from the config repo, so this is bad input (exit code 2), and the
 * message names the rule, its file and the workloads involved so the user can fix it.
 */
public class RuleExecutionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String rule;
  private final String ruleFile;
  private final List<String> workloads;

  public RuleExecutionException(
      String message, String rule, String ruleFile, List<String> workloads, Throwable cause) {
    super(message, cause);
    this.rule = rule;
    this.ruleFile = ruleFile;
    this.workloads = List.copyOf(workloads);
  }

  /** The rule's name, or {@code null} when Drools did not say which rule failed. */
  public String rule() {
    return rule;
  }

  /** The DRL file of {@link #rule()}, or {@code null}. */
  public String ruleFile() {
    return ruleFile;
  }

  /** Ids of the workloads among the failing rule's matched facts; may be empty. */
  public List<String> workloads() {
    return workloads;
  }
}

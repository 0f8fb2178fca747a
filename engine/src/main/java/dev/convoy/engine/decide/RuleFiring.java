package dev.convoy.engine.decide;

import java.util.List;

/**
 * One rule firing, in firing order, for {@code convoy explain}.
 *
 * @param rule the rule's name
 * @param ruleFile the DRL file it comes from
 * @param workloads the workload ids among the matched facts
 */
public record RuleFiring(String rule, String ruleFile, List<String> workloads) {
  public RuleFiring {
    workloads = List.copyOf(workloads);
  }
}

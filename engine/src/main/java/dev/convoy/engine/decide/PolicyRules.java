package dev.convoy.engine.decide;

/**
 * The engine's one way to reach a rule engine. The {@code rules} module implements it with Drools;
 * tests may implement it with plain Java. Built once, used for the sessions of one or more runs.
 */
public interface PolicyRules {

  /** Opens a session over the given facts and fires every rule until quiet. */
  RuleSession open(Facts facts);

  /**
   * Whether every rule joins the facts of one workload at most (beside policies, their containers
   * and namespaces, which every session gets whole). Then sessions over disjoint parts of the fleet
   * decide what one session over all of it would, and a run holds one part's rule memory at a time.
   * False unless the implementation proves it.
   */
  default boolean joinsWithinWorkloads() {
    return false;
  }
}

package dev.convoy.engine.decide;

/**
 * The engine's one way to reach a rule engine. The {@code rules} module implements it with Drools;
 * tests may implement it with plain Java. Built once per run, used for one session.
 */
public interface PolicyRules {

  /** Opens a session over the given facts and fires every rule until quiet. */
  RuleSession open(Facts facts);
}

package dev.convoy.rules;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.RuleSession;

/** The built-in rules compiled once for all tests in the JVM (a cold build takes seconds). */
final class BuiltinRules {
  private static DroolsPolicyRules rules;

  private BuiltinRules() {}

  static synchronized DroolsPolicyRules rules() {
    if (rules == null) {
      try {
        rules = DroolsPolicyRules.builder().build();
      } catch (RuleCompileException e) {
        throw new AssertionError("built-in rules do not compile:\n" + e.getMessage(), e);
      }
    }
    return rules;
  }

  /** Opens a session over the facts, returns its decisions and closes it. */
  static Decisions decide(Facts facts) {
    try (RuleSession session = rules().open(facts)) {
      return session.decisions();
    }
  }

  /** Every fact of a type in working memory after firing, e.g. the injected ContainerFacts. */
  static <T> java.util.List<T> factsOf(Facts facts, Class<T> type) {
    try (DroolsRuleSession session = (DroolsRuleSession) rules().open(facts)) {
      return session.facts(type);
    }
  }

  static Decisions decide(TestFacts facts) {
    return decide(facts.facts());
  }
}

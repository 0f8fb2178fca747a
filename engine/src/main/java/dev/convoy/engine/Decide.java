package dev.convoy.engine;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.PolicyRules;
import dev.convoy.engine.decide.RuleSession;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.decide.WaveDecision;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Step 2 of a run, for one part of the fleet ({@link FleetPart}): one rule session over its facts.
 * It decides first (matches, injections, edges, violations), then lets rules see the upgrade wave
 * cut from the ranking ({@code WaveDecision}s) in the same session, and after rendering lets rules
 * read what rendering did (the pods' effective resources, the kubelet's order).
 */
final class Decide implements AutoCloseable {
  private final RuleSession session;
  private Decisions decisions;

  private Decide(RuleSession session) {
    this.session = session;
    this.decisions = session.decisions();
  }

  /** Opens a session over {@code facts} and fires it. */
  static Decide open(PolicyRules rules, Facts facts) {
    RuleSession session = rules.open(facts);
    try {
      return new Decide(session);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Whether the rules' first decisions call for an upgrade wave to be planned. */
  static boolean plansWaves(Decisions decisions, boolean gated) {
    return !decisions.upgradeCandidates().isEmpty() || gated;
  }

  /** Inserts this part's share of the upgrade wave and returns the decisions then. */
  Decisions withWaves(List<WaveDecision> waves) {
    decisions = session.insertAndFire(waves);
    return decisions;
  }

  /** Inserts what rendering did and returns the violations the rules raise about it. */
  List<Violation> afterRender(List<?> rendered) {
    if (rendered.isEmpty()) {
      return List.of();
    }
    Set<Violation> known = new HashSet<>(decisions.violations());
    decisions = session.insertAndFire(rendered);
    return decisions.violations().stream().filter(v -> !known.contains(v)).toList();
  }

  /** Everything decided so far. */
  Decisions decisions() {
    return decisions;
  }

  @Override
  public void close() {
    session.close();
  }
}

package dev.convoy.engine;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.PolicyRules;
import dev.convoy.engine.decide.RuleSession;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.upgrade.Revisions;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.engine.upgrade.UpgradeWaves;
import dev.convoy.engine.upgrade.WaveRun;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Step 2 of a run: one rule session over every target's workloads. It decides first (matches,
 * injections, edges, violations), then cuts the upgrade wave from the rules' ranking so rules see
 * the {@code WaveDecision}s in the same session, and after rendering lets rules read what rendering
 * did (the pods' effective resources, the kubelet's order).
 */
final class Decide implements AutoCloseable {
  private final RuleSession session;
  private Decisions decisions;

  private Decide(RuleSession session) {
    this.session = session;
  }

  static Decide open(PolicyRules rules, Facts facts) {
    return new Decide(rules.open(facts));
  }

  /** What the rules decide, with this run's upgrade wave when a rollout has candidates. */
  Decisions first(Facts facts, Map<String, RolloutState> states, Revisions revisions, WaveRun run) {
    decisions = session.decisions();
    if (!decisions.upgradeCandidates().isEmpty() || !run.gates().isEmpty()) {
      Map<String, PolicyFact> policies = new HashMap<>();
      facts.policies().forEach(p -> policies.put(p.name(), p));
      decisions =
          session.insertAndFire(
              UpgradeWaves.plan(decisions, policies, states, facts.workloads(), revisions, run));
    }
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

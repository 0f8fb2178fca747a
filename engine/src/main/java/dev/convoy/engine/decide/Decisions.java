package dev.convoy.engine.decide;

import dev.convoy.engine.facts.PolicyMatch;
import dev.convoy.engine.facts.UpgradeCandidate;
import dev.convoy.engine.facts.UpgradeRank;
import dev.convoy.engine.facts.Veto;
import java.util.List;

/**
 * What the rules decided. Lists are sorted deterministically by the implementation (by workload,
 * then the record's other fields), so rendering never depends on rule firing order.
 */
public record Decisions(
    List<PolicyMatch> matches,
    List<Veto> vetoes,
    List<Injection> injections,
    List<Edge> edges,
    List<Violation> violations,
    List<UpgradeCandidate> upgradeCandidates,
    List<UpgradeRank> upgradeRanks,
    List<WaveDecision> waves,
    List<RuleFiring> firings) {

  public Decisions {
    matches = List.copyOf(matches);
    vetoes = List.copyOf(vetoes);
    injections = List.copyOf(injections);
    edges = List.copyOf(edges);
    violations = List.copyOf(violations);
    upgradeCandidates = List.copyOf(upgradeCandidates);
    upgradeRanks = List.copyOf(upgradeRanks);
    waves = List.copyOf(waves);
    firings = List.copyOf(firings);
  }
}

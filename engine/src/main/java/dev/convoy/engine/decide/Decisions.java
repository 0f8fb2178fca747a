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

  /** The decisions of renders made apart (groups of targets that read different sources). */
  public static Decisions concat(List<Decisions> all) {
    return new Decisions(
        join(all, Decisions::matches),
        join(all, Decisions::vetoes),
        join(all, Decisions::injections),
        join(all, Decisions::edges),
        join(all, Decisions::violations),
        join(all, Decisions::upgradeCandidates),
        join(all, Decisions::upgradeRanks),
        join(all, Decisions::waves),
        join(all, Decisions::firings));
  }

  private static <T> List<T> join(
      List<Decisions> all, java.util.function.Function<Decisions, List<T>> part) {
    return all.stream().flatMap(d -> part.apply(d).stream()).toList();
  }
}

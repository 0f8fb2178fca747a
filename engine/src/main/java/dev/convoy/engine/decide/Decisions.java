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

  /**
   * The decisions of sessions over disjoint parts of one fleet, as one session over all of it lists
   * them: each item once (an item of no workload may come from every part), by workload, each
   * workload's items in the order its part gave.
   */
  public static Decisions merge(List<Decisions> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return new Decisions(
        byWorkload(parts, Decisions::matches, PolicyMatch::workload),
        byWorkload(parts, Decisions::vetoes, Veto::workload),
        byWorkload(parts, Decisions::injections, Injection::workload),
        byWorkload(parts, Decisions::edges, Edge::workload),
        byWorkload(parts, Decisions::violations, Violation::workload),
        byWorkload(parts, Decisions::upgradeCandidates, UpgradeCandidate::workload),
        byWorkload(parts, Decisions::upgradeRanks, UpgradeRank::workload),
        byWorkload(parts, Decisions::waves, WaveDecision::workload),
        join(parts, Decisions::firings));
  }

  private static <T> List<T> byWorkload(
      List<Decisions> parts,
      java.util.function.Function<Decisions, List<T>> part,
      java.util.function.Function<T, String> workload) {
    java.util.Set<T> seen = new java.util.LinkedHashSet<>();
    for (Decisions d : parts) {
      seen.addAll(part.apply(d));
    }
    List<T> out = new java.util.ArrayList<>(seen);
    // Stable: equal workloads keep their part's order.
    out.sort(
        java.util.Comparator.comparing(
            workload, java.util.Comparator.nullsFirst(String::compareTo)));
    return out;
  }

  private static <T> List<T> join(
      List<Decisions> all, java.util.function.Function<Decisions, List<T>> part) {
    return all.stream().flatMap(d -> part.apply(d).stream()).toList();
  }
}

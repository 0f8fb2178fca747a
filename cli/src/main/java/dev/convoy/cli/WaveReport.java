package dev.convoy.cli;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.facts.WorkloadId;
import dev.convoy.engine.upgrade.UpgradeWaves;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line per target and policy with an upgrade in progress: what this run's wave moved and why
 * the rest wait.
 */
final class WaveReport {
  private WaveReport() {}

  /**
   * Lines like {@code upgrade prod/mesh -> f51b807711: wave 1 moves 2 workloads, 3 held (3 waits
   * for a later wave ...)}.
   */
  static List<String> lines(RenderResult result) {
    Map<String, List<WaveDecision>> byRollout = new TreeMap<>();
    for (WaveDecision w : result.decisions().waves()) {
      String target = WorkloadId.parse(w.workload()).target();
      byRollout
          .computeIfAbsent(
              target + "/" + w.policy() + " -> " + w.toRevision(), k -> new ArrayList<>())
          .add(w);
    }
    List<String> lines = new ArrayList<>();
    byRollout.forEach(
        (rollout, waves) -> {
          long moved = waves.stream().filter(WaveDecision::moves).count();
          List<WaveDecision> returned = waves.stream().filter(WaveDecision::rollsBack).toList();
          Map<String, Integer> heldBy = new TreeMap<>();
          waves.stream()
              .filter(w -> !w.moves() && !w.rollsBack())
              .forEach(w -> heldBy.merge(w.reason(), 1, Integer::sum));
          StringBuilder line = new StringBuilder("upgrade " + rollout + ": ");
          line.append(
              !returned.isEmpty()
                  ? rollback(returned)
                  : moved == 0
                      ? "no wave moves"
                      : "wave "
                          + waves.get(0).wave()
                          + " moves "
                          + moved
                          + " workload"
                          + (moved == 1 ? "" : "s")
                          + gatePassed(waves));
          if (!heldBy.isEmpty()) {
            line.append(", ").append(waves.size() - moved - returned.size()).append(" held (");
            List<String> reasons = new ArrayList<>();
            heldBy.forEach((reason, n) -> reasons.add(n + ": " + reason));
            line.append(String.join("; ", reasons)).append(')');
          }
          lines.add(line.toString());
        });
    return lines;
  }

  /**
   * {@code rollback of wave 2 returns 1 workload (rolled back to abe92023da ...: gate failed:
   * ...)}.
   */
  private static String rollback(List<WaveDecision> returned) {
    Map<String, Integer> why = new TreeMap<>();
    returned.forEach(w -> why.merge(w.reason(), 1, Integer::sum));
    return "rollback of wave "
        + returned.get(0).wave()
        + " returns "
        + returned.size()
        + " workload"
        + (returned.size() == 1 ? "" : "s")
        + " ("
        + String.join("; ", why.keySet())
        + ")";
  }

  /** The gate's answer a moving wave was let through with, as the commit trailer records it. */
  private static String gatePassed(List<WaveDecision> waves) {
    for (WaveDecision w : waves) {
      int at = w.moves() ? w.reason().indexOf(UpgradeWaves.GATE_PASSED) : -1;
      if (at >= 0) {
        return " after the gate passed ("
            + w.reason().substring(at + UpgradeWaves.GATE_PASSED.length(), w.reason().length() - 1)
            + ")";
      }
    }
    return "";
  }

  /**
   * One line as {@link #lines} writes it (and a reconcile commit's {@code Convoy-Wave} trailer
   * records it, without {@code upgrade }), read back.
   *
   * @param heldBy held workloads by reason, in the line's order
   */
  record Line(String target, String policy, String revision, Map<String, Integer> heldBy) {}

  private static final java.util.regex.Pattern LINE =
      java.util.regex.Pattern.compile(
          "(?:upgrade )?([^/\\s]+)/(\\S+) -> (\\S+): (?:.*?)(?:, \\d+ held \\((.*)\\))?");

  /** The line, or empty when it is not one this class wrote. */
  static java.util.Optional<Line> parse(String line) {
    java.util.regex.Matcher m = LINE.matcher(line.strip());
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    Map<String, Integer> held = new java.util.LinkedHashMap<>();
    if (m.group(4) != null) {
      for (String part : m.group(4).split("; (?=\\d+: )")) {
        int colon = part.indexOf(": ");
        if (colon > 0 && part.substring(0, colon).chars().allMatch(Character::isDigit)) {
          held.merge(
              part.substring(colon + 2), Integer.parseInt(part.substring(0, colon)), Integer::sum);
        }
      }
    }
    return java.util.Optional.of(new Line(m.group(1), m.group(2), m.group(3), held));
  }

  static void print(RenderResult result, PrintWriter err) {
    lines(result).forEach(err::println);
  }
}

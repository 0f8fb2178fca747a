package dev.convoy.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The guard against a change that empties a target: a typo in {@code sources:} or a broken source
 * branch renders few or no workloads, and Argo CD or Flux with pruning would delete the rest from
 * the cluster. {@code reconcile} refuses to push such a change and {@code diff} fails on it (exit
 * code 2), unless {@code --allow-mass-removal}.
 */
final class RemovalGuardOptions {
  @Option(
      names = "--allow-mass-removal",
      description =
          "Accept a change that removes more than --max-removal of a target's rendered workloads,"
              + " or all of them.")
  boolean allow;

  @Option(
      names = "--max-removal",
      paramLabel = "PERCENT",
      defaultValue = "50",
      description =
          "The largest share of a target's rendered workloads one change may remove without"
              + " --allow-mass-removal (a change to zero workloads is always refused). Default:"
              + " ${DEFAULT-VALUE}.")
  int maxPercent = 50;

  /** The targets whose change the guard refuses; empty with {@code --allow-mass-removal}. */
  List<ChangeSummary> refused(List<ChangeSummary> summaries) {
    if (allow) {
      return List.of();
    }
    return summaries.stream().filter(s -> s.removesTooMany(maxPercent)).toList();
  }

  /** Prints why, and how to accept it; returns the exit code. */
  static int report(List<ChangeSummary> refused, String what, java.io.PrintWriter err) {
    for (ChangeSummary s : refused) {
      err.println("error: " + s.removalMessage());
    }
    err.println(
        "hint: "
            + what
            + "; check sources: in convoy.yaml and the source branch, or pass --allow-mass-removal"
            + " if the workloads are meant to go");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }
}

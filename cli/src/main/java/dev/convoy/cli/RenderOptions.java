package dev.convoy.cli;

import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options of every command that renders a config repo, wherever the repo comes from: a folder given
 * on the command line ({@link RepoOptions}) or a fresh checkout ({@code reconcile}).
 */
class RenderOptions {
  @Option(
      names = {"-t", "--target"},
      paramLabel = "NAME",
      split = ",",
      description =
          "Only these targets (repeatable or comma-separated). Default: every target in convoy.yaml.")
  List<String> targets = List.of();

  @Option(
      names = "--fire-limit",
      paramLabel = "N",
      description =
          "Stop a rule session after N rule firings (a rule that loops forever). Default: 200 per fact, at least 1000000.")
  Long fireLimit;

  @Option(
      names = "--now",
      paramLabel = "INSTANT",
      description =
          "The time upgrade waves are planned at, e.g. 2026-11-24T03:00:00Z: a policy's next wave moves "
              + "once minWaveInterval has passed since its last. Default: the clock.")
  Instant now;

  @Option(names = "--timings", description = "Print how long each phase took, on stderr.")
  boolean timings;

  @Option(names = "--stacktrace", description = "Print stack traces of errors.")
  boolean stacktrace;

  /** Whether the rule session records every firing; only explain prints them (not an option). */
  boolean recordFirings;

  /** Where progress lines go when diagnostics are buffered (reconcile); null: the command's err. */
  java.io.PrintWriter progress;

  /** Records phase durations for --metrics-file and --pushgateway; null when not asked for. */
  RunMetrics.Repo metrics;
}

package dev.convoy.cli;

import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.DurationText;
import dev.convoy.rules.DroolsPolicyRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Mixin;
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

  @Option(
      names = "--advance-waves",
      description =
          "Let this run move the next upgrade wave when it is due, evaluating the policies' gates"
              + " first (reconcile always does). Without it the rollout renders as it stands and"
              + " the wave lines say what the next wave would move.")
  boolean advanceWaves;

  @Option(
      names = "--fail-on-unreachable-gate",
      description =
          "Exit 3 when a gate could not be asked (Prometheus unreachable or answering an error, a"
              + " command that could not start or timed out). The rollout holds either way and is"
              + " written or committed as usual; this makes the run fail so someone looks.")
  boolean failOnUnreachableGate;

  @Option(names = "--timings", description = "Print how long each phase took, on stderr.")
  boolean timings;

  @Option(names = "--stacktrace", description = "Print stack traces of errors.")
  boolean stacktrace;

  @Option(
      names = "--rule-timeout",
      paramLabel = "DURATION",
      converter = DurationOption.class,
      description =
          "End the rule session after this long, e.g. 90s or 5m (a rule that sleeps or loops"
              + " inside one firing). Default: ruleTimeout of convoy.yaml, else 60s.")
  Duration ruleTimeout;

  @Mixin KustomizeCommandOption kustomize = new KustomizeCommandOption();

  /** Whether the rule session records every firing; only explain prints them (not an option). */
  boolean recordFirings;

  /** The run's secrets, set by the command line before the command runs (not an option). */
  Redactor redactor = new Redactor();

  /** The rule session's limit: the option, else convoy.yaml's {@code ruleTimeout}, else 60 s. */
  Duration ruleTimeout(ConvoyConfig config) {
    if (ruleTimeout != null) {
      return ruleTimeout;
    }
    return config.ruleTimeout().orElse(DroolsPolicyRules.DEFAULT_TIMEOUT);
  }

  /** {@code 90s}, {@code 5m}, {@code 1h}, as in convoy.yaml. */
  static final class DurationOption implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = DurationText.parse(value).orElse(Duration.ZERO);
      if (d.isZero()) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a duration like 90s, 5m or 1h");
      }
      return d;
    }
  }

  /** Where progress lines go when diagnostics are buffered (reconcile); null: the command's err. */
  java.io.PrintWriter progress;

  /** Records phase durations for --metrics-file and --pushgateway; null when not asked for. */
  RunMetrics.Repo metrics;
}

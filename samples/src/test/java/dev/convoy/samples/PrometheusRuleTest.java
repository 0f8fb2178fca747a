package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convoy.git.testing.GitServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The alerts of {@code deploy/monitoring/prometheusrule.yaml} work on the metrics Convoy really
 * writes: a real {@code reconcile --metrics-file} run provides the metric names and labels, and
 * Prometheus' own {@code promtool test rules} evaluates the rules over series with those labels (a
 * repo whose last success is older than two schedules alerts, one reconciled every schedule does
 * not, a run that keeps failing alerts).
 */
class PrometheusRuleTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  private static final Path RULE = Path.of("deploy/monitoring/prometheusrule.yaml");

  /** The samples' CronJobs run every 10 minutes. */
  private static final int SCHEDULE_SECONDS = 600;

  private static Path rules;
  private static String metrics;
  private static String repo;

  @BeforeAll
  static void writeRulesAndRealMetrics() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/promtool")),
        "promtool is not installed (package prometheus, .ci/install-test-deps.sh)");
    Map<String, Object> rule = new Yaml().load(Files.readString(RULE));
    assertThat(rule.get("kind")).isEqualTo("PrometheusRule");
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    rules = SERVERS.root().resolve("convoy-rules.yaml");
    Files.writeString(rules, new Yaml(options).dump(rule.get("spec")));

    Path seed = SERVERS.newFolder("seed-");
    Path sample = Path.of("config-repo").toAbsolutePath();
    // Without the sample's DRL rules (a faster run), so without its rules: entry either.
    Files.writeString(
        seed.resolve("convoy.yaml"),
        Files.readString(sample.resolve("convoy.yaml")).replace("rules: [rules]\n", ""));
    for (String folder : List.of("manifests", "apps", "charts", "policies")) {
      CorpusTest.copyTree(sample.resolve(folder), seed.resolve(folder));
    }
    GitServers.Repo served = SERVERS.createRepo("alerts", seed);
    repo = served.path().toUri().toString();
    Path prom = SERVERS.root().resolve("convoy.prom");
    Convoy.Run run =
        Convoy.run(
            "reconcile",
            "--repo",
            repo,
            "--work-dir",
            SERVERS.newFolder("work-").toString(),
            "--metrics-file",
            prom.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    metrics = Files.readString(prom);
  }

  @Test
  void promtoolAcceptsTheRulesAndTheMetricsConvoyWrites() throws Exception {
    Result check = promtool(null, "check", "rules", rules.toString());
    assertThat(check.exitCode()).as(check.out()).isZero();
    assertThat(check.out()).contains("SUCCESS: 3 rules found");

    TreeSet<String> used = new TreeSet<>();
    Matcher m = Pattern.compile("convoy_[a-z_]+").matcher(Files.readString(RULE));
    while (m.find()) {
      used.add(m.group());
    }
    assertThat(used).isNotEmpty();
    for (String name : used) {
      assertThat(metrics).as("Convoy writes " + name).contains("# TYPE " + name + " gauge");
    }
    Result lint = promtool(metrics, "check", "metrics");
    assertThat(lint.exitCode()).as(lint.out()).isZero();
  }

  @Test
  void alertsWhenTheLastSuccessIsOlderThanTwoSchedulesAndWhenRunsKeepFailing() throws Exception {
    String labels = labelsOf("convoy_last_success_timestamp_seconds");
    String other = labels.replace(repo, repo + "-healthy");
    // Minute by minute for two hours: the stale repo's last success stops at 30 minutes; the
    // healthy one succeeds every schedule; a third repo's runs exit 3 from the start.
    List<String> stale = new ArrayList<>();
    List<String> healthy = new ArrayList<>();
    for (int minute = 0; minute < 120; minute++) {
      int lastRun = minute / 10 * SCHEDULE_SECONDS;
      stale.add(String.valueOf(Math.min(lastRun, 1800)));
      healthy.add(String.valueOf(lastRun));
    }
    String failing = labelsOf("convoy_exit_code").replace(repo, repo + "-failing");
    String summary = "convoy has not reconciled " + repo + " for over two schedules";
    String test =
        "rule_files: ["
            + rules.getFileName()
            + "]\n"
            + "evaluation_interval: 1m\n"
            + "tests:\n"
            + "  - interval: 1m\n"
            + "    input_series:\n"
            + series("convoy_last_success_timestamp_seconds", labels, String.join(" ", stale))
            + series("convoy_last_success_timestamp_seconds", other, String.join(" ", healthy))
            + series("convoy_exit_code", failing, "3x120")
            + "    alert_rule_test:\n"
            // Last success at 30 min: two schedules later (50 min) plus 'for: 5m'.
            + expect(45, "ConvoyReconcileStale", "")
            + expect(
                56,
                "ConvoyReconcileStale",
                "          - exp_labels: {severity: warning, repo: '"
                    + repo
                    + "'}\n"
                    + "            exp_annotations: {summary: '"
                    + summary
                    + "'}\n")
            + expect(10, "ConvoyReconcileFailing", "")
            + expect(
                16,
                "ConvoyReconcileFailing",
                "          - exp_labels: {severity: warning, repo: '"
                    + repo
                    + "-failing'}\n"
                    + "            exp_annotations: {summary: 'convoy reconcile of "
                    + repo
                    + "-failing exits 3'}\n");
    Path file = rules.resolveSibling("convoy-rules-test.yaml");
    Files.writeString(file, test);

    Result result = promtool(null, "test", "rules", file.toString());

    assertThat(result.exitCode()).as(test + "\n" + result.out()).isZero();
    assertThat(result.out()).contains("SUCCESS");
  }

  /** The label set of a metric's line in the real metrics file, e.g. {@code {repo="..."}}. */
  private static String labelsOf(String metric) {
    Matcher m = Pattern.compile("(?m)^" + metric + "(\\{[^}]*\\}) ").matcher(metrics);
    assertThat(m.find()).as(metric + " in\n" + metrics).isTrue();
    return m.group(1);
  }

  private static String series(String name, String labels, String values) {
    return "      - series: '" + name + labels + "'\n        values: '" + values + "'\n";
  }

  private static String expect(int minute, String alert, String alerts) {
    return "      - eval_time: "
        + minute
        + "m\n        alertname: "
        + alert
        + "\n        exp_alerts:"
        + (alerts.isEmpty() ? " []\n" : "\n" + alerts);
  }

  record Result(int exitCode, String out) {}

  private static Result promtool(String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/promtool"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(rules.getParent().toFile())
            .redirectErrorStream(true)
            .start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("promtool timed out");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}

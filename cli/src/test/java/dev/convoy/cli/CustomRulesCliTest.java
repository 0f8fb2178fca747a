package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config repo's own DRL through the CLI: it runs with the built-in rules, bad rules fail with
 * exit 2 and a message naming the file and line, the rule and the workload, or the fire limit, and
 * rules load only from the configured folders, each printed with its content hash.
 */
class CustomRulesCliTest {
  @TempDir Path tmp;

  @Test
  void brokenDrlNamesFileAndLineAndExitsTwo() {
    Path repo = CliRun.ruleRepo(tmp, "broken-drl");
    CliRun run = CliRun.of("render", repo.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("error: rules/broken.drl:10: ")
        .contains("nothing was rendered or committed");
    assertThat(repo.resolve("rendered")).doesNotExist();
  }

  @Test
  void throwingRuleNamesRuleAndWorkloadAndExitsTwo() {
    CliRun run = CliRun.of("validate", CliRun.ruleRepo(tmp, "throwing-rule").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("rule \"throws: billing has no owner\" (rules/throws.drl)")
        .contains("prod/Deployment/shop/billing")
        .contains("no owner label on billing")
        .doesNotContain("\tat ");
  }

  @Test
  void loopingRuleIsStoppedByTheFireLimit() {
    CliRun run =
        CliRun.of(
            "validate", CliRun.ruleRepo(tmp, "looping-rule").toString(), "--fire-limit", "5000");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("rules fired 5000 times without finishing (fire limit)")
        .contains("\"loop: tick forever\" (rules/loop.drl)");
  }

  @Test
  void customRulesVetoForceAddEdgesAndRaiseViolations() {
    Path repo = CliRun.ruleRepo(tmp, "custom-rules");
    CliRun run = CliRun.of("render", repo.toString(), "--report");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("prod Deployment/shop/cart injected order=[proxy app telemetry]")
        .contains("prod Deployment/kube-system/coredns unchanged")
        .contains("prod Deployment/shop/billing injected order=[proxy app telemetry]");
    assertThat(run.err())
        .contains("warning[owner-label] prod/Deployment/shop/billing: billing has no owner label");

    CliRun explain = CliRun.of("explain", repo.toString(), "Deployment/shop/cart");
    assertThat(explain.out())
        .contains(
            "proxy -> telemetry  [rule] rule \"custom: telemetry starts after the proxy\"  (rules/custom.drl:");
    CliRun coredns = CliRun.of("explain", repo.toString(), "Deployment/kube-system/coredns");
    assertThat(coredns.out()).contains("vetoed    mesh: kube-system is off limits");
    CliRun billing = CliRun.of("explain", repo.toString(), "Deployment/shop/billing");
    assertThat(billing.out()).contains("forced    mesh: injected by a rule");
  }

  @Test
  void rulesLoadOnlyFromConfiguredFoldersAndArePrintedWithTheirHash() throws Exception {
    Path repo = CliRun.ruleRepo(tmp, "trust");
    CliRun run = CliRun.of("validate", repo.toString());
    assertThat(run.exitCode()).isZero();
    String hash = RepoRender.sha256(Files.readAllBytes(repo.resolve("rules/allowed.drl")));
    assertThat(run.err().lines().filter(l -> l.startsWith("rules: loaded")))
        .containsExactly("rules: loaded rules/allowed.drl sha256:" + hash);
    assertThat(run.out()).contains("warning[trusted]").doesNotContain("must never load");
  }
}

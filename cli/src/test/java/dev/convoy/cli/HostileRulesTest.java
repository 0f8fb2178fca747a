package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.RemoteHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repo's rules are code from the repo: they may sleep, spin, call {@code System.exit} or read the
 * bot's secrets. Each case runs a real {@code convoy} process (its own exit code, shutdown hooks
 * and environment) against real files and real git servers.
 */
class HostileRulesTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  private static final String HEADER =
      """
      package hostile;

      import dev.convoy.engine.facts.WorkloadFact;
      import dev.convoy.engine.decide.Violation;

      """;

  @TempDir Path tmp;

  private Path localRepo(String ruleFile, String drl) throws Exception {
    Path repo = SampleRepo.seed(Files.createDirectories(tmp.resolve("repo")));
    Files.createDirectories(repo.resolve("rules"));
    Files.writeString(repo.resolve("rules").resolve(ruleFile), HEADER + drl);
    return repo;
  }

  @Test
  void aRuleCallingSystemExitZeroEndsRenderWithTwoNamingItsFileAndWritesNothing() throws Exception {
    Path repo =
        localRepo(
            "exit.drl",
            """
            rule "leaves early"
            when
                WorkloadFact( name == "cart" )
            then
                System.exit(0);
            end
            """);
    SortedMap<String, String> before = FolderBytes.snapshot(repo);

    ConvoyProcess.Result run =
        ConvoyProcess.of("render", repo.toString()).run(tmp.resolve("logs"), 120);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains(
            "error: rule \"leaves early\" (rules/exit.drl) called System.exit before the run"
                + " finished; exiting with code 2");
    assertThat(FolderBytes.snapshot(repo)).isEqualTo(before);
  }

  @Test
  void aRuleCallingSystemExitZeroEndsReconcileWithTwoAndPushesNothing() throws Exception {
    Path seed = SampleRepo.seed(SERVERS.newFolder("seed-"));
    Files.createDirectories(seed.resolve("rules"));
    Files.writeString(
        seed.resolve("rules/exit.drl"),
        HEADER
            + """
            rule "pretends all is well"
            when
                WorkloadFact( )
            then
                System.exit(0);
            end
            """);
    GitServers.Repo repo = SERVERS.createRepo("exit", seed);
    String before;
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      before = served.tip("main").name();
    }

    ConvoyProcess.Result run =
        ConvoyProcess.of(
                "reconcile",
                "--repo",
                SERVERS.uri(Protocol.GIT, repo),
                "--work-dir",
                SERVERS.newFolder("work-").toString())
            .run(tmp.resolve("logs"), 120);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("(rules/exit.drl) called System.exit before the run finished");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.tip("main").name()).isEqualTo(before);
    }
  }

  @Test
  void aRuleThatSpinsForEverIsEndedByTheRuleTimeoutNamingTheRuleAndFile() throws Exception {
    Path repo =
        localRepo(
            "spin.drl",
            """
            rule "busy waits for a condition that never comes"
            when
                WorkloadFact( name == "cart" )
            then
                while (true) { }
            end
            """);
    SortedMap<String, String> before = FolderBytes.snapshot(repo);

    ConvoyProcess.Result run =
        ConvoyProcess.of("render", "--rule-timeout", "3s", repo.toString())
            .run(tmp.resolve("logs"), 120);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains(
            "error: rules did not finish within 3s (rule timeout): rule \"busy waits for a"
                + " condition that never comes\" (rules/spin.drl) was still running on workload"
                + " prod/Deployment/shop/cart");
    assertThat(FolderBytes.snapshot(repo)).isEqualTo(before);
  }

  @Test
  void aSleepingRuleIsEndedByTheRuleTimeoutOfConvoyYaml() throws Exception {
    Path repo =
        localRepo(
            "sleep.drl",
            """
            rule "waits on a remote service"
            when
                WorkloadFact( name == "cart" )
            then
                Thread.sleep(3600000);
            end
            """);
    Path config = repo.resolve("convoy.yaml");
    Files.writeString(config, Files.readString(config) + "ruleTimeout: 2s\n");
    long t0 = System.nanoTime();

    CliRun run = CliRun.of("validate", repo.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains(
            "rules did not finish within 2s (rule timeout): rule \"waits on a remote service\""
                + " (rules/sleep.drl)");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aSecretARuleReadsFromTheEnvironmentIsMaskedInOutputCommitsAndTrailers() throws Exception {
    Path seed = SampleRepo.seed(SERVERS.newFolder("seed-"));
    Files.createDirectories(seed.resolve("rules"));
    Files.writeString(
        seed.resolve("rules/leak.drl"),
        HEADER
            + """
            rule "leaks the git password"
            when
                $w : WorkloadFact( name == "cart" )
            then
                String password = System.getenv("CONVOY_GIT_PASSWORD");
                System.out.println("rule on stdout: " + password);
                System.err.println("rule on stderr: " + password);
                insertLogical(Violation.warning("leak", "the password is " + password,
                    $w.id(), null, $w.file(), $w.line()));
            end
            """);
    GitServers.Repo repo = SERVERS.createRepo("leak", seed);
    String password = SERVERS.httpPassword();
    Path work = SERVERS.newFolder("work-");

    ConvoyProcess.Result run =
        ConvoyProcess.of(
                "reconcile",
                "--repo",
                SERVERS.uri(Protocol.HTTP, repo),
                "--work-dir",
                work.toString())
            .env("CONVOY_GIT_USERNAME", SERVERS.httpUser())
            .env("CONVOY_GIT_PASSWORD", password)
            .run(tmp.resolve("logs"), 120);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.all())
        .contains("rule on stdout: ***")
        .contains("rule on stderr: ***")
        .contains("the password is ***")
        .doesNotContain(password);
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      RevCommit tip = served.tip("main");
      assertThat(tip.getFullMessage())
          .contains("Convoy-Violation: ")
          .contains("the password is ***")
          .doesNotContain(password);
    }
    assertThat(FolderBytes.containing(repo.path(), password)).as("the remote").isEmpty();
    assertThat(FolderBytes.containing(work, password)).as("the work folder").isEmpty();
  }

  @Test
  void aRenderedFileHoldingAKnownSecretStopsTheRunBeforeTheCommitNamingTheFile() throws Exception {
    String password = SERVERS.httpPassword();
    Path seed = SampleRepo.seed(SERVERS.newFolder("seed-"));
    Path cart = seed.resolve("manifests/shop/cart.yaml");
    // Someone pasted the bot's password into a manifest.
    Files.writeString(
        cart,
        Files.readString(cart)
            .replaceFirst(
                "(?m)^  name: cart$",
                "  name: cart\n  annotations: {debug: \"" + password + "\"}"));
    GitServers.Repo repo = SERVERS.createRepo("secret-in-output", seed);
    String before;
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      before = served.tip("main").name();
    }

    ReconcileRun run =
        ReconcileRun.of(
            Map.of("CONVOY_GIT_USERNAME", SERVERS.httpUser(), "CONVOY_GIT_PASSWORD", password),
            "--repo",
            SERVERS.uri(Protocol.HTTP, repo),
            "--work-dir",
            SERVERS.newFolder("work-").toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains(
            "error: rendered/prod/manifests/shop/cart.yaml: the rendered file holds a secret value"
                + " (environment variable CONVOY_GIT_PASSWORD); nothing written or pushed");
    assertThat(run.all()).doesNotContain(password);
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.tip("main").name()).isEqualTo(before);
    }
  }
}

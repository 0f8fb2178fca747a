package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.HumanCommitter;
import dev.convoy.git.testing.RemoteHistory;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A render records a fingerprint of its inputs as the {@code Convoy-Input} trailer and its
 * violations as {@code Convoy-Violation} trailers; the next run with the same inputs skips
 * rendering but still reports those violations, and any input change renders again.
 */
class ReconcileSkipTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  @Test
  void skipsRenderingWhenTheInputsAreUnchangedAndRendersAgainWhenTheyChange() throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "skip");
    String url = SERVERS.uri(Protocol.FILE, repo);
    Path work = SERVERS.newFolder("work-");

    ReconcileRun first = ReconcileRun.of("--repo", url, "--work-dir", work.toString());
    ReconcileRun second = ReconcileRun.of("--repo", url, "--work-dir", work.toString());

    assertThat(first.exitCode()).as(first.toString()).isZero();
    String fingerprint;
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      RevCommit tip = served.tip("main");
      assertThat(tip.getFullMessage()).containsPattern("Convoy-Input: sha256:[0-9a-f]{32}");
      fingerprint =
          tip.getFullMessage().replaceAll("(?s).*Convoy-Input: (sha256:[0-9a-f]{32}).*", "$1");
    }
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out())
        .startsWith("nothing to change")
        .contains("inputs unchanged since the last render");

    try (HumanCommitter human = new HumanCommitter(url, SERVERS.newFolder("human-"))) {
      human.edit(
          "manifests/shop/cart.yaml",
          s -> s.replace("replicas: 2", "replicas: 3"),
          "cart: 3 replicas");
    }
    ReconcileRun third = ReconcileRun.of("--repo", url, "--work-dir", work.toString());

    assertThat(third.exitCode()).as(third.toString()).isZero();
    assertThat(third.out()).contains("pushed ");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      RevCommit tip = served.tip("main");
      assertThat(tip.getFullMessage())
          .contains("Convoy-Input: sha256:")
          .doesNotContain(fingerprint);
      assertThat(
              RemoteHistory.text(served.files(tip, "rendered/prod"))
                  .get("manifests/shop/cart.yaml"))
          .contains("replicas: 3");
    }
  }

  @Test
  void aSkippedRunStillReportsTheViolationsItsLastRenderRecordedAndExitsOne() throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "skip-violations");
    String url = SERVERS.uri(Protocol.FILE, repo);
    Path work = SERVERS.newFolder("work-");
    try (HumanCommitter human = new HumanCommitter(url, SERVERS.newFolder("human-"))) {
      human.edit(
          "manifests/shop/frontend.yaml",
          s ->
              s.replaceFirst(
                  "(?m)^  name: frontend\n",
                  "  name: frontend\n  annotations:\n    convoy.dev/start-order: \"app < proxy\"\n"),
          "frontend: proxy after app");
    }

    ReconcileRun first = ReconcileRun.of("--repo", url, "--work-dir", work.toString());
    ReconcileRun second = ReconcileRun.of("--repo", url, "--work-dir", work.toString());

    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.VIOLATIONS);
    String violation;
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      String message = served.tip("main").getFullMessage();
      assertThat(message).contains("Convoy-Input: sha256:").contains("Convoy-Violation: ");
      violation = message.replaceAll("(?s).*Convoy-Violation: ([^\n]*).*", "$1");
    }
    assertThat(violation).contains("error[impossible-edge] prod/Deployment/shop/frontend");
    assertThat(first.err()).contains(violation);
    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.VIOLATIONS);
    assertThat(second.out()).startsWith("nothing to change").contains("inputs unchanged");
    assertThat(second.err())
        .contains(violation)
        .contains("1 error(s), 0 warning(s), as recorded by the last render");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.log("main")).hasSize(3);
    }
  }

  @Test
  void whileARolloutHoldsWorkloadsUnchangedInputsStillRenderAndTheNextWaveIsCommittedWhenDue()
      throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "skip-rollout");
    String url = SERVERS.uri(Protocol.FILE, repo);
    Path work = SERVERS.newFolder("work-");
    assertThat(ReconcileRun.of("--repo", url, "--work-dir", work.toString()).exitCode()).isZero();
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.tip("main").getFullMessage())
          .startsWith("convoy: prod: 8 injected (12 files)\n");
    }
    try (HumanCommitter human = new HumanCommitter(url, SERVERS.newFolder("human-"))) {
      human.edit(
          "policies/mesh.yaml",
          // Without the sample's Prometheus gate: no Prometheus runs here (ReconcileGateTest has
          // one).
          s ->
              s.replace("envoyproxy/envoy:v1.31.0", "envoyproxy/envoy:v1.32.0")
                  .replaceAll("(?s)    gate:\n.*?      timeout: 30s\n", ""),
          "mesh: envoy 1.32");
    }

    ReconcileRun wave1 =
        ReconcileRun.of(
            "--repo", url, "--work-dir", work.toString(), "--now", "2026-11-24T08:00:00Z");
    ReconcileRun early =
        ReconcileRun.of(
            "--repo", url, "--work-dir", work.toString(), "--now", "2026-11-24T08:30:00Z");
    int commitsAfterWave1;
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      commitsAfterWave1 = served.log("main").size();
      String message = served.tip("main").getFullMessage();
      // The summary line: the moved workload's manifest and the rollout state changed.
      assertThat(message).startsWith("convoy: prod: 1 upgraded (2 files)\n");
      assertThat(message)
          .contains("Convoy-Wave: prod/mesh -> ")
          .contains("wave 1 moves 1 workload, 6 held");
    }
    ReconcileRun wave2 =
        ReconcileRun.of(
            "--repo", url, "--work-dir", work.toString(), "--now", "2026-11-24T09:00:00Z");

    assertThat(wave1.exitCode()).as(wave1.toString()).isZero();
    assertThat(wave1.out()).contains("pushed ");
    // Same inputs as wave 1's commit, but 6 workloads held: it renders (no skip) and finds nothing
    // due.
    assertThat(early.exitCode()).as(early.toString()).isZero();
    assertThat(early.out()).startsWith("nothing to change").doesNotContain("inputs unchanged");
    assertThat(early.err()).contains("no wave moves, 6 held");
    assertThat(wave2.exitCode()).as(wave2.toString()).isZero();
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.log("main")).hasSize(commitsAfterWave1 + 1);
      assertThat(served.tip("main").getFullMessage()).contains("wave 2 moves 1 workload, 5 held");
    }
  }
}

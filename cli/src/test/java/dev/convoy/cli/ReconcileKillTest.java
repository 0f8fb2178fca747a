package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.RemoteHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM at any moment of a real {@code convoy} process pushes nothing or the whole commit, never
 * part of it, and the next run in the same work folder starts clean.
 */
class ReconcileKillTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  @Test
  void aRunKilledAtAnyMomentPushesNothingOrEverythingAndTheNextRunStartsClean() throws Exception {
    GitServers.Repo repo = SERVERS.createRepo("kill", SampleRepo.seed(SERVERS.newFolder("seed-")));
    String uri = SERVERS.uri(Protocol.GIT, repo);
    Path work = SERVERS.newFolder("work-");
    String seed;
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      seed = served.tip("main").name();
    }
    List<String> outcomes = new ArrayList<>();
    int killed = 0;
    // First moment: right after the clone, while the run renders (a delay of 0 means that); then
    // later and later, around the commit and the push.
    for (long delay : new long[] {0, 2000, 4000, 5500, 7000, 9000}) {
      Process process = convoy(uri, work);
      boolean finished;
      if (delay == 0) {
        Path tracking = work.resolve(".git/refs/remotes/origin/main");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (process.isAlive() && !Files.exists(tracking) && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        finished = !process.isAlive();
      } else {
        finished = process.waitFor(delay, TimeUnit.MILLISECONDS);
      }
      if (!finished) {
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // 128 + 15: the signal ended it, not a normal exit that happened to come first.
        assertThat(process.exitValue()).as("exit code of a run killed at " + delay).isEqualTo(143);
        killed++;
      }
      try (RemoteHistory served = new RemoteHistory(repo.path())) {
        RevCommit tip = served.tip("main");
        outcomes.add(
            delay
                + " ms: "
                + (finished ? "finished" : "killed")
                + ", "
                + (tip.name().equals(seed) ? "nothing pushed" : "pushed"));
        if (!tip.name().equals(seed)) {
          assertThat(tip.getParent(0).name()).isEqualTo(seed);
          assertThat(served.log("main")).hasSize(2);
        }
      }
    }
    assertThat(outcomes.get(0))
        .as("the run killed while rendering")
        .isEqualTo("0 ms: killed, nothing pushed");
    assertThat(killed).as("runs that were really killed").isGreaterThanOrEqualTo(1);

    ReconcileRun last = ReconcileRun.of("--repo", uri, "--work-dir", work.toString());

    assertThat(last.exitCode()).as(last.toString()).isZero();
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      List<RevCommit> log = served.log("main");
      assertThat(log).as("one rendered commit on the seed, whoever pushed it").hasSize(2);
      SortedMap<String, byte[]> rendered = served.files(log.get(0), "rendered/prod");
      assertThat(rendered).containsKeys("kustomization.yaml", ".convoy/rollout.yaml").hasSize(12);
    }
    System.out.println("reconcile kill: " + outcomes);
  }

  /**
   * {@code convoy reconcile} in a JVM of its own, without XDG_CONFIG_HOME (as in a bare CronJob).
   */
  private static Process convoy(String uri, Path work) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            ConvoyCommand.class.getName(),
            "reconcile",
            "--repo",
            uri,
            "--work-dir",
            work.toString());
    pb.environment().remove("XDG_CONFIG_HOME");
    pb.redirectErrorStream(true);
    pb.redirectOutput(work.resolveSibling(work.getFileName() + ".log").toFile());
    return pb.start();
  }
}

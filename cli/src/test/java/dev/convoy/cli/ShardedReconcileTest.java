package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.RemoteHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code reconcile --repos FILE --shard-index N --shard-count M}: 12 repos served by a real {@code
 * git daemon}, three shards, one repo with a broken convoy.yaml. Every repo is reconciled by
 * exactly one shard, the broken one is reported and does not stop its shard.
 */
class ShardedReconcileTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  @Test
  void theHashOfFixedUrlsSpreadsThemOverEveryShard() {
    List<Integer> shards = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String url = String.format("https://git.example.com/platform/team-%02d.git", i);
      shards.add(new RepoList.Entry(url, "main", Map.of(), 0).shard(3));
    }
    assertThat(shards).as("12 repos over 3 shards").contains(0, 1, 2);
    // Stable: the same URL, with or without credentials in it, always lands on one shard.
    assertThat(
            new RepoList.Entry(
                    "https://bot:t0ken@git.example.com/platform/team-00.git", "main", Map.of(), 0)
                .shard(3))
        .isEqualTo(shards.get(0));
  }

  @Test
  void everyRepoIsReconciledByExactlyOneShardAndAFailingRepoIsReported() throws Exception {
    List<GitServers.Repo> repos = new ArrayList<>();
    StringBuilder list =
        new StringBuilder("apiVersion: convoy.dev/v1alpha1\nkind: RepoList\nrepos:\n");
    for (int i = 0; i < 12; i++) {
      Path seed = SampleRepo.seed(SERVERS.newFolder("seed-"));
      if (i == 7) {
        Files.writeString(seed.resolve("convoy.yaml"), "kind: ConvoyConfig\ntargets: 3\n");
      }
      GitServers.Repo repo = SERVERS.createRepo(String.format("team-%02d", i), seed);
      repos.add(repo);
      list.append("  - url: ").append(SERVERS.uri(Protocol.GIT, repo)).append('\n');
      list.append("    branch: main\n");
    }
    Path reposFile = SERVERS.root().resolve("repos.yaml");
    Files.writeString(reposFile, list.toString(), StandardCharsets.UTF_8);
    Path work = SERVERS.newFolder("work-");
    Path metrics = SERVERS.root().resolve("metrics");

    Map<Integer, ReconcileRun> runs = new HashMap<>();
    for (int shard = 0; shard < 3; shard++) {
      // The index comes from the Indexed Job's variable, as in a pod.
      runs.put(
          shard,
          ReconcileRun.of(
              Map.of(ShardOptions.JOB_COMPLETION_INDEX, Integer.toString(shard)),
              "--repos",
              reposFile.toString(),
              "--shard-count",
              "3",
              "--work-dir",
              work.toString(),
              "--metrics-file",
              metrics.resolve("shard-" + shard + ".prom").toString()));
      System.out.println("--- shard " + shard + " stdout\n" + runs.get(shard).out());
    }

    // Each repo: one Convoy commit on top of the seed, made by exactly one shard.
    Map<String, Integer> reconciledBy = new HashMap<>();
    for (int shard = 0; shard < 3; shard++) {
      // The summary: one line per repo of the shard, with its exit code.
      for (String line : runs.get(shard).out().lines().filter(l -> l.contains(" exit ")).toList()) {
        for (GitServers.Repo repo : repos) {
          if (line.contains("/" + repo.name() + ".git ")) {
            assertThat(reconciledBy.put(repo.name(), shard))
                .as(repo.name() + " reconciled twice")
                .isNull();
          }
        }
      }
    }
    assertThat(reconciledBy).hasSize(12);
    // Each by the shard its URL hashes to. (The URLs carry the daemon's port, different every run:
    // which shards get work is not fixed, so only the hash's own answer is checked here.)
    Map<String, Integer> hashed = new HashMap<>();
    for (int i = 0; i < repos.size(); i++) {
      hashed.put(
          repos.get(i).name(),
          new RepoList.Entry(SERVERS.uri(Protocol.GIT, repos.get(i)), "main", Map.of(), 0)
              .shard(3));
    }
    assertThat(reconciledBy).as("each repo by the shard of its URL's hash").isEqualTo(hashed);
    for (GitServers.Repo repo : repos) {
      try (RemoteHistory served = new RemoteHistory(repo.path())) {
        List<RevCommit> log = served.log("main");
        if (repo.name().equals("team-07")) {
          assertThat(log).as(repo.name()).hasSize(1);
        } else {
          assertThat(log).as(repo.name()).hasSize(2);
          assertThat(log.get(0).getFullMessage()).startsWith("convoy: prod: ");
        }
      }
    }

    int failingShard = reconciledBy.get("team-07");
    ReconcileRun failing = runs.get(failingShard);
    assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(failing.out())
        .containsPattern("team-07\\.git main\\s+exit 2\\s+bad input or configuration")
        .contains("1 failed");
    assertThat(failing.err()).contains("convoy.yaml");
    for (int shard = 0; shard < 3; shard++) {
      ReconcileRun run = runs.get(shard);
      if (shard != failingShard) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
      }
      // The other repos of the failing shard were pushed all the same.
      assertThat(run.out()).containsPattern("exit 0\\s+pushed [0-9a-f]{12} to main");
      String prom = Files.readString(metrics.resolve("shard-" + shard + ".prom"));
      long repoCount = run.out().lines().filter(l -> l.contains(" exit ")).count();
      assertThat(prom.lines().filter(l -> l.startsWith("convoy_exit_code{")))
          .hasSize((int) repoCount);
    }
    assertThat(Files.readString(metrics.resolve("shard-" + failingShard + ".prom")))
        .containsPattern(
            "convoy_exit_code\\{repo=\"git://127\\.0\\.0\\.1:\\d+/team-07\\.git\"\\} 2");

    // A second pass: every repo is up to date, nothing is pushed twice.
    ReconcileRun again =
        ReconcileRun.of(
            Map.of(),
            "--repos",
            reposFile.toString(),
            "--shard-index",
            Integer.toString((failingShard + 1) % 3),
            "--shard-count",
            "3",
            "--work-dir",
            work.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).contains("up to date").doesNotContain("pushed ");
  }

  @Test
  void aBadRepoListIsBadInputNamingTheLine() throws Exception {
    Path file = SERVERS.root().resolve("bad-repos.yaml");
    Files.writeString(
        file,
        "apiVersion: convoy.dev/v1alpha1\nkind: RepoList\nrepos:\n  - url: git://x/a.git\n    credentials: {token: abc}\n");

    ReconcileRun run = ReconcileRun.of(Map.of(), "--repos", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("bad-repos.yaml:5").contains("unknown key 'token'");
    assertThat(run.all()).doesNotContain("abc");
  }

  @Test
  void theShardOfARepoDependsOnItsUrlAlone() {
    RepoList.Entry a = new RepoList.Entry("https://git.example.com/a.git", "main", Map.of(), 1);
    RepoList.Entry sameWithToken =
        new RepoList.Entry("https://bot:secret@git.example.com/a.git", "release", Map.of(), 9);

    for (int count = 1; count < 20; count++) {
      assertThat(a.shard(count)).isBetween(0, count - 1).isEqualTo(sameWithToken.shard(count));
    }
  }
}

package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.RenderRun;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.git.Trailer;
import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.HumanCommitter;
import dev.convoy.git.testing.RemoteHistory;
import dev.convoy.rules.DroolsPolicyRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four {@code convoy reconcile} runs in a loop, each with its own work folder, and a human editing
 * manifests, all racing on one repository over git daemon for 20 human rounds.
 */
class ReconcileRaceTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  static final int RECONCILERS = 4;
  static final int HUMAN_ROUNDS = 20;
  static final List<String> EDITED =
      List.of(
          "manifests/shop/cart.yaml",
          "manifests/shop/frontend.yaml",
          "manifests/payments/ledger.yaml");
  private static final Pattern PUSHED =
      Pattern.compile("^pushed ([0-9a-f]{12}) ", Pattern.MULTILINE);
  private static final Pattern LOST = Pattern.compile("after (\\d+) lost push race");

  /** Pushes of Convoy that the server's hook makes lose the race on purpose. */
  static final int FORCED_RACES = 3;

  /**
   * A pre-receive hook that, for the first {@value #FORCED_RACES} pushes of a Convoy commit to
   * main, lands a person's commit first (outside git's quarantine, so the ref really moves): the
   * push then fails to update main, and Convoy must fetch, re-render and push again. Races happen
   * by themselves too; these make sure some did.
   */
  private static String raceHook(Path state) {
    return """
        #!/bin/sh
        state='%s'
        while read old new ref; do
          [ "$ref" = refs/heads/main ] || continue
          [ "$(git log -1 --format=%%an "$new")" = convoy ] || continue
          # one hook at a time: concurrent pushes run concurrent hooks
          until mkdir "$state/lock" 2>/dev/null; do sleep 0.01; done
          if [ "$(cat "$state/commits" 2>/dev/null | wc -l)" -lt %d ]; then
            (
              unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
              export GIT_AUTHOR_NAME=human GIT_AUTHOR_EMAIL=human@example.invalid
              export GIT_COMMITTER_NAME=human GIT_COMMITTER_EMAIL=human@example.invalid
              c=$(echo "a person's commit, just before convoy's push" | git commit-tree "$old^{tree}" -p "$old")
              # Fails when main moved already: then this push loses the race by itself.
              git update-ref refs/heads/main "$c" "$old" && echo "$c" >> "$state/commits"
            )
          fi
          rmdir "$state/lock"
        done
        exit 0
        """
        .formatted(state, FORCED_RACES);
  }

  @Test
  void racingReconcilersAndAHumanLoseNoCommitPushNoDuplicateAndEndWithAFreshRender()
      throws Exception {
    GitServers.Repo repo = SERVERS.createRepo("race", SampleRepo.seed(SERVERS.newFolder("seed-")));
    String uri = SERVERS.uri(Protocol.GIT, repo);
    Path hookState = SERVERS.newFolder("race-hook-");
    AtomicBoolean humanDone = new AtomicBoolean();
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger lostRaces = new AtomicInteger();
    AtomicInteger exhausted = new AtomicInteger();
    List<String> humanCommits = new ArrayList<>();
    ConcurrentLinkedQueue<String> pushedIds = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    // The first render (and a cold JIT and Drools) takes seconds; do it before the race starts,
    // so the reconcilers race on the human's edits rather than on start-up.
    ReconcileRun first =
        ReconcileRun.of("--repo", uri, "--work-dir", SERVERS.newFolder("first-").toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    SERVERS.installHook(repo, "pre-receive", raceHook(hookState));

    ExecutorService pool = Executors.newFixedThreadPool(RECONCILERS + 1);
    List<Future<?>> running = new ArrayList<>();
    for (int r = 0; r < RECONCILERS; r++) {
      Path work = SERVERS.newFolder("reconciler-" + r + "-");
      running.add(
          pool.submit(
              () -> {
                // Keep reconciling while the human works, then once more after the last edit.
                boolean finalRunDone = false;
                while (!finalRunDone) {
                  boolean last = humanDone.get();
                  ReconcileRun run =
                      ReconcileRun.of(
                          "--repo",
                          uri,
                          "--branch",
                          "main",
                          "--work-dir",
                          work.toString(),
                          "--max-retries",
                          "8");
                  runs.incrementAndGet();
                  if (run.exitCode() == ExitCodes.OK) {
                    Matcher pushed = PUSHED.matcher(run.out());
                    while (pushed.find()) {
                      pushedIds.add(pushed.group(1));
                    }
                    Matcher lost = LOST.matcher(run.out());
                    if (lost.find()) {
                      lostRaces.addAndGet(Integer.parseInt(lost.group(1)));
                    }
                    finalRunDone = last;
                  } else if (run.exitCode() == ExitCodes.GIT_FAILURE
                      && run.err().contains("lost the race")) {
                    exhausted.incrementAndGet();
                  } else {
                    unexpected.add(run.toString());
                    return;
                  }
                }
              }));
    }
    running.add(
        pool.submit(
            () -> {
              try (HumanCommitter human = new HumanCommitter(uri, SERVERS.newFolder("human-"))) {
                for (int round = 0; round < HUMAN_ROUNDS; round++) {
                  int replicas = 10 + round;
                  humanCommits.add(
                      human.edit(
                          EDITED.get(round % EDITED.size()),
                          s -> s.replaceFirst("(?m)^  replicas: \\d+$", "  replicas: " + replicas),
                          "human edit " + round));
                  Thread.sleep(ThreadLocalRandom.current().nextInt(200, 800));
                }
              } catch (Exception e) {
                unexpected.add(e.toString());
              } finally {
                humanDone.set(true);
              }
              return null;
            }));
    for (Future<?> future : running) {
      future.get();
    }
    pool.shutdown();

    assertThat(unexpected).isEmpty();
    assertThat(humanCommits).hasSize(HUMAN_ROUNDS);
    List<String> hookCommits = Files.readAllLines(hookState.resolve("commits"));
    assertThat(hookCommits).as("pushes the hook made lose").hasSize(FORCED_RACES);
    assertThat(lostRaces.get() + exhausted.get())
        .as("lost push races that the reconcilers retried (or gave up on)")
        .isGreaterThanOrEqualTo(1);
    humanCommits.addAll(hookCommits);
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.lost(humanCommits, "main")).as("human commits the pushes lost").isEmpty();
      RevCommit tip = served.tip("main");
      assertThat(RemoteHistory.text(served.files(tip, "rendered/prod")))
          .as("final output is a fresh render of the final source")
          .isEqualTo(RemoteHistory.text(freshRender(served, tip)));

      List<RevCommit> log = served.log("main");
      List<String> sources = new ArrayList<>();
      int convoyCommits = 0;
      for (RevCommit commit : log) {
        if (!commit.getAuthorIdent().getName().equals("convoy")) {
          continue;
        }
        convoyCommits++;
        assertThat(commit.getParentCount()).as("convoy never merges").isEqualTo(1);
        RevCommit parent =
            log.stream().filter(c -> c.equals(commit.getParent(0))).findFirst().orElseThrow();
        assertThat(parent.getAuthorIdent().getName())
            .as("convoy commit %s directly on another convoy commit", commit.name())
            .isNotEqualTo("convoy");
        assertThat(commit.getTree())
            .as("convoy commit %s changes the tree", commit.name())
            .isNotEqualTo(parent.getTree());
        assertThat(commit.getFullMessage()).contains(Trailer.SOURCE_COMMIT + ": " + parent.name());
        sources.add(parent.name());
      }
      assertThat(sources).as("one render per source commit").doesNotHaveDuplicates();
      // Every convoy commit but the one made before the race was pushed by exactly one racer.
      assertThat(pushedIds).doesNotHaveDuplicates().hasSize(convoyCommits - 1);
      assertThat(convoyCommits).isBetween(2, HUMAN_ROUNDS + 1);
      System.out.printf(
          "reconcile race: %d runs, %d pushes, %d lost races (%d forced by the hook), %d runs out"
              + " of retries, %d human commits, 0 lost%n",
          runs.get(),
          convoyCommits,
          lostRaces.get(),
          FORCED_RACES,
          exhausted.get(),
          humanCommits.size());
    }
  }

  /** Renders a commit's source with the engine directly, from the output committed with it. */
  private static SortedMap<String, byte[]> freshRender(RemoteHistory served, RevCommit commit)
      throws Exception {
    Path dir = SERVERS.newFolder("fresh-");
    for (Map.Entry<String, byte[]> f : served.files(commit, "").entrySet()) {
      if (!f.getKey().startsWith("rendered/")) {
        Path p = dir.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, f.getValue());
      }
    }
    var loaded = RepoLoader.load(ConfigRepo.read(dir));
    return RenderRun.of(loaded)
        .setRules(DroolsPolicyRules.builder().build())
        .setPreviousOutput("prod", served.files(commit, "rendered/prod"))
        .call()
        .targets()
        .get(0)
        .files();
  }
}

package dev.convoy.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.HumanCommitter;
import dev.convoy.git.testing.RemoteHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four publishers, each with its own work folder, and a human committing to the source, all racing
 * on one repository over git daemon.
 */
class PushRaceTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  static final int PUBLISHERS = 4;
  static final int HUMAN_ROUNDS = 20;

  @Test
  void racingPublishersAndAHumanLoseNoCommitAndLeaveOutputMatchingTheFinalSource()
      throws Exception {
    GitServers.Repo repo =
        SERVERS.createRepo(
            "race",
            Map.of(
                "manifests/app-0.yaml", "kind: Deployment\n",
                "manifests/app-1.yaml", "kind: StatefulSet\n"));
    String uri = SERVERS.uri(Protocol.GIT, repo);
    AtomicBoolean humanDone = new AtomicBoolean();
    AtomicInteger pushes = new AtomicInteger();
    AtomicInteger lostRaces = new AtomicInteger();
    AtomicInteger exhausted = new AtomicInteger();
    List<String> humanCommits = new ArrayList<>();
    ConcurrentLinkedQueue<String> pushedIds = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

    ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + 1);
    List<Future<?>> running = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      Path work = SERVERS.newFolder("publisher-" + p + "-");
      running.add(
          pool.submit(
              () -> {
                // Keep publishing while the human works, then once more after the last edit.
                boolean finalRunDone = false;
                while (!finalRunDone) {
                  boolean last = humanDone.get();
                  try {
                    PublishResult result =
                        GitSync.publish()
                            .setUri(uri)
                            .setWorkDir(work)
                            .setAuthor(new Author("convoy", "convoy@example.invalid"))
                            .setMaxRetries(8)
                            .setBackoff(Duration.ofMillis(5), Duration.ofMillis(80))
                            .setRenderer(UppercaseRenderer.toFolder("rendered/prod"))
                            .call();
                    lostRaces.addAndGet(result.attempts() - 1);
                    if (result.outcome() == PublishResult.Outcome.PUSHED) {
                      pushes.incrementAndGet();
                      pushedIds.add(result.commits().get(0).commitId());
                    }
                    finalRunDone = last;
                  } catch (RetriesExhaustedException e) {
                    exhausted.incrementAndGet();
                    lostRaces.addAndGet(e.attempts());
                  } catch (Throwable e) {
                    unexpected.add(e);
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
                  humanCommits.add(
                      human.commit(
                          "manifests/app-" + (round % 3) + ".yaml",
                          "kind: Deployment\nround: " + round + "\n",
                          "human edit " + round));
                  Thread.sleep(ThreadLocalRandom.current().nextInt(40));
                }
              } catch (Throwable e) {
                unexpected.add(e);
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
    assertThat(lostRaces.get()).as("the publishers really raced").isPositive();
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      assertThat(remote.lost(humanCommits, "main")).as("human commits the pushes lost").isEmpty();
      RevCommit tip = remote.tip("main");
      assertThat(remote.textFiles(tip, "rendered/prod"))
          .as("final output is a fresh render of the final source")
          .isEqualTo(render(remote.textFiles(tip, "manifests")));

      List<RevCommit> log = remote.firstParentLog("main");
      int convoyCommits = 0;
      for (int i = 0; i < log.size() - 1; i++) {
        RevCommit commit = log.get(i);
        RevCommit parent = log.get(i + 1);
        if (isConvoy(commit)) {
          convoyCommits++;
          assertThat(commit.getTree())
              .as("convoy commit %s changes the tree", commit.name())
              .isNotEqualTo(parent.getTree());
          assertThat(isConvoy(parent))
              .as("convoy commit %s directly on another convoy commit", commit.name())
              .isFalse();
          assertThat(commit.getFullMessage()).contains("Convoy-Source-Commit: " + parent.name());
          assertThat(remote.textFiles(commit, "rendered/prod"))
              .isEqualTo(render(remote.textFiles(commit, "manifests")));
        }
      }
      assertThat(convoyCommits).isEqualTo(pushes.get()).isBetween(1, HUMAN_ROUNDS + 1);
      assertThat(pushedIds).doesNotHaveDuplicates();
    }
    System.out.printf(
        "race: %d pushes, %d lost races, %d runs out of retries%n",
        pushes.get(), lostRaces.get(), exhausted.get());
  }

  private static boolean isConvoy(RevCommit commit) {
    return commit.getAuthorIdent().getName().equals("convoy");
  }

  private static SortedMap<String, String> render(SortedMap<String, String> manifests) {
    SortedMap<String, String> rendered = new TreeMap<>();
    manifests.forEach((path, text) -> rendered.put(path, text.toUpperCase(Locale.ROOT)));
    return rendered;
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

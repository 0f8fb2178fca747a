package dev.convoy.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convoy.git.PublishedCommit.PathChange;
import dev.convoy.git.PublishedCommit.PathChange.Kind;
import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.HumanCommitter;
import dev.convoy.git.testing.RemoteHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publishing over git daemon: outputs, no-ops, dry runs, failures and lost races. */
class PublishCommandTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  static final Author CONVOY = new Author("convoy", "convoy@example.invalid");

  GitServers.Repo repo;
  String uri;
  String seed;

  @BeforeEach
  void createRepo(TestInfo test) throws Exception {
    repo =
        SERVERS.createRepo(
            test.getTestMethod().orElseThrow().getName(),
            Map.of(
                "manifests/app.yaml", "kind: Deployment\n",
                "manifests/db.yaml", "kind: StatefulSet\n",
                "rendered/prod/stale.yaml", "kind: Old\n"));
    uri = SERVERS.uri(Protocol.GIT, repo);
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      seed = remote.tip("main").name();
    }
  }

  PublishCommand publish(Path work, Renderer renderer) {
    return GitSync.publish()
        .setUri(uri)
        .setWorkDir(work)
        .setAuthor(CONVOY)
        .setMessageTemplate("convoy: {summary}")
        .setBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .setRenderer(renderer);
  }

  @Test
  void replacesTheOutputFolderExactlyAndKeepsEverythingElse() throws Exception {
    PublishResult result =
        publish(SERVERS.newFolder("work-"), UppercaseRenderer.toFolder("rendered/prod")).call();

    assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PUSHED);
    assertThat(result.commits())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.branch()).isEqualTo("main");
              assertThat(c.parentId()).contains(seed);
              assertThat(c.changes())
                  .containsExactly(
                      new PathChange(Kind.ADDED, "rendered/prod/app.yaml"),
                      new PathChange(Kind.ADDED, "rendered/prod/db.yaml"),
                      new PathChange(Kind.DELETED, "rendered/prod/stale.yaml"));
            });
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      RevCommit tip = remote.tip("main");
      assertThat(remote.textFiles(tip, "rendered/prod"))
          .containsExactly(
              Map.entry("app.yaml", "KIND: DEPLOYMENT\n"),
              Map.entry("db.yaml", "KIND: STATEFULSET\n"));
      assertThat(remote.textFiles(tip, "manifests")).hasSize(2);
    }
  }

  @Test
  void makesNoCommitWhenTheRenderedOutputIsUnchanged() throws Exception {
    Path work = SERVERS.newFolder("work-");
    PublishResult first = publish(work, UppercaseRenderer.toFolder("rendered/prod")).call();
    // A fresh work folder as well as the reused one must see that nothing changed.
    PublishResult reused = publish(work, UppercaseRenderer.toFolder("rendered/prod")).call();
    PublishResult fresh =
        publish(SERVERS.newFolder("work-"), UppercaseRenderer.toFolder("rendered/prod")).call();

    assertThat(reused.outcome()).isEqualTo(PublishResult.Outcome.UP_TO_DATE);
    assertThat(fresh.outcome()).isEqualTo(PublishResult.Outcome.UP_TO_DATE);
    assertThat(fresh.source().commitId()).isEqualTo(first.commits().get(0).commitId());
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      assertThat(remote.firstParentLog("main")).hasSize(2);
    }
  }

  @Test
  void rendersIntoAnOrphanBranchFirstAndOnTopOfItsTipAfterwards() throws Exception {
    Path work = SERVERS.newFolder("work-");
    PublishResult first = publish(work, UppercaseRenderer.toBranch("rendered/prod")).call();

    assertThat(first.outcome()).isEqualTo(PublishResult.Outcome.PUSHED);
    assertThat(first.commits()).singleElement().satisfies(c -> assertThat(c.parentId()).isEmpty());
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      RevCommit tip = remote.tip("rendered/prod");
      assertThat(tip.getParentCount()).isZero();
      assertThat(remote.textFiles(tip, ""))
          .containsExactly(
              Map.entry("app.yaml", "KIND: DEPLOYMENT\n"),
              Map.entry("db.yaml", "KIND: STATEFULSET\n"));
      assertThat(remote.tip("main").name()).as("source branch untouched").isEqualTo(seed);
    }

    String human;
    try (HumanCommitter person = new HumanCommitter(uri, SERVERS.newFolder("human-"))) {
      human = person.commit("manifests/app.yaml", "kind: Rollout\n", "switch to rollouts");
    }
    PublishResult second = publish(work, UppercaseRenderer.toBranch("rendered/prod")).call();

    assertThat(second.commits())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.parentId()).contains(first.commits().get(0).commitId());
              assertThat(c.changes()).containsExactly(new PathChange(Kind.MODIFIED, "app.yaml"));
              assertThat(c.message()).contains("Convoy-Source-Commit: " + human + "\n");
            });
    assertThat(second.source().readBranch("rendered/prod")).isPresent();
    assertThat(publish(work, UppercaseRenderer.toBranch("rendered/prod")).call().outcome())
        .isEqualTo(PublishResult.Outcome.UP_TO_DATE);
  }

  @Test
  void pushesSeveralRenderedBranchesInOneAtomicPush() throws Exception {
    Renderer twoTargets =
        checkout -> {
          var files = UppercaseRenderer.render(checkout.workTree());
          return new RenderedChange(
              List.of(
                  new Output.Branch("rendered/prod", files),
                  new Output.Branch("rendered/staging", files),
                  new Output.Folder("rendered/dev", files)),
              "three targets",
              List.of());
        };

    PublishResult result = publish(SERVERS.newFolder("work-"), twoTargets).call();

    assertThat(result.commits())
        .extracting(PublishedCommit::branch)
        .containsExactly("main", "rendered/prod", "rendered/staging");
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      for (PublishedCommit commit : result.commits()) {
        assertThat(remote.tip(commit.branch()).name()).isEqualTo(commit.commitId());
      }
    }
  }

  @Test
  void dryRunReturnsTheCommitItWouldMakeAndPushesNothing() throws Exception {
    PublishResult result =
        publish(SERVERS.newFolder("work-"), UppercaseRenderer.toFolder("rendered/prod"))
            .setDryRun(true)
            .call();

    assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.DRY_RUN);
    assertThat(result.commits())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.commitId()).hasSize(40);
              assertThat(c.message())
                  .startsWith("convoy: render 2 manifests\n\nConvoy-Source-Commit: " + seed);
              assertThat(c.changes())
                  .extracting(PathChange::path)
                  .contains("rendered/prod/app.yaml");
            });
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      assertThat(remote.tip("main").name()).isEqualTo(seed);
    }
  }

  @Test
  void aFailingRendererPushesNothingAndItsLeftoversAreCleanedUpByTheNextRun() throws Exception {
    Path work = SERVERS.newFolder("work-");
    Renderer crashing =
        checkout -> {
          Files.writeString(checkout.workTree().resolve("manifests/app.yaml"), "half-written");
          Files.writeString(checkout.workTree().resolve("junk.tmp"), "junk");
          throw new IllegalStateException("policy mesh does not compile");
        };

    assertThatThrownBy(() -> publish(work, crashing).call())
        .isInstanceOf(RenderFailedException.class)
        .hasMessageContaining("policy mesh does not compile")
        .hasMessageContaining("nothing was pushed")
        .hasCauseInstanceOf(IllegalStateException.class);
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      assertThat(remote.tip("main").name()).isEqualTo(seed);
    }

    Checkout next = GitSync.sync().setUri(uri).setWorkDir(work).call();
    assertThat(next.workTree().resolve("junk.tmp")).doesNotExist();
    assertThat(next.workTree().resolve("manifests/app.yaml")).hasContent("kind: Deployment");
  }

  @Test
  void syncReusesTheWorkFolderAndFollowsTheRemoteBranch() throws Exception {
    Path work = SERVERS.newFolder("work-");
    Checkout first = GitSync.sync().setUri(uri).setWorkDir(work).call();
    String human;
    try (HumanCommitter person = new HumanCommitter(uri, SERVERS.newFolder("human-"))) {
      human = person.commit("manifests/new.yaml", "kind: Job\n", "add a job");
    }

    Checkout second = GitSync.sync().setUri(uri).setBranch("main").setWorkDir(work).call();

    assertThat(first.commitId()).isEqualTo(seed);
    assertThat(second.commitId()).isEqualTo(human);
    assertThat(second.workTree()).isEqualTo(first.workTree());
    assertThat(second.workTree().resolve("manifests/new.yaml")).hasContent("kind: Job");
  }

  /** What a run killed while JGit held its locks leaves; the next run must not fail on it. */
  @Test
  void theNextSyncRemovesTheLocksAKilledRunLeft() throws Exception {
    Path work = SERVERS.newFolder("work-");
    GitSync.sync().setUri(uri).setWorkDir(work).call();
    String human;
    try (HumanCommitter person = new HumanCommitter(uri, SERVERS.newFolder("human-"))) {
      human = person.commit("manifests/new.yaml", "kind: Job\n", "add a job");
    }
    List<Path> locks =
        List.of(
            work.resolve(".git/index.lock"),
            work.resolve(".git/HEAD.lock"),
            work.resolve(".git/refs/heads/main.lock"),
            work.resolve(".git/refs/remotes/origin/main.lock"));
    for (Path lock : locks) {
      Files.writeString(lock, "0000000000000000000000000000000000000000\n");
    }

    Checkout next = GitSync.sync().setUri(uri).setWorkDir(work).call();

    assertThat(next.commitId()).isEqualTo(human);
    assertThat(locks).allSatisfy(lock -> assertThat(lock).doesNotExist());
  }

  @Test
  void failsClearlyWhenTheBranchDoesNotExist() {
    assertThatThrownBy(
            () ->
                GitSync.sync()
                    .setUri(uri)
                    .setBranch("nope")
                    .setWorkDir(SERVERS.newFolder("work-"))
                    .call())
        .isInstanceOf(RemoteNotFoundException.class)
        .hasMessageContaining("branch nope not found");
  }

  @Test
  void rejectsOutputPathsOutsideTheTree() {
    Renderer escaping =
        checkout ->
            new RenderedChange(
                List.of(
                    new Output.Folder(
                        "rendered/prod",
                        new TreeMap<>(Map.of("../../manifests/app.yaml", new byte[0])))),
                "escape",
                List.of());

    assertThatThrownBy(() -> publish(SERVERS.newFolder("work-"), escaping).call())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'../../manifests/app.yaml'");
  }

  @Test
  void aLostRaceIsRetriedByRenderingTheNewHeadAndKeepsTheHumanCommit() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<String> humans = new ArrayList<>();
    try (HumanCommitter person = new HumanCommitter(uri, SERVERS.newFolder("human-"))) {
      Renderer racing =
          checkout -> {
            if (calls.incrementAndGet() == 1) {
              humans.add(person.commit("manifests/app.yaml", "kind: Rollout\n", "sneak in"));
            }
            return UppercaseRenderer.toFolder("rendered/prod").render(checkout);
          };

      PublishResult result = publish(SERVERS.newFolder("work-"), racing).call();

      assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PUSHED);
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.source().commitId()).isEqualTo(humans.get(0));
    }
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      RevCommit tip = remote.tip("main");
      assertThat(tip.getParent(0).name()).isEqualTo(humans.get(0));
      assertThat(remote.textFiles(tip, "rendered/prod"))
          .containsEntry("app.yaml", "KIND: ROLLOUT\n");
    }
  }

  @Test
  void givesUpWithRetriesExhaustedWithoutForcingWhenEveryAttemptLoses() throws Exception {
    List<String> humans = new ArrayList<>();
    try (HumanCommitter person = new HumanCommitter(uri, SERVERS.newFolder("human-"))) {
      Renderer alwaysLosing =
          checkout -> {
            humans.add(
                person.commit("manifests/app.yaml", "kind: V" + humans.size() + "\n", "edit"));
            return UppercaseRenderer.toFolder("rendered/prod").render(checkout);
          };

      assertThatThrownBy(
              () -> publish(SERVERS.newFolder("work-"), alwaysLosing).setMaxRetries(2).call())
          .isInstanceOfSatisfying(
              RetriesExhaustedException.class, e -> assertThat(e.attempts()).isEqualTo(3))
          .hasMessageContaining("lost the race")
          .hasMessageContaining("3 times");
    }
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      assertThat(remote.tip("main").name()).isEqualTo(humans.get(2));
      assertThat(remote.firstParentLog("main"))
          .extracting(c -> c.getAuthorIdent().getName())
          .doesNotContain("convoy");
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.HumanCommitter;
import dev.convoy.git.testing.RemoteHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code convoy reconcile} against real git servers when the config repo is wrong or hostile: a bad
 * output or sources folder, a change that would empty a target, committed symlinks, a work folder
 * that belongs to someone else, a hook that refuses the push. Each pushes nothing it should not,
 * and says why.
 */
class ReconcileSafetyTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  static final String TOKEN = "kube-token-8b1f06d2-never-print";

  private static GitServers.Repo repo(String name, Path seed) throws Exception {
    return SERVERS.createRepo(name, seed);
  }

  private static Path sample() throws Exception {
    return SampleRepo.seed(SERVERS.newFolder("seed-"));
  }

  /** A served sample repo whose convoy.yaml has {@code from} replaced by {@code to}. */
  private static GitServers.Repo withConfig(String name, String from, String to) throws Exception {
    Path seed = sample();
    Path config = seed.resolve("convoy.yaml");
    Files.writeString(config, Files.readString(config).replace(from, to));
    return repo(name, seed);
  }

  private static String tip(GitServers.Repo repo) throws Exception {
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      return served.tip("main").name();
    }
  }

  private static ReconcileRun reconcile(GitServers.Repo repo, Path work, String... extra)
      throws Exception {
    String[] args = new String[4 + extra.length];
    args[0] = "--repo";
    args[1] = SERVERS.uri(Protocol.GIT, repo);
    args[2] = "--work-dir";
    args[3] = work.toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    return ReconcileRun.of(args);
  }

  @Test
  void anOutputThatIsTheSourcesFolderIsRefusedAndNothingIsPushed() throws Exception {
    GitServers.Repo repo =
        withConfig("output-is-sources", "output: rendered/prod", "output: manifests");
    String before = tip(repo);

    ReconcileRun run = reconcile(repo, SERVERS.newFolder("work-"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains(
            "targets[0].output: 'manifests' is the sources folder 'manifests' (sources[0]):"
                + " rendering would delete it")
        .contains("nothing pushed");
    assertThat(tip(repo)).isEqualTo(before);
  }

  @Test
  void aSourcesTypoIsRefusedInsteadOfRenderingNothingAndNothingIsPushed() throws Exception {
    GitServers.Repo repo =
        withConfig("sources-typo", "sources: [manifests]", "sources: [manifest]");
    String before = tip(repo);

    ReconcileRun run = reconcile(repo, SERVERS.newFolder("work-"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("sources[0]: folder 'manifest' does not exist");
    assertThat(tip(repo)).isEqualTo(before);
  }

  @Test
  void aChangeThatRemovesMostRenderedWorkloadsIsRefusedUnlessAllowed() throws Exception {
    GitServers.Repo repo = repo("mass-removal", sample());
    Path work = SERVERS.newFolder("work-");
    assertThat(reconcile(repo, work).exitCode()).isZero();
    // A human's bad merge deletes most of the manifests.
    Path human = SERVERS.newFolder("human-");
    try (Git git =
        Git.cloneRepository()
            .setURI(SERVERS.uri(Protocol.GIT, repo))
            .setDirectory(human.toFile())
            .call()) {
      for (String gone :
          List.of("shop/cart.yaml", "shop/frontend.yaml", "payments/ledger.yaml", "batch")) {
        git.rm().addFilepattern("manifests/" + gone).call();
      }
      git.commit().setMessage("oops").setSign(false).call();
      git.push().call();
    }
    String afterHuman = tip(repo);

    ReconcileRun refused = reconcile(repo, work);

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err())
        .containsPattern(
            "error: prod: this change removes [5-9] of 9 rendered workloads \\(\\d+%\\)")
        .contains("Deployment/shop/cart")
        .contains("--allow-mass-removal")
        .contains("nothing pushed");
    assertThat(tip(repo)).isEqualTo(afterHuman);

    ReconcileRun allowed = reconcile(repo, work, "--allow-mass-removal");

    assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
    assertThat(allowed.out()).startsWith("pushed ");
    assertThat(tip(repo)).isNotEqualTo(afterHuman);
  }

  @Test
  void aChangeToZeroWorkloadsIsRefusedWhateverTheShare() throws Exception {
    GitServers.Repo repo = repo("to-zero", sample());
    Path work = SERVERS.newFolder("work-");
    assertThat(reconcile(repo, work).exitCode()).isZero();
    try (HumanCommitter human =
        new HumanCommitter(SERVERS.uri(Protocol.GIT, repo), SERVERS.newFolder("human-"))) {
      human.edit(
          "convoy.yaml",
          s -> s.replace("sources: [manifests]", "sources: [{path: generated, optional: true}]"),
          "read generated manifests only");
    }

    ReconcileRun run = reconcile(repo, work, "--max-removal", "100");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("prod: this change removes 9 of 9 rendered workloads (100%)");
  }

  @Test
  void symlinksCommittedToTheRemoteAreRefusedAndTheirTargetLeaksNowhere() throws Exception {
    Path outside = SERVERS.newFolder("bot-home-");
    Path kubeconfig = Files.writeString(outside.resolve("config"), "token: " + TOKEN + "\n");
    Path precious = Files.writeString(outside.resolve("precious.yaml"), "keep: me\n");
    Path seed = sample();
    Files.createSymbolicLink(seed.resolve("manifests/shop/kubeconfig.yaml"), kubeconfig);
    Files.createSymbolicLink(seed.resolve("manifests/bot-home"), outside);
    Files.createSymbolicLink(seed.resolve("rendered"), outside);
    GitServers.Repo repo = repo("symlinks", seed);
    String before = tip(repo);
    Path work = SERVERS.newFolder("work-");

    ReconcileRun run = reconcile(repo, work, "--stacktrace");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains(
            "error: manifests/shop/kubeconfig.yaml: is a symlink pointing outside the repo;"
                + " refused, nothing of it is read")
        .contains("error: manifests/bot-home: is a symlink pointing outside the repo")
        .contains("targets[0].output: 'rendered/prod': 'rendered' is a symlink");
    assertThat(tip(repo)).isEqualTo(before);
    assertThat(run.all()).doesNotContain(TOKEN);
    assertThat(FolderBytes.containing(work, TOKEN)).as("work folder, objects included").isEmpty();
    assertThat(FolderBytes.containing(repo.path(), TOKEN)).as("the remote").isEmpty();
    assertThat(FolderBytes.snapshot(outside))
        .containsOnlyKeys("/", "config", "precious.yaml")
        .containsEntry("precious.yaml", "keep: me\n");
    assertThat(precious).exists();
  }

  @Test
  void aWorkFolderHoldingAnotherRemoteIsRefusedUntouchedUnlessTakenOver() throws Exception {
    GitServers.Repo mine = repo("mine", sample());
    GitServers.Repo theirs = repo("theirs", sample());
    Path work = SERVERS.newFolder("someones-clone-");
    try (Git git =
        Git.cloneRepository()
            .setURI(SERVERS.uri(Protocol.FILE, theirs))
            .setDirectory(work.toFile())
            .call()) {
      // a person's clone, with work in progress
    }
    Path notes = Files.writeString(work.resolve("NOTES.md"), "half-written design\n");

    ReconcileRun refused = reconcile(mine, work);

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err())
        .contains("holds a repository of " + SERVERS.uri(Protocol.FILE, theirs))
        .contains("--take-over-work-dir");
    assertThat(notes).hasContent("half-written design");

    ReconcileRun taken = reconcile(mine, work, "--take-over-work-dir");

    assertThat(taken.exitCode()).as(taken.toString()).isZero();
    assertThat(notes).doesNotExist();
  }

  @Test
  void aPushRefusedByAServerHookShowsTheHooksMessageAndExitsThree() throws Exception {
    GitServers.Repo repo = repo("hooked", sample());
    SERVERS.installHook(
        repo,
        "pre-receive",
        "#!/bin/sh\necho 'main is protected: open a merge request (see OPS-42)' >&2\nexit 1\n");
    String before = tip(repo);

    ReconcileRun run = reconcile(repo, SERVERS.newFolder("work-"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.GIT_FAILURE);
    assertThat(run.err())
        .contains("rejected: refs/heads/main")
        .contains("remote: main is protected: open a merge request (see OPS-42)")
        .contains("hint: the server refused the push");
    assertThat(tip(repo)).isEqualTo(before);
  }
}

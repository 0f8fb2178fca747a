package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push to a {@code file://} remote leaves it exactly as {@code git push} would: the remote's
 * hooks run, no JGit gc is left half done and no lock is left behind, so the next person's {@code
 * git push} works. {@code convoy reconcile} runs as a process of its own, which exits right after
 * the push, as a CronJob's does.
 *
 * <p>JGit's in-process receive-pack started an automatic gc after the push when the remote held
 * many loose objects, and the process exited during it, leaving {@code refs/heads/main.lock}. The
 * quick case provokes that gc with a remote of about 1,500 loose objects and {@code gc.auto=50};
 * the case the bug was found with (a first reconcile of 10,000 workloads to a bare clone) runs with
 * {@code -Dconvoy.largeTests=true} ({@code .ci/run} sets it: one to two minutes on a loaded 2-core
 * machine).
 */
class FileRemoteTest {
  @TempDir Path tmp;

  @Test
  void aPushToAFileRemoteRunsItsHooksAndLeavesItReadyForTheNextGitPush() throws Exception {
    Path seed = SampleRepo.seed(Files.createDirectories(tmp.resolve("seed")));
    // Loose objects past gc.auto, as a remote that people push small changes to collects.
    for (int i = 0; i < 1500; i++) {
      Path note = seed.resolve("docs/notes/" + (i % 50) + "/note-" + i + ".txt");
      Files.createDirectories(note.getParent());
      Files.writeString(note, "note " + i + "\n");
    }
    Path remote = bareRemote(seed, "gc.auto=50");
    Path hookRan = tmp.resolve("pre-receive-ran");
    hook(remote, "pre-receive", "#!/bin/sh\ncat > /dev/null\necho ran > '" + hookRan + "'\n");

    ConvoyProcess.Result run = reconcile(remote, 180);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("pushed ");
    assertThat(hookRan).as("the remote's pre-receive hook ran").exists();
    assertTheNextGitPushWorks(remote);
  }

  @Test
  void aFirstReconcileOfTenThousandWorkloadsToABareCloneLeavesItReadyForTheNextGitPush()
      throws Exception {
    assumeTrue(
        Boolean.getBoolean("convoy.largeTests"),
        "10,000-workload file:// reconcile: run with -Dconvoy.largeTests=true (.ci/run does)");
    Path seed = SampleRepo.seed(Files.createDirectories(tmp.resolve("seed")));
    for (int i = 0; i < 10_000; i++) {
      Path file = seed.resolve("manifests/fleet/app-" + i + ".yaml");
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-"
              + i
              + ", namespace: fleet}\nspec:\n  template:\n    metadata: {labels: {mesh: enabled}}\n"
              + "    spec:\n      containers: [{name: app, image: example/app:1}]\n");
    }
    // As the bug was found: git init, commit, git clone --bare (the objects stay loose).
    Path remote = bareRemote(seed, null);

    ConvoyProcess.Result run = reconcile(remote, 600);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    System.out.println(
        "file:// reconcile of 10,000 workloads took " + run.took().toMillis() + " ms");
    assertTheNextGitPushWorks(remote);
  }

  private ConvoyProcess.Result reconcile(Path remote, long seconds) throws Exception {
    return ConvoyProcess.of(
            "reconcile",
            "--repo",
            remote.toUri().toString(),
            "--work-dir",
            tmp.resolve("work").toString())
        .run(tmp.resolve("logs"), seconds);
  }

  /** No lock files, git fsck is happy, and a person can clone, commit and push at once. */
  private void assertTheNextGitPushWorks(Path remote) throws Exception {
    List<Path> locks;
    try (Stream<Path> walk = Files.walk(remote)) {
      locks = walk.filter(p -> p.getFileName().toString().endsWith(".lock")).toList();
    }
    assertThat(locks).as("lock files left in the remote").isEmpty();
    git(tmp, "--git-dir", remote.toString(), "fsck", "--no-progress");
    Path human = tmp.resolve("human");
    git(tmp, "clone", "-q", remote.toUri().toString(), human.toString());
    Files.writeString(human.resolve("README.md"), "a person's change\n");
    git(human, "add", "README.md");
    git(
        human,
        "-c",
        "user.name=human",
        "-c",
        "user.email=h@example.invalid",
        "commit",
        "-qm",
        "docs");
    git(human, "push", "-q", "origin", "HEAD:main");
    assertThat(git(tmp, "--git-dir", remote.toString(), "log", "-2", "--format=%an", "main"))
        .isEqualTo("human\nconvoy\n");
  }

  private Path bareRemote(Path seed, String config) throws Exception {
    git(seed, "init", "-q", "-b", "main");
    git(seed, "add", "-A");
    git(
        seed,
        "-c",
        "user.name=seed",
        "-c",
        "user.email=s@example.invalid",
        "commit",
        "-qm",
        "seed");
    Path remote = tmp.resolve("remote.git");
    git(tmp, "clone", "-q", "--bare", seed.toString(), remote.toString());
    if (config != null) {
      String[] kv = config.split("=", 2);
      git(tmp, "--git-dir", remote.toString(), "config", kv[0], kv[1]);
    }
    // git's own gc then runs before receive-pack returns, so the test sees its end state.
    git(tmp, "--git-dir", remote.toString(), "config", "gc.autoDetach", "false");
    return remote;
  }

  private static void hook(Path remote, String name, String script) throws IOException {
    Path hook = remote.resolve("hooks").resolve(name);
    Files.writeString(hook, script);
    hook.toFile().setExecutable(true);
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("git " + String.join(" ", args) + ": " + out).isZero();
    return out;
  }
}

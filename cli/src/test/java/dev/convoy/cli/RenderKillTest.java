package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convoy.engine.output.OutputFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convoy render} processes killed at every step of the output swap, and run two at a time:
 * the output path always holds the old or the new complete folder, or a state that the next command
 * of any kind puts back before doing anything else.
 *
 * <p>The exact instants come from fault injection: {@code strace -e inject=rename:retval=0:
 * signal=KILL:when=N} kills the process at its N-th {@code rename} (the swap's two renames are its
 * only ones) without performing it; {@code rmdir} is first used when the old folder is being
 * deleted after the swap. Skipped with a reason where strace is missing or ptrace is not allowed.
 */
class RenderKillTest {
  @TempDir Path tmp;

  Path repo;
  SortedMap<String, byte[]> oldOutput;
  SortedMap<String, byte[]> newOutput;

  @BeforeEach
  void repo() throws Exception {
    // The sample without its DRL files: each process here then starts in a second or two.
    repo = SampleRepo.seed(Files.createDirectories(tmp.resolve("repo")));
    assertThat(CliRun.of("render", repo.toString()).exitCode()).isZero();
    oldOutput = output();
    Path cart = repo.resolve("manifests/shop/cart.yaml");
    Files.writeString(cart, Files.readString(cart).replace("replicas: 2", "replicas: 7"));
    // What a whole render of the changed sources writes, rendered in a copy.
    Path copy = tmp.resolve("reference");
    CliRun.copy(repo, copy);
    assertThat(CliRun.of("render", copy.toString()).exitCode()).isZero();
    newOutput = new OutputFolder(copy.resolve("rendered/prod")).read();
    assertThat(same(newOutput, oldOutput)).as("the change changes the output").isFalse();
  }

  @Test
  void aKillBeforeTheFirstRenameLeavesTheOldFolder() throws Exception {
    ConvoyProcess.Result killed = killedAt("rename", 1, "render", repo.toString());

    assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(137);
    assertThat(same(output(), oldOutput)).isTrue();
    assertThat(leftovers()).isNotEmpty();
    assertNextCommandRestores(oldOutput);
  }

  @Test
  void aKillBetweenTheTwoRenamesIsPutBackByTheNextCommandOfAnyKind() throws Exception {
    ConvoyProcess.Result killed = killedAt("rename", 2, "render", repo.toString());

    assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(137);
    assertThat(repo.resolve("rendered/prod")).as("no folder at the output path").doesNotExist();
    assertThat(leftovers()).anyMatch(name -> name.startsWith(".prod.convoy-old-"));
    // The next command is killed too, while it puts the old folder back: nothing is lost.
    ConvoyProcess.Result killedAgain = killedAt("rename", 1, "diff", repo.toString());
    assertThat(killedAgain.exitCode()).as(killedAgain.toString()).isEqualTo(137);
    assertThat(repo.resolve("rendered/prod")).doesNotExist();

    assertNextCommandRestores(oldOutput);
  }

  @Test
  void aKillWhileTheOldFolderIsDeletedLeavesTheNewFolder() throws Exception {
    ConvoyProcess.Result killed = killedAt("rmdir", 1, "render", repo.toString());

    assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(137);
    assertThat(same(output(), newOutput)).isTrue();
    assertNextCommandRestores(newOutput);
  }

  @Test
  void killsAtRandomInstantsOfTheWriteNeverLeaveAMixedFolder() throws Exception {
    List<String> seen = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      Process render =
          ConvoyProcess.of("render", repo.toString())
              .start(tmp.resolve("render-" + round + ".log"));
      // Wait until the new folder is being written, then kill within the next few milliseconds:
      // during the writes, the renames or the clean-up.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (render.isAlive()
          && leftovers().stream().noneMatch(n -> n.contains("convoy-new"))
          && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      Thread.sleep(ThreadLocalRandom.current().nextInt(0, 25));
      boolean killed = render.isAlive();
      render.destroyForcibly().waitFor();
      SortedMap<String, byte[]> now = output();
      String state =
          Files.exists(repo.resolve("rendered/prod"))
              ? (same(now, oldOutput) ? "old" : same(now, newOutput) ? "new" : "MIXED")
              : "missing (mid-swap)";
      seen.add((killed ? "killed" : "finished") + ": " + state);
      assertThat(state).isNotEqualTo("MIXED");
      assertThat(CliRun.of("validate", repo.toString()).exitCode()).isZero();
      SortedMap<String, byte[]> after = output();
      assertThat(same(after, oldOutput) || same(after, newOutput)).as(seen.toString()).isTrue();
      assertThat(leftovers()).isEmpty();
      if (same(after, newOutput)) {
        // Start over from the old output, so the next round has a swap to interrupt.
        new OutputFolder(repo.resolve("rendered/prod")).write(oldOutput);
      }
    }
    System.out.println("render kills: " + seen);
    assertThat(seen).anyMatch(s -> s.startsWith("killed"));
  }

  @Test
  void twoRendersOfOneRepoAtOnceBothFinishAndLeaveOneWholeFolder() throws Exception {
    Process a = ConvoyProcess.of("render", repo.toString()).start(tmp.resolve("a.log"));
    Process b = ConvoyProcess.of("render", repo.toString()).start(tmp.resolve("b.log"));
    assertThat(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(a.exitValue()).as(Files.readString(tmp.resolve("a.log.err"))).isZero();
    assertThat(b.exitValue()).as(Files.readString(tmp.resolve("b.log.err"))).isZero();
    assertThat(same(output(), newOutput)).isTrue();
    assertThat(leftovers()).isEmpty();
  }

  private void assertNextCommandRestores(SortedMap<String, byte[]> expected) throws Exception {
    CliRun validate = CliRun.of("validate", repo.toString());

    assertThat(validate.exitCode()).as(validate.err()).isZero();
    assertThat(same(output(), expected)).isTrue();
    assertThat(leftovers()).isEmpty();

    CliRun render = CliRun.of("render", repo.toString());
    assertThat(render.exitCode()).as(render.err()).isZero();
    assertThat(same(output(), newOutput)).isTrue();
  }

  /**
   * Runs convoy under strace, which kills it on entering its {@code n}-th call of {@code syscall}.
   */
  private ConvoyProcess.Result killedAt(String syscall, int n, String... args) throws Exception {
    assumeTrue(straceWorks(), "strace with ptrace is needed for fault injection");
    return ConvoyProcess.of(args)
        .under(
            "strace",
            "-f",
            "-qq",
            "-o",
            "/dev/null",
            "-e",
            "trace=" + syscall,
            "-e",
            "inject=" + syscall + ":retval=0:signal=KILL:when=" + n,
            "--")
        .run(tmp.resolve("logs"), 120);
  }

  private static Boolean strace;

  private static synchronized boolean straceWorks() throws Exception {
    if (strace == null) {
      try {
        Process p =
            new ProcessBuilder("strace", "-qq", "-o", "/dev/null", "-e", "trace=none", "true")
                .redirectErrorStream(true)
                .start();
        strace = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (java.io.IOException e) {
        strace = false;
      }
    }
    return strace;
  }

  /** The files at the output path as they are on disk (no lock, no recovery). */
  private SortedMap<String, byte[]> output() throws Exception {
    Path dir = repo.resolve("rendered/prod");
    SortedMap<String, byte[]> files = new java.util.TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  /** Temporary folders (or a lock file) left beside the output. */
  private List<String> leftovers() throws Exception {
    try (Stream<Path> list = Files.list(repo.resolve("rendered"))) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".prod.")).toList();
    }
  }

  private static boolean same(SortedMap<String, byte[]> a, SortedMap<String, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    return a.entrySet().stream()
        .allMatch(e -> java.util.Arrays.equals(e.getValue(), b.get(e.getKey())));
  }
}

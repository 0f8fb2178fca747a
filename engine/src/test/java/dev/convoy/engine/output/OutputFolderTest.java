package dev.convoy.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {
  private static SortedMap<String, byte[]> files(String... pathsAndContents) {
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      out.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** {@code count} files whose names and contents all carry {@code mark}. */
  private static SortedMap<String, byte[]> many(String mark, int count) {
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      out.put(mark + "/f" + i + ".yaml", (mark + ": " + i + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void replacesTheFolderContentExactlyAndRemovesStaleFiles(@TempDir Path repo) throws Exception {
    OutputFolder folder = new OutputFolder(repo.resolve("rendered/prod"));
    folder.write(files("a.yaml", "a: 1\n", "sub/b.yaml", "b: 1\n"));

    OutputFolder.WriteOutcome outcome = folder.write(files("a.yaml", "a: 2\n"));

    assertThat(outcome).isEqualTo(OutputFolder.WriteOutcome.WRITTEN);
    assertThat(folder.read()).containsOnlyKeys("a.yaml");
    assertThat(Files.readString(repo.resolve("rendered/prod/a.yaml"))).isEqualTo("a: 2\n");
    assertThat(names(repo.resolve("rendered")))
        .as("no lock, no temp folder left")
        .containsExactly("prod");
  }

  @Test
  void leavesAnUnchangedOutputUntouched(@TempDir Path repo) throws Exception {
    OutputFolder folder = new OutputFolder(repo.resolve("out"));
    folder.write(files("a.yaml", "a: 1\n"));
    Path a = repo.resolve("out/a.yaml");
    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(a, old);

    assertThat(folder.write(files("a.yaml", "a: 1\n")))
        .isEqualTo(OutputFolder.WriteOutcome.UNCHANGED);
    assertThat(Files.getLastModifiedTime(a)).isEqualTo(old);
  }

  @Test
  void restoresThePreviousOutputWhenARunDiedBetweenTheTwoRenames(@TempDir Path repo)
      throws Exception {
    // A run killed after moving the old folder aside and before moving the new one in.
    Files.createDirectories(repo.resolve(".prod.convoy-old-4711-0badcafe"));
    Files.writeString(repo.resolve(".prod.convoy-old-4711-0badcafe/a.yaml"), "a: 1\n");
    Files.createDirectories(repo.resolve(".prod.convoy-new-4711-0badcafe"));
    Files.writeString(repo.resolve(".prod.convoy-new-4711-0badcafe/half.yaml"), "half");
    // and what an older Convoy (fixed names) left behind
    Files.createDirectories(repo.resolve(".prod.convoy-new"));

    new OutputFolder(repo.resolve("prod")).recover();

    assertThat(names(repo)).containsExactly("prod");
    assertThat(new OutputFolder(repo.resolve("prod")).read()).containsOnlyKeys("a.yaml");
  }

  @Test
  void concurrentWritersAndReadersOnlyEverSeeAWholeFolder(@TempDir Path repo) throws Exception {
    Path dir = repo.resolve("rendered/prod");
    SortedMap<String, byte[]> a = many("a", 120);
    SortedMap<String, byte[]> b = many("b", 80);
    new OutputFolder(dir).write(a);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (SortedMap<String, byte[]> content : List.of(a, b, a, b)) {
      threads.add(
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < 5; i++) {
                    new OutputFolder(dir).write(content);
                  }
                } catch (Exception e) {
                  problems.add("writer: " + e);
                }
              }));
    }
    threads.add(
        new Thread(
            () -> {
              try {
                start.await();
                for (int i = 0; i < 25; i++) {
                  SortedMap<String, byte[]> seen = new OutputFolder(dir).read();
                  if (!OutputFolder.sameContent(seen, a) && !OutputFolder.sameContent(seen, b)) {
                    problems.add("reader saw " + seen.size() + " files: a mixed folder");
                  }
                }
              } catch (Exception e) {
                problems.add("reader: " + e);
              }
            }));
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(2));
    }

    assertThat(problems).isEmpty();
    SortedMap<String, byte[]> last = new OutputFolder(dir).read();
    assertThat(OutputFolder.sameContent(last, a) || OutputFolder.sameContent(last, b)).isTrue();
    assertThat(names(repo.resolve("rendered"))).containsExactly("prod");
  }

  @Test
  void aRunWaitsForAnotherProcessHoldingTheLockThenFailsNamingIt(@TempDir Path repo)
      throws Exception {
    Path dir = repo.resolve("rendered/prod");
    new OutputFolder(dir).write(files("a.yaml", "a: 1\n"));
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                new OutputFolder(dir).lockFile().toString(),
                "30")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      long t0 = System.nanoTime();

      assertThatThrownBy(
              () -> new OutputFolder(dir, Duration.ofMillis(700)).write(files("a.yaml", "a: 2\n")))
          .isInstanceOf(OutputFolder.Locked.class)
          .hasMessageContaining("is being written by another convoy run (pid " + holder.pid() + ")")
          .hasMessageContaining("nothing written");
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isGreaterThanOrEqualTo(Duration.ofMillis(700));
      assertThat(Files.readString(dir.resolve("a.yaml"))).isEqualTo("a: 1\n");
    } finally {
      holder.destroyForcibly().waitFor();
    }
    // The holder died without cleaning up: its stale lock file does not block the next run.
    assertThat(new OutputFolder(dir, Duration.ofMillis(700)).write(files("a.yaml", "a: 3\n")))
        .isEqualTo(OutputFolder.WriteOutcome.WRITTEN);
    assertThat(names(repo.resolve("rendered"))).containsExactly("prod");
  }

  @Test
  void aSymlinkedOutputFolderIsRefusedAndWhatItPointsToIsKept(@TempDir Path tmp) throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("precious.txt"), "keep me\n");
    Files.createDirectories(tmp.resolve("repo/rendered"));
    Path dir = Files.createSymbolicLink(tmp.resolve("repo/rendered/prod"), elsewhere);

    assertThatThrownBy(() -> new OutputFolder(dir).write(files("a.yaml", "a: 1\n")))
        .isInstanceOf(OutputFolder.Unsafe.class)
        .hasMessageContaining("is a symlink");
    assertThatThrownBy(() -> new OutputFolder(dir).read())
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(OutputFolder.Unsafe.class);

    assertThat(names(elsewhere)).containsExactly("precious.txt");
    assertThat(Files.isSymbolicLink(dir)).isTrue();
  }

  @Test
  void symlinksInsideTheFolderAreNeitherReadNorFollowedWhenReplaced(@TempDir Path tmp)
      throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "s3cr3t\n");
    Path dir = tmp.resolve("repo/rendered/prod");
    new OutputFolder(dir).write(files("a.yaml", "a: 1\n"));
    Files.createSymbolicLink(dir.resolve("leak.yaml"), secret);

    assertThat(new OutputFolder(dir).read()).containsOnlyKeys("a.yaml");

    new OutputFolder(dir).write(files("a.yaml", "a: 2\n"));

    assertThat(names(dir)).containsExactly("a.yaml");
    assertThat(secret).hasContent("s3cr3t");
  }
}

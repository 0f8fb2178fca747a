package dev.convoy.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A git repository with two branches, {@code base} and {@code head}, each one commit whose tree is
 * a folder's content: what a pull request looks like to {@code convoy review}. Commits have fixed
 * authors and times, so their ids, and the reports that name them, are the same on every run.
 */
final class ReviewRepo {
  static final Instant BASE_TIME = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant HEAD_TIME = Instant.parse("2026-01-01T02:00:00Z");

  private ReviewRepo() {}

  /** Commits {@code base} on branch base, then {@code head} on top of it on branch head. */
  static Path create(Path dir, Path base, Path head) throws Exception {
    return create(dir, base, "base", head, "head");
  }

  /** As {@link #create(Path, Path, Path)}, with other branch names. */
  static Path create(Path dir, Path base, String baseBranch, Path head, String headBranch)
      throws Exception {
    Files.createDirectories(dir);
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(baseBranch).call()) {
      replaceTree(dir, base);
      commit(git, baseBranch, BASE_TIME);
      git.branchCreate().setName(headBranch).call();
      git.checkout().setName(headBranch).call();
      replaceTree(dir, head);
      commit(git, headBranch, HEAD_TIME);
      git.checkout().setName(baseBranch).call();
    }
    return dir;
  }

  private static void commit(Git git, String message, Instant time) throws Exception {
    PersonIdent who =
        new PersonIdent("Reviewer", "reviewer@example.invalid", time, java.time.ZoneOffset.UTC);
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  /** Makes the work tree (but .git) exactly {@code from}'s content. */
  private static void replaceTree(Path dir, Path from) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> old =
          walk.filter(p -> !p.equals(dir))
              .filter(p -> !dir.relativize(p).startsWith(".git"))
              .sorted(Comparator.reverseOrder())
              .toList();
      for (Path p : old) {
        Files.delete(p);
      }
    }
    CliRun.copy(from, dir);
  }

  static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.convoy.cli;

import dev.convoy.engine.load.OutputPaths;
import dev.convoy.engine.model.ConvoyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * A copy of the config repo's files in a temporary folder, for kustomize and Helm to build from:
 * they follow symlinks and {@code ../} wherever they lead, so they are given only the repo's own
 * bytes (regular files and symlinks to files inside the repo; hidden paths, output folders and
 * files over the size limit left out), and nothing else of the machine is theirs to read through
 * the repo.
 */
final class StagedRepo implements AutoCloseable {
  final Path root;

  private StagedRepo(Path root) {
    this.root = root;
  }

  static StagedRepo of(Path repo, ConvoyConfig config) {
    Path real;
    Path stage;
    try {
      real = repo.toRealPath();
      stage = Files.createTempDirectory("convoy-build-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> outputs =
        config.targets().stream()
            .map(t -> OutputPaths.localFolder(t))
            .filter(o -> !o.isEmpty())
            .toList();
    long limit = config.limits().fileBytes();
    try {
      Files.walkFileTree(
          repo,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              String rel = relative(repo, dir);
              if (!rel.isEmpty()
                  && (dir.getFileName().toString().startsWith(".") || underAny(rel, outputs))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              String rel = relative(repo, file);
              if (file.getFileName().toString().startsWith(".") || underAny(rel, outputs)) {
                return FileVisitResult.CONTINUE;
              }
              Path source = file;
              if (Files.isSymbolicLink(file)) {
                Path target;
                try {
                  target = file.toRealPath();
                } catch (IOException e) {
                  return FileVisitResult.CONTINUE;
                }
                if (!target.startsWith(real)
                    || target.startsWith(real.resolve(".git"))
                    || !Files.isRegularFile(target)) {
                  return FileVisitResult.CONTINUE; // outside the repo: never handed to a build
                }
                source = target;
              } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return FileVisitResult.CONTINUE;
              }
              if (Files.size(source) > limit) {
                return FileVisitResult.CONTINUE;
              }
              Path to = stage.resolve(rel);
              Files.createDirectories(to.getParent());
              Files.copy(source, to);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      delete(stage);
      throw new UncheckedIOException(e);
    }
    return new StagedRepo(stage);
  }

  /**
   * The files of a commit (paths relative to the config repo, as {@code CommitReader} gives them:
   * regular files only, no symlinks) written to a temporary folder.
   */
  static StagedRepo of(SortedMap<String, byte[]> files) {
    Path stage;
    try {
      stage = Files.createTempDirectory("convoy-build-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (var file : files.entrySet()) {
        Path to = stage.resolve(file.getKey()).normalize();
        if (!to.startsWith(stage) || to.equals(stage)) {
          continue; // a tree path never climbs out; refuse to write one that would
        }
        Files.createDirectories(to.getParent());
        Files.write(to, file.getValue());
      }
    } catch (IOException e) {
      delete(stage);
      throw new UncheckedIOException(e);
    }
    return new StagedRepo(stage);
  }

  private static boolean underAny(String rel, List<String> outputs) {
    for (String o : outputs) {
      if (rel.equals(o) || rel.startsWith(o + "/")) {
        return true;
      }
    }
    return false;
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  @Override
  public void close() {
    delete(root);
  }

  static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary folder is harmless; the run's result does not depend on it.
    }
  }
}

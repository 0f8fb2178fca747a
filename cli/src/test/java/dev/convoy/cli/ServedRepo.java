package dev.convoy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/** Reads a served bare repository directly, to check what a push really left there. */
final class ServedRepo implements AutoCloseable {
  private final Repository repository;

  ServedRepo(Path bare) throws IOException {
    repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
  }

  /** The convoy.yaml, manifests/ and policies/ of the sample config repo (no custom rules, no rendered output). */
  static Path sampleSeed(Path into) throws IOException {
    Path sample = Path.of("..", "samples", "config-repo").toAbsolutePath().normalize();
    Files.copy(sample.resolve("convoy.yaml"), into.resolve("convoy.yaml"));
    for (String folder : List.of("manifests", "policies")) {
      try (Stream<Path> walk = Files.walk(sample.resolve(folder))) {
        for (Path p : walk.toList()) {
          Path target = into.resolve(sample.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
    }
    return into;
  }

  /** The tip of a branch, or null. */
  RevCommit tip(String branch) throws IOException {
    ObjectId id = repository.exactRef("refs/heads/" + branch) == null ? null : repository.exactRef("refs/heads/" + branch).getObjectId();
    if (id == null) {
      return null;
    }
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(id);
      walk.parseBody(commit);
      return commit;
    }
  }

  /** All commits reachable from a branch, newest first. */
  List<RevCommit> log(String branch) throws IOException {
    List<RevCommit> log = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repository)) {
      walk.markStart(walk.parseCommit(repository.resolve("refs/heads/" + branch)));
      for (RevCommit c : walk) {
        walk.parseBody(c);
        log.add(c);
      }
    }
    return log;
  }

  boolean isAncestor(String ancestor, String branch) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)), walk.parseCommit(repository.resolve("refs/heads/" + branch)));
    }
  }

  /** The files under {@code prefix} (relative to it; all files when empty) in a commit's tree. */
  SortedMap<String, byte[]> files(RevCommit commit, String prefix) throws IOException {
    SortedMap<String, byte[]> files = new TreeMap<>();
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      if (!prefix.isEmpty()) {
        walk.setFilter(PathFilter.create(prefix));
      }
      while (walk.next()) {
        String path = walk.getPathString();
        files.put(prefix.isEmpty() ? path : path.substring(prefix.length() + 1), repository.open(walk.getObjectId(0)).getBytes());
      }
    }
    return files;
  }

  /** Files as text, for readable assertion failures. */
  static SortedMap<String, String> text(SortedMap<String, byte[]> files) {
    SortedMap<String, String> text = new TreeMap<>();
    files.forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
    return text;
  }

  @Override
  public void close() {
    repository.close();
  }
}

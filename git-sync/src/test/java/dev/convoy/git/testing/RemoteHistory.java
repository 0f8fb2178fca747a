package dev.convoy.git.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/** Reads the history and trees of a bare repository a {@link GitServers} server serves. */
public final class RemoteHistory implements AutoCloseable {
  private final Repository repository;

  public RemoteHistory(Path bare) throws IOException {
    repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
  }

  /** The tip of a branch, or null. */
  public RevCommit tip(String branch) throws IOException {
    ObjectId id = repository.resolve("refs/heads/" + branch);
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
  public List<RevCommit> log(String branch) throws IOException {
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

  /** First-parent history of a branch, newest first. */
  public List<RevCommit> firstParentLog(String branch) throws IOException {
    List<RevCommit> log = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repository)) {
      ObjectId tip = repository.resolve("refs/heads/" + branch);
      RevCommit commit = tip == null ? null : walk.parseCommit(tip);
      while (commit != null) {
        walk.parseBody(commit);
        log.add(commit);
        commit = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
      }
    }
    return log;
  }

  public boolean isAncestor(String ancestor, String branch) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.isMergedInto(
          walk.parseCommit(ObjectId.fromString(ancestor)),
          walk.parseCommit(repository.resolve("refs/heads/" + branch)));
    }
  }

  /** Those of {@code commits} that {@code branch} does not contain: what a push lost. */
  public List<String> lost(List<String> commits, String branch) throws IOException {
    List<String> lost = new ArrayList<>();
    for (String commit : commits) {
      if (!isAncestor(commit, branch)) {
        lost.add(commit);
      }
    }
    return lost;
  }

  /** The files under {@code prefix} (relative to it; all files when empty) in a commit's tree. */
  public SortedMap<String, byte[]> files(RevCommit commit, String prefix) throws IOException {
    SortedMap<String, byte[]> files = new TreeMap<>();
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      if (!prefix.isEmpty()) {
        walk.setFilter(PathFilter.create(prefix));
      }
      while (walk.next()) {
        String path = walk.getPathString();
        files.put(
            prefix.isEmpty() ? path : path.substring(prefix.length() + 1),
            repository.open(walk.getObjectId(0)).getBytes());
      }
    }
    return files;
  }

  /** {@link #files} as UTF-8 text, for readable assertions. */
  public SortedMap<String, String> textFiles(RevCommit commit, String prefix) throws IOException {
    return text(files(commit, prefix));
  }

  /** Files as UTF-8 text, for readable assertion failures. */
  public static SortedMap<String, String> text(SortedMap<String, byte[]> files) {
    SortedMap<String, String> text = new TreeMap<>();
    files.forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
    return text;
  }

  @Override
  public void close() {
    repository.close();
  }
}

package dev.convoy.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

/**
 * Reads commits straight from a repository's object database: no checkout, no index, nothing
 * written. The work tree, the index and the refs stay exactly as they were, so a pull-request bot
 * can read any two commits of the folder it runs in, whatever is checked out there.
 *
 * <pre>{@code
 * try (CommitReader git = CommitReader.open(Path.of("."))) {
 *   Commit base = git.resolve("origin/main");
 *   TreeFiles files = git.files(base, List.of("convoy.yaml", "manifests", "policies"));
 * }
 * }</pre>
 *
 * <p>Paths are relative to the folder the reader was opened on, which may be a sub-folder of the
 * work tree (a config repo inside a larger repository). Only regular files are read: a symbolic
 * link or a submodule is reported in {@link TreeFiles#skipped()}, never followed. Equal blobs are
 * read once per reader, so two commits that share most files share their bytes. Not thread-safe.
 */
public final class CommitReader implements AutoCloseable {
  /** Blobs larger than this are not loaded (a config file that large is a mistake or an attack). */
  public static final long DEFAULT_MAX_BLOB_SIZE = 64L * 1024 * 1024;

  private final Repository repository;
  private final boolean owned;
  private final String prefix;
  private final ObjectReader reader;
  private final Map<ObjectId, byte[]> blobs = new HashMap<>();
  private long maxBlobSize = DEFAULT_MAX_BLOB_SIZE;

  private CommitReader(Repository repository, boolean owned, String prefix) {
    this.repository = repository;
    this.owned = owned;
    this.prefix = prefix;
    this.reader = repository.newObjectReader();
  }

  /**
   * Opens the repository that holds {@code dir}: the work tree it is in (or below), or a bare
   * repository.
   *
   * @throws RevisionNotFoundException when {@code dir} is not inside a git repository
   */
  public static CommitReader open(Path dir) throws GitSyncException {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw new RevisionNotFoundException("no such folder: " + dir, e);
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(real.toFile());
    if (builder.getGitDir() == null) {
      if (Files.isRegularFile(real.resolve("HEAD")) && Files.isDirectory(real.resolve("objects"))) {
        builder.setGitDir(real.toFile()).setBare();
      } else {
        throw new RevisionNotFoundException(
            "not a git repository (or any parent up to /): " + real);
      }
    }
    Repository repository;
    try {
      repository = builder.setMustExist(true).build();
    } catch (IOException | IllegalArgumentException e) {
      throw new RevisionNotFoundException(
          "cannot open the git repository of " + real + ": " + e.getMessage(), e);
    }
    String prefix = "";
    if (!repository.isBare()) {
      try {
        Path workTree = repository.getWorkTree().toPath().toRealPath();
        if (!real.startsWith(workTree)) {
          repository.close();
          throw new RevisionNotFoundException(real + " is not inside the work tree " + workTree);
        }
        String relative = workTree.relativize(real).toString().replace('\\', '/');
        prefix = relative.isEmpty() ? "" : relative + "/";
      } catch (IOException e) {
        repository.close();
        throw new RevisionNotFoundException("cannot read the work tree of " + real, e);
      }
    }
    return new CommitReader(repository, true, prefix);
  }

  /** A reader over an open repository; the caller keeps ownership of it. */
  static CommitReader of(Repository repository, boolean owned) {
    return new CommitReader(repository, owned, "");
  }

  /** Blobs larger than this many bytes are skipped; {@link #DEFAULT_MAX_BLOB_SIZE} unless set. */
  public CommitReader setMaxBlobSize(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("max blob size must be positive");
    }
    this.maxBlobSize = bytes;
    return this;
  }

  /** The folder the reader was opened on, relative to the work tree: {@code ""} or {@code a/b/}. */
  public String prefix() {
    return prefix;
  }

  /**
   * The commit a revision names: a branch, tag, remote-tracking branch, (abbreviated) id, or an
   * expression such as {@code HEAD~1}.
   *
   * @throws RevisionNotFoundException when it names no commit
   */
  public Commit resolve(String revision) throws RevisionNotFoundException {
    ObjectId id;
    try {
      id = repository.resolve(revision + "^{commit}");
    } catch (AmbiguousObjectException e) {
      throw new RevisionNotFoundException("revision " + revision + " is ambiguous", e);
    } catch (RevisionSyntaxException | IncorrectObjectTypeException e) {
      throw new RevisionNotFoundException("revision " + revision + " does not name a commit", e);
    } catch (IOException e) {
      throw new RevisionNotFoundException("cannot resolve " + revision + ": " + e.getMessage(), e);
    }
    if (id == null) {
      throw new RevisionNotFoundException(
          "revision "
              + revision
              + " not found (fetch it first, e.g. git fetch origin "
              + revision
              + ")");
    }
    try (RevWalk walk = new RevWalk(reader)) {
      return commit(walk.parseCommit(id));
    } catch (IOException e) {
      throw new RevisionNotFoundException("cannot read commit " + id.name(), e);
    }
  }

  /**
   * The tip of a branch: {@code refs/heads/NAME}, else {@code refs/remotes/origin/NAME}; empty when
   * neither exists.
   */
  public Optional<Commit> branch(String name) throws RevisionNotFoundException {
    for (String ref : List.of(Constants.R_HEADS + name, Constants.R_REMOTES + "origin/" + name)) {
      try {
        if (repository.exactRef(ref) != null) {
          return Optional.of(resolve(ref));
        }
      } catch (IOException e) {
        throw new RevisionNotFoundException("cannot read ref " + ref, e);
      }
    }
    return Optional.empty();
  }

  /**
   * The regular files of {@code commit} under each of {@code paths} (folders or files, relative to
   * {@link #prefix()}; {@code ""} for everything).
   */
  public TreeFiles files(Commit commit, Collection<String> paths) throws RevisionNotFoundException {
    return read(commit, paths, prefix);
  }

  /**
   * As {@link #files}, with paths relative to the root of the commit's tree whatever folder the
   * reader was opened on: for a branch that holds rendered output only.
   */
  public TreeFiles filesFromRoot(Commit commit, Collection<String> paths)
      throws RevisionNotFoundException {
    return read(commit, paths, "");
  }

  private TreeFiles read(Commit commit, Collection<String> paths, String prefix)
      throws RevisionNotFoundException {
    List<String> filters = new ArrayList<>();
    for (String p : paths) {
      String clean = p.replace('\\', '/').replaceAll("^(\\./)+", "").replaceAll("/+$", "");
      if (clean.isEmpty() || clean.equals(".")) {
        filters = null;
        break;
      }
      filters.add(prefix + clean);
    }
    if (filters != null && filters.isEmpty()) {
      return new TreeFiles(new TreeMap<>(), new TreeMap<>());
    }
    if (filters == null && !prefix.isEmpty()) {
      filters = List.of(prefix.substring(0, prefix.length() - 1));
    }
    SortedMap<String, byte[]> files = new TreeMap<>();
    SortedMap<String, String> skipped = new TreeMap<>();
    try (RevWalk walk = new RevWalk(reader);
        TreeWalk tree = new TreeWalk(reader)) {
      tree.addTree(walk.parseCommit(ObjectId.fromString(commit.id())).getTree());
      tree.setRecursive(true);
      if (filters != null) {
        tree.setFilter(PathFilterGroup.createFromStrings(filters));
      }
      while (tree.next()) {
        String path = tree.getPathString();
        if (!path.startsWith(prefix)) {
          continue;
        }
        String relative = path.substring(prefix.length());
        FileMode mode = tree.getFileMode(0);
        if (mode == FileMode.SYMLINK) {
          skipped.put(relative, "a symbolic link (never followed)");
        } else if (mode == FileMode.GITLINK) {
          skipped.put(relative, "a submodule (not read)");
        } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          byte[] bytes = blob(tree.getObjectId(0));
          if (bytes == null) {
            skipped.put(relative, "larger than " + maxBlobSize + " bytes");
          } else {
            files.put(relative, bytes);
          }
        }
      }
    } catch (MissingObjectException e) {
      throw new RevisionNotFoundException(
          "commit " + commit.shortId() + " is incomplete (shallow clone?): " + e.getMessage(), e);
    } catch (IOException e) {
      throw new RevisionNotFoundException(
          "cannot read the files of " + commit.shortId() + ": " + e.getMessage(), e);
    }
    return new TreeFiles(files, skipped);
  }

  /**
   * Commits reachable from {@code from}, newest first, at most {@code max}: where a caller looks
   * for the trailers an earlier run recorded.
   */
  public List<Commit> history(Commit from, int max) throws RevisionNotFoundException {
    List<Commit> out = new ArrayList<>();
    try (RevWalk walk = new RevWalk(reader)) {
      walk.markStart(walk.parseCommit(ObjectId.fromString(from.id())));
      for (RevCommit c : walk) {
        if (out.size() >= max) {
          break;
        }
        out.add(commit(c));
      }
    } catch (IOException e) {
      throw new RevisionNotFoundException(
          "cannot walk the history of " + from.shortId() + ": " + e.getMessage(), e);
    }
    return out;
  }

  private byte[] blob(ObjectId id) throws IOException {
    byte[] cached = blobs.get(id);
    if (cached != null) {
      return cached;
    }
    if (reader.getObjectSize(id, Constants.OBJ_BLOB) > maxBlobSize) {
      return null;
    }
    byte[] bytes = reader.open(id, Constants.OBJ_BLOB).getBytes();
    blobs.put(id.copy(), bytes);
    return bytes;
  }

  private static Commit commit(RevCommit c) {
    List<Trailer> trailers = new ArrayList<>();
    for (FooterLine line : c.getFooterLines()) {
      try {
        trailers.add(new Trailer(line.getKey(), line.getValue().trim()));
      } catch (IllegalArgumentException e) {
        // A footer that is not a well-formed trailer (empty value, odd key): not ours, skip it.
      }
    }
    return new Commit(
        c.getName(), Instant.ofEpochSecond(c.getCommitTime()), c.getShortMessage(), trailers);
  }

  @Override
  public void close() {
    reader.close();
    if (owned) {
      repository.close();
    }
  }
}

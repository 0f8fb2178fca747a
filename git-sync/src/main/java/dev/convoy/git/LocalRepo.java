package dev.convoy.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand.ResetType;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work folder: a non-bare repository with one remote, {@code origin}, that Convoy owns. Every
 * run fetches all branches and resets the work tree hard to the remote source branch, so whatever a
 * failed run left behind (files written by a renderer, local commits, a stale index lock) is gone
 * before the next render.
 */
final class LocalRepo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRepo.class);
  static final String REMOTE = "origin";
  private static final String TRACKING = Constants.R_REMOTES + REMOTE + "/";

  private final Repository repository;

  private LocalRepo(Repository repository) {
    this.repository = repository;
  }

  /**
   * Opens the work folder, or initialises it when it is missing or empty. A repository whose {@code
   * origin} is another remote is refused unless {@code takeOver}: resetting it would delete
   * someone's work.
   */
  static LocalRepo openOrInit(Path workDir, RemoteAccess access, boolean takeOver)
      throws WorkDirException, ForeignWorkDirException {
    Path dotGit = workDir.resolve(Constants.DOT_GIT);
    try {
      Repository repository;
      if (Files.isDirectory(dotGit)) {
        repository =
            new FileRepositoryBuilder().setGitDir(dotGit.toFile()).setMustExist(true).build();
        removeStaleLocks(dotGit);
      } else {
        if (Files.isDirectory(workDir) && !isEmpty(workDir)) {
          throw new WorkDirException(
              "work folder "
                  + workDir
                  + " is not empty and not a git repository; refusing to overwrite it");
        }
        Files.createDirectories(workDir);
        repository =
            Git.init()
                .setDirectory(workDir.toFile())
                .setInitialBranch("convoy-unborn")
                .call()
                .getRepository();
      }
      StoredConfig config = repository.getConfig();
      String url = access.uri().toString();
      String stored = config.getString("remote", REMOTE, "url");
      if (!url.equals(stored) && !takeOver && !(stored == null && unused(repository, workDir))) {
        repository.close();
        throw new ForeignWorkDirException(
            "work folder "
                + workDir
                + " holds a repository of "
                + (stored == null ? "no remote" : access.redact(stored))
                + ", not "
                + url
                + "; refusing to reset it and delete its untracked files",
            workDir);
      }
      if (!url.equals(stored)) {
        config.setString("remote", REMOTE, "url", url);
        config.setString("remote", REMOTE, "fetch", "+refs/heads/*:" + TRACKING + "*");
        config.save();
      }
      return new LocalRepo(repository);
    } catch (IOException | GitAPIException | IllegalArgumentException e) {
      throw new WorkDirException("cannot use work folder " + workDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * A run killed mid-checkout or mid-ref-update leaves {@code index.lock}, {@code HEAD.lock} or a
   * {@code refs/heads/main.lock} behind, and every later update of it fails (LOCK_FAILURE). The
   * folder is Convoy's alone and the caller holds it exclusively, so a lock found here is stale.
   */
  private static void removeStaleLocks(Path dotGit) throws IOException {
    List<Path> locks;
    try (Stream<Path> top = Files.list(dotGit)) {
      locks = new java.util.ArrayList<>(top.filter(LocalRepo::isLock).toList());
    }
    Path refs = dotGit.resolve(Constants.R_REFS);
    if (Files.isDirectory(refs)) {
      try (Stream<Path> all = Files.walk(refs)) {
        all.filter(LocalRepo::isLock).forEach(locks::add);
      }
    }
    for (Path lock : locks) {
      if (Files.deleteIfExists(lock)) {
        LOG.warn("removed stale {} left by an interrupted run", lock);
      }
    }
  }

  private static boolean isLock(Path p) {
    return p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p);
  }

  /** A repository without refs whose folder holds nothing but .git: an interrupted first run. */
  private static boolean unused(Repository repository, Path workDir) throws IOException {
    if (!repository.getRefDatabase().getRefs().isEmpty()) {
      return false;
    }
    try (Stream<Path> entries = Files.list(workDir)) {
      return entries.allMatch(p -> p.getFileName().toString().equals(Constants.DOT_GIT));
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  Repository repository() {
    return repository;
  }

  /**
   * Fetches every branch of the remote into {@code refs/remotes/origin/*}, pruning branches that no
   * longer exist, so the source branch and rendered branches come from one ref snapshot.
   */
  FetchResult fetch(RemoteAccess access) throws GitSyncException {
    try (Transport transport = Transport.open(repository, access.uri())) {
      access.configure(transport);
      transport.setTagOpt(TagOpt.NO_TAGS);
      transport.setRemoveDeletedRefs(true);
      return transport.fetch(
          NullProgressMonitor.INSTANCE, List.of(new RefSpec("+refs/heads/*:" + TRACKING + "*")));
    } catch (IOException e) {
      throw access.classify("fetch", e);
    }
  }

  /** The fetched tip of a remote branch, or null when the remote has no such branch. */
  ObjectId remoteTip(String branch) throws IOException {
    return repository.resolve(TRACKING + branch + "^{commit}");
  }

  /**
   * Points the local branch, HEAD and the work tree at the fetched tip of {@code branch}, and
   * deletes untracked and ignored files: the renderer sees exactly the commit.
   */
  Checkout checkOut(String branch, RemoteAccess access) throws GitSyncException {
    try {
      ObjectId tip = remoteTip(branch);
      if (tip == null) {
        throw new RemoteNotFoundException("branch " + branch + " not found in " + access.uri());
      }
      String local = Constants.R_HEADS + branch;
      RefUpdate branchUpdate = repository.updateRef(local);
      branchUpdate.setNewObjectId(tip);
      branchUpdate.setForceUpdate(true);
      check(branchUpdate.update(), local);
      RefUpdate head = repository.updateRef(Constants.HEAD);
      check(head.link(local), Constants.HEAD);
      try (Git git = new Git(repository)) {
        git.reset().setMode(ResetType.HARD).setRef(tip.name()).call();
        git.clean().setCleanDirectories(true).setIgnore(false).setForce(true).call();
      }
      RevCommit commit;
      try (RevWalk walk = new RevWalk(repository)) {
        commit = walk.parseCommit(tip);
      }
      return new Checkout(
          repository.getWorkTree().toPath(),
          branch,
          tip.name(),
          Instant.ofEpochSecond(commit.getCommitTime()));
    } catch (IOException | GitAPIException e) {
      throw new WorkDirException(
          "cannot check out " + branch + " in " + repository.getWorkTree() + ": " + e.getMessage(),
          e);
    }
  }

  private static void check(RefUpdate.Result result, String ref) throws IOException {
    switch (result) {
      case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> {}
      default -> throw new IOException("cannot update " + ref + ": " + result);
    }
  }

  /** Reads the files of a fetched remote branch of the repository at {@code workTree}. */
  static Optional<SortedMap<String, byte[]>> readRemoteBranch(Path workTree, String branch)
      throws IOException {
    try (Repository repository =
            new FileRepositoryBuilder()
                .setGitDir(workTree.resolve(Constants.DOT_GIT).toFile())
                .setMustExist(true)
                .build();
        RevWalk walk = new RevWalk(repository);
        ObjectReader reader = repository.newObjectReader();
        TreeWalk tree = new TreeWalk(reader)) {
      ObjectId tip = repository.resolve(TRACKING + branch + "^{commit}");
      if (tip == null) {
        return Optional.empty();
      }
      tree.addTree(walk.parseCommit(tip).getTree());
      tree.setRecursive(true);
      SortedMap<String, byte[]> files = new TreeMap<>();
      while (tree.next()) {
        files.put(tree.getPathString(), reader.open(tree.getObjectId(0)).getBytes());
      }
      return Optional.of(Collections.unmodifiableSortedMap(files));
    }
  }

  static List<Trailer> tipTrailers(Path workTree, String branch) throws IOException {
    try (Repository repository =
            new FileRepositoryBuilder()
                .setGitDir(workTree.resolve(Constants.DOT_GIT).toFile())
                .setMustExist(true)
                .build();
        RevWalk walk = new RevWalk(repository)) {
      ObjectId tip = repository.resolve(TRACKING + branch + "^{commit}");
      if (tip == null) {
        return List.of();
      }
      List<Trailer> trailers = new java.util.ArrayList<>();
      for (org.eclipse.jgit.revwalk.FooterLine line : walk.parseCommit(tip).getFooterLines()) {
        try {
          trailers.add(new Trailer(line.getKey(), line.getValue().trim()));
        } catch (IllegalArgumentException e) {
          // A footer a human wrote that is not a well-formed trailer: not ours, skip it.
        }
      }
      return List.copyOf(trailers);
    }
  }

  @Override
  public void close() {
    repository.close();
  }
}

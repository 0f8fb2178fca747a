package dev.convoy.git;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A work tree checked out at the head of the source branch, with the git facts a renderer needs as
 * plain data.
 *
 * @param workTree the checked-out files; exactly the source commit, untracked files removed
 * @param branch the source branch
 * @param commitId the full id of the source commit
 * @param commitTime the committer time of the source commit
 */
public record Checkout(Path workTree, String branch, String commitId, Instant commitTime) {
  public Checkout {
    Objects.requireNonNull(workTree, "workTree");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(commitId, "commitId");
    Objects.requireNonNull(commitTime, "commitTime");
  }

  /**
   * The files of another branch of the same remote as fetched with this checkout, e.g. the previous
   * content of a rendered-manifests branch. Empty when the branch does not exist on the remote.
   *
   * @throws IOException when the local repository cannot be read
   */
  public Optional<SortedMap<String, byte[]>> readBranch(String branch) throws IOException {
    return LocalRepo.readRemoteBranch(workTree, branch);
  }

  /**
   * The trailers of the tip commit of a branch of the remote as fetched with this checkout (this
   * checkout's own branch included); empty when the branch does not exist or has none. Lets a
   * caller see what the last Convoy commit recorded, e.g. a fingerprint of its inputs.
   *
   * @throws IOException when the local repository cannot be read
   */
  public List<Trailer> tipTrailers(String branch) throws IOException {
    return LocalRepo.tipTrailers(workTree, branch);
  }
}

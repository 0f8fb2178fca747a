package dev.convoy.git;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A commit Convoy made on one branch.
 *
 * @param branch the branch it was pushed to (or would be, in a dry run)
 * @param commitId its full id
 * @param parentId the previous tip of the branch; empty for the first commit of an orphan rendered
 *     branch
 * @param message the full commit message, trailers included
 * @param changes the changed paths, sorted by path, relative to the repository root
 */
public record PublishedCommit(
    String branch,
    String commitId,
    Optional<String> parentId,
    String message,
    List<PathChange> changes) {
  public PublishedCommit {
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(commitId, "commitId");
    Objects.requireNonNull(parentId, "parentId");
    Objects.requireNonNull(message, "message");
    changes = List.copyOf(changes);
  }

  /** One path a commit added, modified or deleted. */
  public record PathChange(Kind kind, String path) {
    public PathChange {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(path, "path");
    }

    /** How the path changed. */
    public enum Kind {
      ADDED,
      MODIFIED,
      DELETED
    }
  }
}

package dev.convoy.git;

/**
 * A revision (branch, tag, commit id or expression such as {@code HEAD~1}) does not name a commit
 * of the repository, or the folder is not inside a git repository at all.
 */
public final class RevisionNotFoundException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  RevisionNotFoundException(String message) {
    super(message);
  }

  RevisionNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}

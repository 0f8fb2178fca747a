package dev.convoy.git;

/**
 * The local work folder cannot be used: not a git repository, unreadable, locked by another
 * process, or out of disk. The folder belongs to Convoy; deleting it makes the next run clone
 * afresh.
 */
public final class WorkDirException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  WorkDirException(String message) {
    super(message);
  }

  WorkDirException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.convoy.git;

/**
 * Every push attempt lost a race with another writer (non-fast-forward or a ref that moved), and
 * the configured number of retries ran out. Nothing was forced and no one's commit was lost; the
 * next run starts again from the new remote head.
 */
public final class RetriesExhaustedException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  private final int attempts;

  RetriesExhaustedException(String message, int attempts) {
    super(message);
    this.attempts = attempts;
  }

  /** How many times Convoy rendered, committed and tried to push. */
  public int attempts() {
    return attempts;
  }
}

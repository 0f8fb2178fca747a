package dev.convoy.git;

/**
 * The server rejected the push for a reason other than a race (a hook, a protected branch,
 * permissions). Nothing was forced; retrying will not help.
 */
public final class PushRejectedException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  PushRejectedException(String message) {
    super(message);
  }

  PushRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}

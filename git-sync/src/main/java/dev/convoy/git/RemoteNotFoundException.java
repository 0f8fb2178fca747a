package dev.convoy.git;

/** The remote repository or the configured branch does not exist. */
public final class RemoteNotFoundException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  RemoteNotFoundException(String message) {
    super(message);
  }

  RemoteNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}

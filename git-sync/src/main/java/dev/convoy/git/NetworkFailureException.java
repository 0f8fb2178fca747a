package dev.convoy.git;

/**
 * The remote could not be reached or the connection broke (refused, unknown host, timeout, protocol
 * error).
 */
public final class NetworkFailureException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  NetworkFailureException(String message) {
    super(message);
  }

  NetworkFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}

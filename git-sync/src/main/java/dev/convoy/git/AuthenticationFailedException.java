package dev.convoy.git;

/**
 * The remote refused the credentials (HTTP 401/403, or every SSH key was refused), or asked for
 * credentials when none were given.
 */
public final class AuthenticationFailedException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  AuthenticationFailedException(String message) {
    super(message);
  }

  AuthenticationFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}

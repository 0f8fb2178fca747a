package dev.convoy.git;

/**
 * The SSH server's host key is not in the known hosts file, or differs from the key listed there.
 * Add the key to known_hosts (e.g. with {@code ssh-keyscan}) after checking its fingerprint.
 */
public final class UnknownHostKeyException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  UnknownHostKeyException(String message) {
    super(message);
  }

  UnknownHostKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}

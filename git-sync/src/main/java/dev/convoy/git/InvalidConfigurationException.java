package dev.convoy.git;

/**
 * The request itself is wrong: a bad URL, credentials that do not fit the transport, an output path
 * outside the tree, an unreadable secret file.
 */
public final class InvalidConfigurationException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  InvalidConfigurationException(String message) {
    super(message);
  }

  InvalidConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.convoy.git;

/**
 * A git-sync operation failed; nothing was pushed. One subclass per failure mode, so callers map
 * them to exit codes and hints without parsing messages. Messages name the remote by its URL
 * without user information and never contain a credential.
 */
public abstract sealed class GitSyncException extends Exception
    permits AuthenticationFailedException,
        UnknownHostKeyException,
        NetworkFailureException,
        RemoteNotFoundException,
        RevisionNotFoundException,
        PushRejectedException,
        RetriesExhaustedException,
        RenderFailedException,
        InvalidConfigurationException,
        WorkDirException,
        ForeignWorkDirException {
  private static final long serialVersionUID = 1L;

  GitSyncException(String message) {
    super(message);
  }

  GitSyncException(String message, Throwable cause) {
    super(message, cause);
  }
}

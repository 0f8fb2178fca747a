package dev.convoy.git;

import java.nio.file.Path;

/**
 * The work folder holds a repository of another remote (or one without a remote that has history):
 * most likely someone's checkout given as the work folder by mistake. Nothing in it was changed.
 * {@link RemoteCommand#setTakeOverWorkDir(boolean)} allows taking it over.
 */
public final class ForeignWorkDirException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  private final transient Path workDir;

  ForeignWorkDirException(String message, Path workDir) {
    super(message);
    this.workDir = workDir;
  }

  /** The folder that was refused. */
  public Path workDir() {
    return workDir;
  }
}

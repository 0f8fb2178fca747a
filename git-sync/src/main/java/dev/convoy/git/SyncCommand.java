package dev.convoy.git;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clones the config repo into the work folder, or fetches into an existing one, and checks out the
 * head of the source branch exactly (hard reset, untracked and ignored files removed). Create with
 * {@link GitSync#sync()}.
 */
public final class SyncCommand extends RemoteCommand<SyncCommand> {
  private static final Logger LOG = LoggerFactory.getLogger(SyncCommand.class);

  SyncCommand() {}

  /**
   * Runs the sync.
   *
   * @return the checked-out work tree and its source commit
   * @throws GitSyncException when the remote cannot be reached, refuses the credentials, does not
   *     have the branch, or the work folder cannot be used
   */
  public Checkout call() throws GitSyncException {
    checkCallable();
    try (RemoteAccess access = RemoteAccess.open(uri, credentials, timeout);
        LocalRepo local = LocalRepo.openOrInit(workDir, access, takeOverWorkDir)) {
      local.fetch(access);
      Checkout checkout = local.checkOut(branch, access);
      LOG.info("checked out {} {} from {}", branch, checkout.commitId(), access.uri());
      return checkout;
    }
  }
}

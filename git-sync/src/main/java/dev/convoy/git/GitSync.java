package dev.convoy.git;

/**
 * Entry point to the config repo's remote, in the style of JGit's {@code Git}: each method returns
 * a fresh single-use command.
 *
 * <pre>{@code
 * Checkout checkout = GitSync.sync()
 *     .setUri("https://git.example.com/platform/config.git")
 *     .setBranch("main")
 *     .setWorkDir(Path.of("/var/lib/convoy/work"))
 *     .setCredentials(Credentials.fromSecretDirectory(Path.of("/etc/convoy/git")))
 *     .call();
 *
 * PublishResult result = GitSync.publish()
 *     .setUri(...).setBranch("main").setWorkDir(...).setCredentials(...)
 *     .setAuthor(new Author("convoy", "convoy@example.invalid"))
 *     .setMessageTemplate("convoy: {summary}")
 *     .setRenderer(checkout -> new RenderedChange(outputs, "render 3 targets", trailers))
 *     .call();
 * }</pre>
 */
public final class GitSync {
  private GitSync() {}

  /** Clone or fetch, then check out the source branch. */
  public static SyncCommand sync() {
    return new SyncCommand();
  }

  /** Sync, render, commit and push, re-rendering when a push race is lost. */
  public static PublishCommand publish() {
    return new PublishCommand();
  }

  /**
   * Whether a push to a {@code file://} remote runs git's own {@code receive-pack} here (git is on
   * the {@code PATH}), leaving the remote exactly as {@code git push} would: its hooks run and its
   * automatic gc is git's. Without git, JGit receives such a push in-process and skips the hooks:
   * {@code file://} remotes are then for tests only.
   */
  public static boolean localPushRunsGit() {
    return LocalReceivePack.available();
  }

  /** Fetch every branch into memory, for read-only questions; no work folder. */
  public static ReadRemoteCommand readRemote() {
    return new ReadRemoteCommand();
  }
}

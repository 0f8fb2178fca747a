package dev.convoy.git;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Options shared by the commands that talk to the config repo's remote. Commands are single-use,
 * like JGit's {@code GitCommand}: set options, then {@code call()} once.
 *
 * @param <C> the concrete command, so setters chain
 */
public abstract sealed class RemoteCommand<C extends RemoteCommand<C>>
    permits SyncCommand, PublishCommand {
  String uri;
  String branch = "main";
  Path workDir;
  Credentials credentials = Credentials.none();
  Duration timeout = Duration.ofSeconds(60);
  boolean takeOverWorkDir;
  private boolean called;

  RemoteCommand() {}

  @SuppressWarnings("unchecked")
  private C self() {
    return (C) this;
  }

  /**
   * The remote: {@code file://}, a local path, {@code git://}, {@code http(s)://}, {@code ssh://}
   * or scp-like {@code user@host:path}. User information in an http(s) URL is used as credentials
   * when no others are set, and is never stored.
   */
  public C setUri(String uri) {
    this.uri = Objects.requireNonNull(uri, "uri");
    return self();
  }

  /** The source branch; {@code main} unless set. */
  public C setBranch(String branch) {
    this.branch = Objects.requireNonNull(branch, "branch");
    return self();
  }

  /**
   * The work folder: cloned into when missing or empty, fetched and reset when it holds an earlier
   * checkout. It belongs to Convoy: local changes in it are discarded.
   */
  public C setWorkDir(Path workDir) {
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    return self();
  }

  /**
   * Whether a work folder holding a repository of another remote (or one Convoy did not create) may
   * be taken over: its remote rewritten, its history reset and its untracked files deleted. Off by
   * default: such a folder fails with {@link ForeignWorkDirException}, because it is most likely
   * someone's checkout given as the work folder by mistake.
   */
  public C setTakeOverWorkDir(boolean takeOver) {
    this.takeOverWorkDir = takeOver;
    return self();
  }

  /** How to authenticate; {@link Credentials#none()} unless set. */
  public C setCredentials(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return self();
  }

  /** Network timeout of each connection; 60 s unless set. */
  public C setTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    return self();
  }

  /** Marks the command used and checks the required options. */
  void checkCallable() {
    if (called) {
      throw new IllegalStateException("a command can be called only once");
    }
    called = true;
    if (uri == null) {
      throw new IllegalStateException("setUri(...) is required");
    }
    if (workDir == null) {
      throw new IllegalStateException("setWorkDir(...) is required");
    }
  }
}

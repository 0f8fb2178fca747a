package dev.convoy.git;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.util.FS;

/**
 * Fetches every branch of a remote into a repository that lives in memory only, for read-only
 * questions about it ({@code convoy status --repo URL}): no work tree, no folder on disk, nothing
 * pushed. The remote's branches become the in-memory repository's {@code refs/heads/*}.
 *
 * <pre>{@code
 * try (CommitReader remote = GitSync.readRemote().setUri(url).setCredentials(c).call()) {
 *   Commit main = remote.resolve("main");
 * }
 * }</pre>
 */
public final class ReadRemoteCommand {
  private String uri;
  private Credentials credentials = Credentials.none();
  private Duration timeout = Duration.ofSeconds(60);
  private boolean called;

  ReadRemoteCommand() {}

  /** The remote, in any form {@link RemoteCommand#setUri} accepts. */
  public ReadRemoteCommand setUri(String uri) {
    this.uri = Objects.requireNonNull(uri, "uri");
    return this;
  }

  /** How to authenticate; {@link Credentials#none()} unless set. */
  public ReadRemoteCommand setCredentials(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /** Network timeout of the connection; 60 s unless set. */
  public ReadRemoteCommand setTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * Fetches and returns a reader over the in-memory copy; closing the reader frees it.
   *
   * @throws InvalidConfigurationException for a malformed URL or credentials of another transport
   * @throws GitSyncException for the transport failures {@link PublishCommand} reports too
   */
  public CommitReader call() throws GitSyncException {
    if (called) {
      throw new IllegalStateException("a command can be called only once");
    }
    called = true;
    if (uri == null) {
      throw new IllegalStateException("setUri(...) is required");
    }
    InMemoryRepository repository;
    try {
      // With a file system: JGit's local transport (a path or file://) resolves the remote
      // through the fetching repository's, and an in-memory one has none by default.
      repository =
          new InMemoryRepository.Builder()
              .setRepositoryDescription(new DfsRepositoryDescription("convoy-remote"))
              .setFS(FS.DETECTED)
              .build();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // in memory: nothing to fail on
    }
    try (RemoteAccess access = RemoteAccess.open(uri, credentials, timeout)) {
      try (Transport transport = Transport.open(repository, access.uri())) {
        access.configure(transport);
        transport.setTagOpt(TagOpt.NO_TAGS);
        transport.fetch(
            NullProgressMonitor.INSTANCE, List.of(new RefSpec("+refs/heads/*:refs/heads/*")));
      } catch (IOException e) {
        throw access.classify("fetch", e);
      }
    } catch (GitSyncException | RuntimeException e) {
      repository.close();
      throw e;
    }
    return CommitReader.of(repository, true);
  }
}

package dev.convoy.git;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes to a {@code file://} remote through the real {@code git receive-pack}, so the remote ends
 * up exactly as {@code git push} leaves it: its hooks run, and its automatic gc is git's own.
 *
 * <p>JGit otherwise receives the pack in-process: no hooks run, and its {@code ReceivePack} starts
 * JGit's automatic gc on a background thread after a large push, which dies half-way when the
 * process exits and leaves locks such as {@code refs/heads/main.lock} in the remote (every later
 * {@code git push} then fails with "cannot lock ref").
 */
final class LocalReceivePack {
  private static final Logger LOG = LoggerFactory.getLogger(LocalReceivePack.class);
  private static final Optional<Path> GIT = find("git");

  private LocalReceivePack() {}

  /** Whether pushes to {@code file://} remotes run git's own receive-pack here. */
  static boolean available() {
    return GIT.isPresent();
  }

  /** Makes a local transport spawn git's receive-pack; other transports are left alone. */
  static void use(Transport transport, RemoteAccess access) {
    if (access.scheme() != RemoteAccess.Scheme.FILE) {
      return;
    }
    if (GIT.isEmpty()) {
      LOG.warn(
          "git is not installed: pushing to {} in-process, without the remote's hooks",
          access.uri());
      return;
    }
    // Anything but the literal "git-receive-pack"/"git receive-pack" makes JGit fork the command
    // (through sh -c) instead of serving the push itself.
    transport.setOptionReceivePack(
        "'" + GIT.get().toString().replace("'", "'\\''") + "' receive-pack");
  }

  private static Optional<Path> find(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}

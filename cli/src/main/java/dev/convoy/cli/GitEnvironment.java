package dev.convoy.cli;

import java.io.File;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Makes JGit independent of the machine it runs on, before the first git operation:
 *
 * <ul>
 *   <li>no synchronous file-timestamp probe (JGit spends about 3 s per file store on it in every
 *       fresh container);
 *   <li>no user, system or JGit config files: a CronJob may run with a read-only or missing home
 *       and without {@code XDG_CONFIG_HOME}, and a laptop's {@code ~/.gitconfig} (signing, {@code
 *       url.insteadOf}, hooks) must not change what reconcile commits or where it pushes.
 * </ul>
 */
final class GitEnvironment {
  private static boolean isolated;

  private GitEnvironment() {}

  /** Idempotent; JGit's settings are global to the JVM. */
  static synchronized void isolate() {
    if (isolated) {
      return;
    }
    FS.FileStoreAttributes.setBackground(true);
    SystemReader.setInstance(new WithoutConfigFiles(SystemReader.getInstance()));
    isolated = true;
  }

  /** The platform's system reader, with empty in-memory configs instead of config files. */
  private static final class WithoutConfigFiles extends SystemReader.Delegate {
    WithoutConfigFiles(SystemReader delegate) {
      super(delegate);
    }

    @Override
    public FileBasedConfig openUserConfig(Config parent, FS fs) {
      return new EmptyConfig(parent, fs);
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
      return new EmptyConfig(parent, fs);
    }

    @Override
    public FileBasedConfig openJGitConfig(Config parent, FS fs) {
      return new EmptyConfig(parent, fs);
    }
  }

  /** A config that is never read from or written to disk. */
  private static final class EmptyConfig extends FileBasedConfig {
    EmptyConfig(Config parent, FS fs) {
      super(parent, (File) null, fs);
    }

    @Override
    public void load() {
      // nothing to read: see the class comment
    }

    @Override
    public void save() {
      // JGit caches file-store attributes here; keeping them in memory is enough for one run
    }

    @Override
    public boolean isOutdated() {
      return false;
    }
  }
}

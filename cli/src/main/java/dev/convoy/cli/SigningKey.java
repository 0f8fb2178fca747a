package dev.convoy.cli;

import dev.convoy.engine.model.CommitSigning;
import dev.convoy.engine.model.CommitSigning.SecretReference;
import dev.convoy.git.CommitSigner;
import dev.convoy.git.InvalidConfigurationException;
import dev.convoy.git.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The key {@code commit.sign} of {@code convoy.yaml} names, found where the operator keeps secrets:
 * a file in {@code --signing-key-dir} (a mounted Kubernetes Secret) or an environment variable. The
 * repo chooses which secret, never where from: a file name that leads out of the folder, also by a
 * symbolic link, is refused.
 *
 * <p>JGit's SSH signer reads keys from files only: an SSH key from a variable is copied for the run
 * into a folder only the user can read, beside the work folder, and deleted by {@link #close}.
 */
final class SigningKey implements AutoCloseable {
  private final CommitSigner signer;
  private final Path copy;

  private SigningKey(CommitSigner signer, Path copy) {
    this.signer = signer;
    this.copy = copy;
  }

  /** The key is missing, unreadable, outside the folder or unusable: exit 2, nothing pushed. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /**
   * Resolves and tests the key; without {@code commit.sign}, a key that signs nothing.
   *
   * @param keyDir {@code --signing-key-dir}, or null
   * @param scratch a writable folder for the copy of an SSH key from a variable
   */
  static SigningKey open(
      Optional<CommitSigning> sign, Path keyDir, Map<String, String> environment, Path scratch)
      throws Invalid {
    if (sign.isEmpty()) {
      return new SigningKey(null, null);
    }
    CommitSigning s = sign.get();
    Optional<Secret> passphrase =
        s.passphrase().isPresent()
            ? Optional.of(secret(s.passphrase().get(), "passphrase", keyDir, environment))
            : Optional.empty();
    String what = describe(s.key(), "key");
    try {
      switch (s.format()) {
        case OPENPGP -> {
          Secret key = secret(s.key(), "key", keyDir, environment);
          return new SigningKey(CommitSigner.openPgp(key, passphrase, what), null);
        }
        case SSH -> {
          if (s.key() instanceof SecretReference.File file) {
            return new SigningKey(
                CommitSigner.ssh(inside(keyDir, file.name(), "key"), passphrase), null);
          }
          Secret key = secret(s.key(), "key", keyDir, environment);
          Path copy = copy(key, scratch);
          try {
            return new SigningKey(CommitSigner.ssh(copy.resolve("key"), passphrase), copy);
          } catch (InvalidConfigurationException | RuntimeException e) {
            delete(copy);
            throw e;
          }
        }
        default -> throw new IllegalStateException("unknown format " + s.format());
      }
    } catch (InvalidConfigurationException e) {
      throw new Invalid("commit.sign: " + e.getMessage());
    }
  }

  /** The signer for {@code PublishCommand}, or null when commits are not signed. */
  CommitSigner signer() {
    return signer;
  }

  @Override
  public void close() {
    if (copy != null) {
      delete(copy);
    }
  }

  private static Secret secret(
      SecretReference ref, String what, Path keyDir, Map<String, String> environment)
      throws Invalid {
    try {
      if (ref instanceof SecretReference.Environment env) {
        return Secret.fromEnvironment(environment, env.variable());
      }
      return Secret.fromFile(inside(keyDir, ((SecretReference.File) ref).name(), what));
    } catch (InvalidConfigurationException e) {
      throw new Invalid("commit.sign." + what + ": " + e.getMessage());
    }
  }

  /** {@code keyDir/name}, after checking that it exists and does not lead out of the folder. */
  private static Path inside(Path keyDir, String name, String what) throws Invalid {
    if (keyDir == null) {
      throw new Invalid(
          "commit.sign."
              + what
              + ".file '"
              + name
              + "' needs reconcile --signing-key-dir DIR (the folder with the signing secrets)");
    }
    try {
      Path folder = keyDir.toRealPath();
      Path file = folder.resolve(name).normalize();
      if (!file.startsWith(folder)) {
        throw new Invalid("commit.sign." + what + ".file '" + name + "' is outside " + keyDir);
      }
      // Kubernetes secret volumes are symbolic links into ..data/: fine while they stay inside.
      Path real = file.toRealPath();
      if (!real.startsWith(folder)) {
        throw new Invalid(
            "commit.sign." + what + ".file '" + name + "' links outside " + keyDir + ": refused");
      }
      return real;
    } catch (NoSuchFileException e) {
      throw new Invalid("commit.sign." + what + ".file '" + name + "' not found in " + keyDir);
    } catch (IOException e) {
      throw new Invalid(
          "commit.sign." + what + ".file '" + name + "' cannot be read: " + e.getMessage());
    }
  }

  private static String describe(SecretReference ref, String what) {
    return ref instanceof SecretReference.Environment env
        ? "commit.sign." + what + " (environment variable " + env.variable() + ")"
        : "commit.sign." + what + " (file " + ((SecretReference.File) ref).name() + ")";
  }

  private static Path copy(Secret key, Path scratch) throws Invalid {
    Path dir = null;
    try {
      Files.createDirectories(scratch);
      dir =
          Files.createTempDirectory(
              scratch,
              ".convoy-signing-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      // A run stopped by SIGTERM still removes it (in reverse order: the file, then the folder).
      dir.toFile().deleteOnExit();
      Path file =
          Files.createFile(
              dir.resolve("key"),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      file.toFile().deleteOnExit();
      String text = key.reveal();
      Files.writeString(file, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
      return dir;
    } catch (IOException | UnsupportedOperationException e) {
      if (dir != null) {
        delete(dir);
      }
      throw new Invalid(
          "commit.sign.key: cannot keep the SSH key for the run in " + scratch + ": " + e);
    }
  }

  private static void delete(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve("key"));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Best effort: the folder is private to the user, and the next run makes its own.
    }
  }
}

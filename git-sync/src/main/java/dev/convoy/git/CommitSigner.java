package dev.convoy.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgConfig.GpgFormat;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.lib.Signers;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;

/**
 * Signs the commits {@link PublishCommand} makes, for branches that accept signed commits only
 * ({@code git verify-commit} passes on them). Create one per run with {@link #ssh} or {@link
 * #openPgp}: both read the key and make a test signature at once, so a missing, unreadable or wrong
 * key fails before anything is cloned, committed or pushed.
 *
 * <p>SSH signatures come from JGit's own SSH signer ({@code org.eclipse.jgit.ssh.apache}); OpenPGP
 * signatures from {@link OpenPgpKeySigner}, because JGit's OpenPGP signer reads keys only from the
 * GnuPG home folder of the JVM. Neither reads git config, an agent or {@code ~/.ssh}.
 */
public final class CommitSigner {
  private final GpgFormat format;
  private final Signer signer;
  private final String signingKey;
  private final CredentialsProvider passphrase;
  private final String description;
  private final GpgConfig config;

  private CommitSigner(
      GpgFormat format,
      Signer signer,
      String signingKey,
      CredentialsProvider passphrase,
      String description) {
    this.format = format;
    this.signer = signer;
    this.signingKey = signingKey;
    this.passphrase = passphrase;
    this.description = description;
    Config gitConfig = new Config();
    gitConfig.setString("gpg", null, "format", format.toConfigValue());
    this.config = new GpgConfig(gitConfig);
  }

  /**
   * SSH signatures ({@code gpg.format=ssh}) with an OpenSSH private key file; RSA, ECDSA and
   * Ed25519 keys work, DSA keys do not.
   *
   * @param privateKey the private key file
   * @param passphrase the key's passphrase, when it is encrypted
   * @throws InvalidConfigurationException when the file is missing or not a usable private key, or
   *     the passphrase is missing or wrong
   */
  public static CommitSigner ssh(Path privateKey, Optional<Secret> passphrase)
      throws InvalidConfigurationException {
    Objects.requireNonNull(privateKey, "privateKey");
    if (!Files.isRegularFile(privateKey) || !Files.isReadable(privateKey)) {
      throw new InvalidConfigurationException(
          "SSH signing key " + privateKey + " is not a readable file");
    }
    Signer signer = Signers.get(GpgFormat.SSH);
    if (signer == null) {
      throw new IllegalStateException("JGit's SSH signer is missing from the class path");
    }
    CommitSigner probe =
        new CommitSigner(
            GpgFormat.SSH,
            signer,
            privateKey.toAbsolutePath().toString(),
            passphrase.map(Passphrase::new).orElse(null),
            "SSH key " + privateKey.getFileName());
    GpgSignature signature = probe.probe("SSH signing key " + privateKey);
    return new CommitSigner(
        GpgFormat.SSH,
        signer,
        probe.signingKey,
        probe.passphrase,
        "SSH key " + sshFingerprint(signature));
  }

  /**
   * OpenPGP signatures ({@code gpg.format=openpgp}) with an armored secret key, as {@code gpg
   * --armor --export-secret-keys KEY-ID} writes it. The newest valid signing (sub)key signs.
   *
   * @param armoredKey the key
   * @param passphrase its passphrase, when it is protected by one
   * @param what how messages name the key: a file or variable name
   * @throws InvalidConfigurationException when it is no OpenPGP secret key, none of its keys may
   *     sign, or the passphrase is missing or wrong
   */
  public static CommitSigner openPgp(Secret armoredKey, Optional<Secret> passphrase, String what)
      throws InvalidConfigurationException {
    OpenPgpKeySigner signer = OpenPgpKeySigner.of(armoredKey, passphrase, what);
    CommitSigner made =
        new CommitSigner(GpgFormat.OPENPGP, signer, null, null, signer.description());
    made.probe(what);
    return made;
  }

  /** {@code ssh} or {@code openpgp}, as git's {@code gpg.format}. */
  public String format() {
    return format.toConfigValue();
  }

  /**
   * The key, for logs: {@code SSH key SHA256:...} or {@code OpenPGP key FINGERPRINT user-id}. Put
   * the matching public key in the server's allowed signers or keyring.
   */
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }

  /** Signs a commit about to be inserted: sets its signature over everything else it holds. */
  void sign(Repository repository, CommitBuilder commit, PersonIdent committer)
      throws InvalidConfigurationException {
    try {
      signer.signObject(repository, config, commit, committer, signingKey, passphrase);
    } catch (IOException | RuntimeException | org.eclipse.jgit.api.errors.GitAPIException e) {
      throw new InvalidConfigurationException(
          "cannot sign the commit with " + description + ": " + e.getMessage(), e);
    }
  }

  /** A signature over a throw-away payload: proves the key, its passphrase and the format work. */
  private GpgSignature probe(String what) throws InvalidConfigurationException {
    PersonIdent probe =
        new PersonIdent("convoy", "convoy@example.invalid", Instant.now(), ZoneOffset.UTC);
    try {
      GpgSignature signature =
          signer.sign(
              null,
              config,
              "convoy signing probe\n".getBytes(StandardCharsets.UTF_8),
              probe,
              signingKey,
              passphrase);
      if (signature == null || signature.toExternalString().isEmpty()) {
        throw new InvalidConfigurationException("cannot sign with " + what + ": no signature");
      }
      return signature;
    } catch (IOException | RuntimeException | org.eclipse.jgit.api.errors.GitAPIException e) {
      throw new InvalidConfigurationException("cannot sign with " + what + ": " + reason(e), e);
    }
  }

  private static String reason(Throwable e) {
    StringBuilder reason = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !reason.toString().contains(c.getMessage())) {
        reason.append(": ").append(c.getMessage());
      }
    }
    return reason.toString();
  }

  /** {@code SHA256:...} of the public key inside an armored SSH signature (PROTOCOL.sshsig). */
  private static String sshFingerprint(GpgSignature signature) {
    String armored = signature.toExternalString();
    String body =
        armored
            .replace("-----BEGIN SSH SIGNATURE-----", "")
            .replace("-----END SSH SIGNATURE-----", "")
            .replaceAll("\\s", "");
    try {
      ByteArrayBuffer blob = new ByteArrayBuffer(Base64.getDecoder().decode(body));
      blob.getRawBytes(new byte[6]); // "SSHSIG"
      blob.getUInt(); // version
      return KeyUtils.getFingerPrint(blob.getPublicKey());
    } catch (Exception e) {
      return "(fingerprint unknown)";
    }
  }

  /** Answers the key's passphrase prompt; never interactive. */
  private static final class Passphrase extends CredentialsProvider {
    private final Secret secret;

    Passphrase(Secret secret) {
      this.secret = secret;
    }

    @Override
    public boolean isInteractive() {
      return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
      for (CredentialItem item : items) {
        if (!(item instanceof CredentialItem.Password
            || item instanceof CredentialItem.InformationalMessage)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) {
      for (CredentialItem item : items) {
        if (item instanceof CredentialItem.Password password) {
          password.setValue(secret.chars());
        }
      }
      return true;
    }
  }
}

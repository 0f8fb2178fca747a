package dev.convoy.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPKey.OpenPGPSecretKey;
import org.bouncycastle.openpgp.api.OpenPGPKeyReader;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * JGit's {@link Signer} for OpenPGP, over a key held in memory: an armored secret key as {@code gpg
 * --armor --export-secret-keys} writes it. BouncyCastle's OpenPGP API picks the signing key the way
 * GnuPG does (the newest valid key with the sign flag: not expired, not revoked) and unlocks it
 * once; the signature is the one {@code git commit -S} makes (a detached binary-document signature
 * with the issuer's fingerprint), so {@code git verify-commit} checks it.
 */
final class OpenPgpKeySigner implements Signer {
  private final PGPPrivateKey privateKey;
  private final PGPPublicKey publicKey;
  private final String description;

  private OpenPgpKeySigner(PGPPrivateKey privateKey, PGPPublicKey publicKey, String description) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.description = description;
  }

  /**
   * Reads and unlocks the key.
   *
   * @param what how messages name the key (a file or variable name, never its content)
   * @throws InvalidConfigurationException when it is no OpenPGP secret key, has no valid signing
   *     key, or the passphrase is missing or wrong; messages never quote the key
   */
  static OpenPgpKeySigner of(Secret armoredKey, Optional<Secret> passphrase, String what)
      throws InvalidConfigurationException {
    OpenPGPKey key;
    try {
      key = new OpenPGPKeyReader().parseKey(armoredKey.reveal());
    } catch (IOException | RuntimeException e) {
      // No cause: a parser's message may quote what it could not read, and that is a secret.
      throw new InvalidConfigurationException(
          what
              + " is not an OpenPGP secret key (export one with gpg --armor"
              + " --export-secret-keys KEY-ID)");
    }
    Date now = new Date();
    List<OpenPGPComponentKey> signing = key.getSigningKeys(now);
    OpenPGPSecretKey secret =
        signing.stream()
            .map(key::getSecretKey)
            .filter(s -> s != null && !s.getPGPSecretKey().isPrivateKeyEmpty())
            .max(Comparator.comparing(s -> s.getPGPSecretKey().getPublicKey().getCreationTime()))
            .orElseThrow(
                () ->
                    new InvalidConfigurationException(
                        what
                            + " (OpenPGP key "
                            + fingerprint(key.getFingerprint())
                            + ") has no secret key that may sign now: expired, revoked, without"
                            + " the sign flag, or exported without its secret part"));
    PGPPrivateKey unlocked;
    try {
      if (secret.isLocked()) {
        if (passphrase.isEmpty()) {
          throw new InvalidConfigurationException(
              what + " is protected by a passphrase: give commit.sign.passphrase");
        }
        char[] chars = passphrase.get().chars();
        if (!secret.isPassphraseCorrect(chars)) {
          throw new InvalidConfigurationException("wrong passphrase for " + what);
        }
        unlocked = secret.unlock(chars).getKeyPair().getPrivateKey();
      } else {
        unlocked = secret.unlock().getKeyPair().getPrivateKey();
      }
    } catch (PGPException e) {
      throw new InvalidConfigurationException("cannot unlock " + what + ": " + e.getMessage());
    }
    PGPPublicKey pub = secret.getPGPSecretKey().getPublicKey();
    String user = key.getPrimaryUserId() == null ? "" : " " + key.getPrimaryUserId().getUserId();
    return new OpenPgpKeySigner(
        unlocked, pub, "OpenPGP key " + fingerprint(pub.getFingerprint()) + user);
  }

  /** The key's fingerprint and primary user id, for logs. */
  String description() {
    return description;
  }

  @Override
  public GpgSignature sign(
      Repository repository,
      GpgConfig config,
      byte[] data,
      PersonIdent committer,
      String signingKey,
      CredentialsProvider credentialsProvider)
      throws IOException {
    try {
      PGPSignatureGenerator generator =
          new PGPSignatureGenerator(
              new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA512),
              publicKey);
      generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      // The commit's own time, not the clock: with EdDSA or RSA the same commit gets the same
      // signature, so two runs that render the same source still push the same commit id.
      hashed.setSignatureCreationTime(false, Date.from(committer.getWhenAsInstant()));
      hashed.setIssuerFingerprint(false, publicKey);
      generator.setHashedSubpackets(hashed.generate());
      PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
      unhashed.setIssuerKeyID(false, publicKey.getKeyID());
      generator.setUnhashedSubpackets(unhashed.generate());
      generator.update(data);
      ByteArrayOutputStream armored = new ByteArrayOutputStream();
      try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(armored);
          BCPGOutputStream out = new BCPGOutputStream(armor)) {
        generator.generate().encode(out);
      }
      return new GpgSignature(armored.toByteArray());
    } catch (PGPException e) {
      throw new IOException("OpenPGP signing failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean canLocateSigningKey(
      Repository repository,
      GpgConfig config,
      PersonIdent committer,
      String signingKey,
      CredentialsProvider credentialsProvider) {
    return true;
  }

  private static String fingerprint(byte[] bytes) {
    return HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT);
  }
}

package dev.convoy.engine.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code commit.sign} of {@code convoy.yaml}: reconcile signs its commits, for branches that only
 * accept signed commits. The key is named, never given: {@code convoy.yaml} lives in the repo, so
 * it says which secret to use, and the operator decides where secrets come from.
 *
 * @param format the signature format, as git's {@code gpg.format}
 * @param key the private key
 * @param passphrase the key's passphrase, when it is encrypted
 */
public record CommitSigning(
    Format format, SecretReference key, Optional<SecretReference> passphrase) {

  public CommitSigning {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(passphrase, "passphrase");
  }

  /** The signature formats git verifies ({@code git verify-commit}). */
  public enum Format {
    /** An SSH signature ({@code gpg.format=ssh}), made with an OpenSSH private key. */
    SSH,
    /** An OpenPGP signature ({@code gpg.format=openpgp}), made with an armored secret key. */
    OPENPGP;

    /** The name in {@code convoy.yaml}: {@code ssh} or {@code openpgp}. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where a secret is read from. */
  public sealed interface SecretReference {
    /**
     * A file in the signing-key folder the operator gives reconcile (a mounted Kubernetes Secret);
     * a relative path that stays inside it.
     */
    record File(String name) implements SecretReference {}

    /** An environment variable (a Secret exposed with {@code secretKeyRef}). */
    record Environment(String variable) implements SecretReference {}
  }
}

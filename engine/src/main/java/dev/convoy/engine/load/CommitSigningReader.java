package dev.convoy.engine.load;

import dev.convoy.engine.model.CommitSigning;
import dev.convoy.engine.model.CommitSigning.Format;
import dev.convoy.engine.model.CommitSigning.SecretReference;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code commit.sign} of {@code convoy.yaml}:
 *
 * <pre>
 * sign:
 *   format: ssh                 # or openpgp
 *   key: {file: convoy-bot}     # in reconcile's --signing-key-dir; or {env: NAME}
 *   passphrase: {env: NAME}     # optional, for an encrypted key; or {file: NAME}
 * </pre>
 *
 * A file name must stay inside the operator's folder: the repo picks a secret, it cannot point
 * reconcile at any file of the machine.
 */
final class CommitSigningReader {
  private static final Set<String> SIGN = Set.of("format", "key", "passphrase");
  private static final Set<String> REFERENCE = Set.of("file", "env");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private CommitSigningReader() {}

  /** The signing settings under {@code commit}, or empty when there is no {@code sign}. */
  static Optional<CommitSigning> read(SchemaReader r, Map<String, Object> commit) {
    Map<String, Object> sign = r.map(commit, "commit", "sign", false);
    if (sign == null) {
      return Optional.empty();
    }
    r.rejectUnknown(sign, "commit.sign", SIGN);
    String formatText = r.string(sign, "commit.sign", "format", true);
    Format format = null;
    if (formatText != null) {
      for (Format f : Format.values()) {
        if (f.yamlName().equals(formatText)) {
          format = f;
        }
      }
      if (format == null) {
        r.error("commit.sign.format", "must be ssh or openpgp, found '" + formatText + "'");
      }
    }
    SecretReference key = reference(r, sign, "key", true);
    SecretReference passphrase = reference(r, sign, "passphrase", false);
    if (format == null || key == null) {
      return Optional.empty(); // the errors above fail the parse
    }
    return Optional.of(new CommitSigning(format, key, Optional.ofNullable(passphrase)));
  }

  private static SecretReference reference(
      SchemaReader r, Map<String, Object> sign, String key, boolean required) {
    String path = "commit.sign." + key;
    Map<String, Object> ref = r.map(sign, "commit.sign", key, required);
    if (ref == null) {
      return null;
    }
    r.rejectUnknown(ref, path, REFERENCE);
    String file = r.string(ref, path, "file", false);
    String env = r.string(ref, path, "env", false);
    if ((file == null) == (env == null)) {
      r.error(path, "give exactly one of file (in reconcile's --signing-key-dir) or env");
      return null;
    }
    if (file != null) {
      if (!insideFolder(file)) {
        r.error(
            path + ".file",
            "must be a relative path inside the signing-key folder, found '" + file + "'");
        return null;
      }
      return new SecretReference.File(file);
    }
    if (!VARIABLE.matcher(env).matches()) {
      r.error(path + ".env", "'" + env + "' is not an environment variable name");
      return null;
    }
    return new SecretReference.Environment(env);
  }

  private static boolean insideFolder(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0) {
      return false;
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }
}

package dev.convoy.git;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A git commit trailer ({@code Key: value}, as {@code git interpret-trailers} reads them).
 *
 * @param key a token such as {@code Convoy-Policy}
 * @param value one line
 */
public record Trailer(String key, String value) {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

  /** The trailer naming the source commit a rendered commit was made from. */
  public static final String SOURCE_COMMIT = "Convoy-Source-Commit";

  /** The trailer naming a policy revision that shaped the output. */
  public static final String POLICY = "Convoy-Policy";

  public Trailer {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("trailer key must be a token: " + key);
    }
    if (value.isBlank() || value.contains("\n") || value.contains("\r")) {
      throw new IllegalArgumentException("trailer " + key + " needs a one-line value");
    }
  }

  /** {@code Convoy-Policy: <name>@<revision>}. */
  public static Trailer policy(String name, String revision) {
    return new Trailer(POLICY, name + "@" + revision);
  }

  /** {@code Key: value}. */
  @Override
  public String toString() {
    return key + ": " + value;
  }
}

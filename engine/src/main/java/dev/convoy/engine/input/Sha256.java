package dev.convoy.engine.input;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as Convoy uses it: content hashes of files, policies and inputs, printed as lower-case
 * hex. One place, so every hash of the same bytes is written the same way.
 */
public final class Sha256 {
  private Sha256() {}

  /** A fresh digest; SHA-256 is part of every JDK, so there is no checked exception to handle. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The hex SHA-256 of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** The hex SHA-256 of {@code text} as UTF-8. */
  public static String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The hex SHA-256 of several parts, each followed by a zero byte so that no two lists agree. */
  public static String hexOfParts(Iterable<byte[]> parts) {
    MessageDigest digest = digest();
    for (byte[] part : parts) {
      digest.update(part);
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}

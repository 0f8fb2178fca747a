package dev.convoy.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A password or token. Deliberately not a record and not a {@code CharSequence}: its {@link
 * #toString()} never shows the value, so a secret that ends up in a log line, an exception message
 * or a record's {@code toString()} prints as {@code ***}.
 */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  /** Wraps a value given in code or on the command line. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(value.toCharArray());
  }

  /**
   * Reads a secret from the environment variable {@code name}.
   *
   * @throws InvalidConfigurationException when the variable is unset or empty (the message names
   *     the variable, never a value)
   */
  public static Secret fromEnvironment(Map<String, String> environment, String name)
      throws InvalidConfigurationException {
    String value = environment.get(name);
    if (value == null || value.isEmpty()) {
      throw new InvalidConfigurationException(
          "environment variable " + name + " is not set or empty");
    }
    return of(value);
  }

  /**
   * Reads a secret from a file, such as a key of a Kubernetes secret volume. One trailing line
   * break is dropped, because {@code echo token > file} and most editors add one.
   *
   * @throws InvalidConfigurationException when the file cannot be read or is empty
   */
  public static Secret fromFile(Path file) throws InvalidConfigurationException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidConfigurationException("cannot read secret file " + file, e);
    }
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isEmpty()) {
      throw new InvalidConfigurationException("secret file " + file + " is empty");
    }
    return of(text);
  }

  /** The value, for handing to JGit. Callers must not log or store it. */
  public String reveal() {
    return new String(value);
  }

  char[] chars() {
    return value.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "***";
  }
}

package dev.convoy.cli;

import dev.convoy.git.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every value this run knows to be secret, and its masking as {@value #MASK} in everything Convoy
 * prints or writes: output and errors (through {@link #wrap(PrintWriter)}), commit messages and
 * trailers ({@link #redact(String)}), and a check that no rendered file carries one ({@link
 * #originIn(byte[])}).
 *
 * <p>Known secrets: the git credentials in use (token, password, every line of an SSH private key),
 * a password in the remote URL, and the values of environment variables whose names say they are
 * secret ({@code CONVOY_GIT_TOKEN}, {@code CONVOY_GIT_PASSWORD}, and any name with a part {@code
 * TOKEN}, {@code PASSWORD}, {@code SECRET}, {@code PRIVATE_KEY}, {@code API_KEY} or {@code
 * CREDENTIALS}). Values shorter than {@value #MIN_LENGTH} characters are not masked: they would
 * match everywhere.
 */
final class Redactor {
  static final String MASK = "***";
  static final int MIN_LENGTH = 4;

  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i)(^|.*_)(TOKEN|PASSWORD|PASSWD|SECRET|PRIVATE_?KEY|API_?KEY|CREDENTIALS?)(_.*|$)");

  /** Value to where it came from, e.g. {@code environment variable CONVOY_GIT_PASSWORD}. */
  private final Map<String, String> secrets = new ConcurrentHashMap<>();

  /** Longest first, so a secret containing another is masked whole. */
  private volatile List<String> ordered = List.of();

  /**
   * Adds a secret value (each of its lines too, for keys); {@code origin} says where it is from.
   */
  void add(String value, String origin) {
    if (value == null) {
      return;
    }
    boolean added = put(value.strip(), origin);
    if (value.contains("\n")) {
      for (String line : value.split("\\R")) {
        added |= put(line.strip(), origin);
      }
    }
    if (added) {
      List<String> all = new ArrayList<>(secrets.keySet());
      all.sort(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));
      ordered = List.copyOf(all);
    }
  }

  private boolean put(String value, String origin) {
    // The armour lines of a PEM key are not secret, and would mask every key's first line.
    if (value.length() < MIN_LENGTH || value.startsWith("-----")) {
      return false;
    }
    return secrets.putIfAbsent(value, origin) == null;
  }

  /** The values of environment variables whose names say they hold a secret. */
  void addEnvironment(Map<String, String> environment) {
    environment.forEach(
        (name, value) -> {
          if (SECRET_NAME.matcher(name).matches()) {
            add(value, "environment variable " + name);
          }
        });
  }

  /** The secrets of the git credentials in use: a password or token, or an SSH private key. */
  void addCredentials(Credentials credentials) {
    if (credentials instanceof Credentials.UsernamePassword up) {
      add(up.password().reveal(), "the git password or token");
    } else if (credentials instanceof Credentials.SshKey key) {
      try {
        add(Files.readString(key.privateKey(), StandardCharsets.UTF_8), "the SSH private key");
      } catch (IOException e) {
        // unreadable: the git connection reports it; nothing of it can be printed either
      }
    }
  }

  /** The password of a URL's user information, as in {@code https://user:token@host/repo}. */
  void addUrl(String url) {
    try {
      String userInfo = new URI(url).getRawUserInfo();
      if (userInfo != null && userInfo.contains(":")) {
        String password = userInfo.substring(userInfo.indexOf(':') + 1);
        add(password, "the password in the remote URL");
        add(java.net.URLDecoder.decode(password, StandardCharsets.UTF_8), "the remote URL");
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      // not a URI (scp-like ssh): no password in it
    }
  }

  /** The text with every known secret replaced by {@value #MASK}. */
  String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : ordered) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  /** Where the first known secret found in {@code bytes} came from, if one is there. */
  Optional<String> originIn(byte[] bytes) {
    for (String secret : ordered) {
      if (indexOf(bytes, secret.getBytes(StandardCharsets.UTF_8)) >= 0) {
        return Optional.of(secrets.get(secret));
      }
    }
    return Optional.empty();
  }

  boolean isEmpty() {
    return secrets.isEmpty();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      if (haystack[i] != needle[0]) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A writer that masks secrets in whole lines before they reach {@code target}. */
  PrintWriter wrap(PrintWriter target) {
    return new PrintWriter(new LineWriter(target), true);
  }

  /** A byte stream that masks secrets in whole lines (for System.out and System.err). */
  OutputStream wrap(OutputStream target) {
    return new LineStream(target);
  }

  /**
   * Buffers up to a line break (or a flush), so a secret printed in pieces is still masked whole.
   */
  private final class LineWriter extends Writer {
    private final PrintWriter target;
    private final StringBuilder line = new StringBuilder();

    LineWriter(PrintWriter target) {
      this.target = target;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        line.append(chars[i]);
        if (chars[i] == '\n') {
          target.write(redact(line.toString()));
          line.setLength(0);
        }
      }
    }

    @Override
    public synchronized void flush() {
      if (line.length() > 0) {
        target.write(redact(line.toString()));
        line.setLength(0);
      }
      target.flush();
    }

    @Override
    public synchronized void close() {
      flush();
      target.close();
    }
  }

  private final class LineStream extends OutputStream {
    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineStream(OutputStream target) {
      this.target = target;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      line.write(b);
      if (b == '\n') {
        emit();
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
      for (int i = offset; i < offset + length; i++) {
        write(bytes[i]);
      }
    }

    private void emit() throws IOException {
      if (line.size() > 0) {
        target.write(
            redact(line.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        line.reset();
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      emit();
      target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      flush();
      target.close();
    }
  }
}

package dev.convoy.cli;

import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Convoy's stderr: every diagnostic a command prints goes through it, one line at a time.
 *
 * <ul>
 *   <li>{@code text} (the default) prints lines as they are;
 *   <li>{@code json} writes one JSON object per line: {@code time}, {@code level}, {@code message},
 *       and {@code target}, {@code workload}, {@code policy}, {@code code}, {@code file}, {@code
 *       line} where they apply. Lines that continue an event (indented source lines under an error)
 *       join its message;
 *   <li>{@code --quiet} keeps errors and the hints that follow them only.
 * </ul>
 *
 * <p>Commands keep printing plain lines ({@code error: ...}, {@code warning: ...}); the level is
 * the prefix they already use. Structured events ({@link #violation}, {@link #timing}, {@link
 * #progress}) carry their fields in JSON mode and print the usual text otherwise.
 */
final class LogWriter extends PrintWriter {
  /** How diagnostics are written. */
  enum Format {
    text,
    json
  }

  enum Level {
    error,
    warning,
    info
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Format format;
  private final boolean quiet;
  private final boolean progress;
  private final Clock clock;
  private final long started = System.nanoTime();
  private final PrintWriter target;
  private final StringBuilder partial = new StringBuilder();
  private Event pending;
  private boolean lastWasError;

  private LogWriter(
      PrintWriter target, Format format, boolean quiet, boolean progress, Clock clock) {
    super(
        new Writer() {
          @Override
          public void write(char[] buf, int off, int len) {}

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    this.target = target;
    this.format = format;
    this.quiet = quiet;
    this.progress = progress;
    this.clock = clock;
  }

  /**
   * Wraps a command line's stderr. Progress lines are shown only in text mode, without {@code
   * --quiet}, when stderr is a terminal.
   */
  static LogWriter of(PrintWriter err, Format format, boolean quiet, Map<String, String> env) {
    boolean progress = format == Format.text && !quiet && stderrIsTerminal(env);
    return new LogWriter(err, format, quiet, progress, Clock.systemUTC());
  }

  /** For tests: a fixed clock and an explicit progress switch. */
  static LogWriter of(
      PrintWriter err, Format format, boolean quiet, boolean progress, Clock clock) {
    return new LogWriter(err, format, quiet, progress, clock);
  }

  boolean json() {
    return format == Format.json;
  }

  // Every print/println of PrintWriter ends up in one of these.

  @Override
  public void write(int c) {
    synchronized (lock) {
      append(String.valueOf((char) c));
    }
  }

  @Override
  public void write(char[] buf, int off, int len) {
    synchronized (lock) {
      append(new String(buf, off, len));
    }
  }

  @Override
  public void write(String s, int off, int len) {
    synchronized (lock) {
      append(s.substring(off, off + len));
    }
  }

  @Override
  public void println() {
    write('\n');
  }

  @Override
  public void flush() {
    synchronized (lock) {
      if (!partial.isEmpty()) {
        line(partial.toString());
        partial.setLength(0);
      }
      emitPending();
      target.flush();
    }
  }

  @Override
  public void close() {
    flush();
  }

  private void append(String s) {
    int from = 0;
    for (int nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
      partial.append(s, from, nl);
      line(partial.toString());
      partial.setLength(0);
      from = nl + 1;
    }
    partial.append(s, from, s.length());
  }

  /** One complete line a command printed. */
  private void line(String text) {
    if (format == Format.text) {
      Level level = levelOf(text);
      if (!text.isEmpty() && Character.isWhitespace(text.charAt(0))) {
        level = lastWasError ? Level.error : Level.info;
      } else {
        lastWasError = level == Level.error || (lastWasError && text.startsWith("hint: "));
      }
      if (shown(level, text)) {
        target.println(text);
      }
      return;
    }
    if (pending != null && !text.isEmpty() && Character.isWhitespace(text.charAt(0))) {
      pending.message.append('\n').append(text);
      return;
    }
    emitPending();
    if (text.isBlank()) {
      return;
    }
    Level level = levelOf(text);
    String message = text;
    for (Level l : Level.values()) {
      String prefix = l == Level.info ? "hint: " : l.name() + ": ";
      if (text.startsWith(prefix)) {
        message = text.substring(prefix.length());
      }
    }
    Event e = new Event(level, message);
    if (text.startsWith("hint: ")) {
      e.fields.put("hint", "true");
    }
    pending = e;
  }

  private static Level levelOf(String text) {
    if (text.startsWith("error: ") || text.startsWith("error[")) {
      return Level.error;
    }
    if (text.startsWith("warning: ")) {
      return Level.warning;
    }
    return Level.info;
  }

  private boolean shown(Level level, String text) {
    return !quiet || level == Level.error || (lastWasError && text.startsWith("hint: "));
  }

  private void emitPending() {
    Event e = pending;
    pending = null;
    if (e == null) {
      return;
    }
    boolean hint = e.fields.containsKey("hint");
    if (quiet && e.level != Level.error && !(hint && lastWasError)) {
      lastWasError = false;
      return;
    }
    lastWasError = e.level == Level.error || (hint && lastWasError);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("time", DateTimeFormatter.ISO_INSTANT.format(e.time.truncatedTo(ChronoUnit.MILLIS)));
    object.put("level", e.level.name());
    object.put("message", e.message.toString());
    e.fields.forEach(
        (k, v) -> {
          if (!k.equals("hint")) {
            object.put(k, v);
          }
        });
    target.println(JSON.writeValueAsString(object));
  }

  /** A structured event: its text line, and in JSON mode its fields. */
  private void event(Level level, String text, String message, Map<String, Object> fields) {
    synchronized (lock) {
      if (format == Format.text) {
        line(text);
        return;
      }
      if (!partial.isEmpty()) {
        line(partial.toString());
        partial.setLength(0);
      }
      emitPending();
      Event e = new Event(level, message);
      fields.forEach(
          (k, v) -> {
            if (v != null) {
              e.fields.put(k, v);
            }
          });
      pending = e;
    }
  }

  /** Prints a violation: its usual line, or an event with code, target, workload, policy, file. */
  static void violation(PrintWriter err, Violation v) {
    if (!(err instanceof LogWriter log)) {
      err.println(v.describe());
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("code", v.code());
    if (v.workload() != null) {
      int slash = v.workload().indexOf('/');
      fields.put("target", slash > 0 ? v.workload().substring(0, slash) : null);
      fields.put("workload", slash > 0 ? v.workload().substring(slash + 1) : v.workload());
    }
    fields.put("policy", v.policy());
    fields.put("file", v.file());
    fields.put("line", v.line() > 0 ? v.line() : null);
    log.event(
        v.severity() == Severity.ERROR ? Level.error : Level.warning,
        v.describe(),
        v.message(),
        fields);
  }

  /** A phase's duration ({@code --timings}). */
  static void timing(PrintWriter err, String phase, Duration took) {
    String text = String.format("timing: %-14s %6d ms", phase, took.toMillis());
    if (err instanceof LogWriter log) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("phase", phase);
      fields.put("durationMs", took.toMillis());
      log.event(Level.info, text, "phase " + phase + " took " + took.toMillis() + " ms", fields);
    } else {
      err.println(text);
    }
  }

  /**
   * A progress line for people watching a long run: {@code [ 2.4s] load: 10000 workloads}. Only on
   * a terminal in text mode; never in JSON mode, with --quiet, or into a pipe.
   */
  static void progress(PrintWriter err, String message) {
    if (err instanceof LogWriter log && log.progress) {
      synchronized (log.lock) {
        double seconds = (System.nanoTime() - log.started) / 1e9;
        log.target.println(String.format("[%6.1fs] %s", seconds, message));
        log.target.flush();
      }
    }
  }

  /**
   * Whether file descriptor 2 is a terminal (Linux: {@code /proc/self/fd/2} links to a tty), and
   * the terminal can take more than plain text ({@code TERM} is not {@code dumb}).
   */
  static boolean stderrIsTerminal(Map<String, String> env) {
    if ("dumb".equals(env.get("TERM"))) {
      return false;
    }
    try {
      String link = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return link.startsWith("/dev/pts/") || link.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /** An event waiting for continuation lines; its time is when its first line was printed. */
  private final class Event {
    final Instant time = Instant.now(clock);
    final Level level;
    final StringBuilder message;
    final Map<String, Object> fields = new LinkedHashMap<>();

    Event(Level level, String message) {
      this.level = level;
      this.message = new StringBuilder(message);
    }
  }
}

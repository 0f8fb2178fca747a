package dev.convoy.engine.load;

import dev.convoy.engine.input.InputError;
import dev.convoy.engine.model.DurationText;
import dev.convoy.engine.yaml.PlainScalar;
import dev.convoy.engine.yaml.YamlDocument;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads typed fields out of a loaded document and collects every schema problem with its line, so a
 * user sees all mistakes of a file at once.
 */
final class SchemaReader {
  private final YamlDocument document;
  private final String object;
  private final List<InputError> errors;

  SchemaReader(YamlDocument document, String object, List<InputError> errors) {
    this.document = document;
    this.object = object;
    this.errors = errors;
  }

  void error(String path, String message) {
    errors.add(
        new InputError(
            document.file(),
            document.lineOf(path),
            document.index(),
            object,
            path.isEmpty() ? message : path + ": " + message));
  }

  int errorCount() {
    return errors.size();
  }

  /** Reports keys not in {@code known}: a typo in a policy must not silently select nothing. */
  void rejectUnknown(Map<String, Object> map, String path, Set<String> known) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String) || !known.contains(key)) {
        error(
            join(path, String.valueOf(key)),
            "unknown field (expected one of "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> map(Map<String, Object> parent, String path, String key, boolean required) {
    Object v = parent.get(key);
    if (PlainScalar.isNull(v)) {
      if (required) {
        error(join(path, key), "is required");
      }
      return null;
    }
    if (!(v instanceof Map)) {
      error(join(path, key), "must be a mapping");
      return null;
    }
    return (Map<String, Object>) v;
  }

  String string(Map<String, Object> parent, String path, String key, boolean required) {
    Object v = parent.get(key);
    if (PlainScalar.isNull(v)) {
      if (required) {
        error(join(path, key), "is required");
      }
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof PlainScalar || v instanceof Number || v instanceof Boolean) {
      return String.valueOf(v);
    }
    error(join(path, key), "must be a string");
    return null;
  }

  Integer integer(Map<String, Object> parent, String path, String key) {
    Long v = longValue(parent, path, key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    return v == null ? null : v.intValue();
  }

  /**
   * An integer written in decimal, within {@code min..max}; {@code null} (after an error when it is
   * something else) when absent.
   */
  Long longValue(Map<String, Object> parent, String path, String key, long min, long max) {
    Object v = parent.get(key);
    if (PlainScalar.isNull(v)) {
      return null;
    }
    BigInteger n = null;
    if (v instanceof Integer || v instanceof Long) {
      n = BigInteger.valueOf(((Number) v).longValue());
    } else if (v instanceof BigInteger b) {
      n = b;
    }
    if (n == null) {
      error(join(path, key), "must be a whole number written in decimal, found '" + v + "'");
      return null;
    }
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      error(join(path, key), "must be from " + min + " to " + max + ", found " + n);
      return null;
    }
    return n.longValue();
  }

  Boolean bool(Map<String, Object> parent, String path, String key) {
    Object v = parent.get(key);
    if (PlainScalar.isNull(v)) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    error(join(path, key), "must be true or false, found '" + v + "'");
    return null;
  }

  /** A duration such as {@code 90s} or {@code 1h}; {@link Duration#ZERO} when absent or invalid. */
  Duration duration(Map<String, Object> parent, String path, String key, String examples) {
    String text = string(parent, path, key, false);
    if (text == null) {
      return Duration.ZERO;
    }
    Optional<Duration> parsed = DurationText.parse(text);
    if (parsed.isEmpty() && text.strip().matches("\\d{7,}[smhd]")) {
      error(join(path, key), "must be at most 999999 units, found '" + text + "'");
    } else if (parsed.isEmpty()) {
      error(join(path, key), "must be a duration like " + examples + ", found '" + text + "'");
    }
    return parsed.orElse(Duration.ZERO);
  }

  List<String> strings(Map<String, Object> parent, String path, String key) {
    Object v = parent.get(key);
    List<String> out = new ArrayList<>();
    if (PlainScalar.isNull(v)) {
      return out;
    }
    if (!(v instanceof List<?> list)) {
      error(join(path, key), "must be a list of strings");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof String s) {
        out.add(s);
      } else {
        error(
            join(path, key) + "[" + i + "]",
            "must be a string, found '" + list.get(i) + "'" + quoteHint(list.get(i)));
      }
    }
    return out;
  }

  /** A hint for a value that is a string only when quoted. */
  private static String quoteHint(Object v) {
    return v instanceof PlainScalar || v instanceof Number || v instanceof Boolean
        ? " (quote it to make it a string)"
        : "";
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> maps(Map<String, Object> parent, String path, String key) {
    Object v = parent.get(key);
    List<Map<String, Object>> out = new ArrayList<>();
    if (PlainScalar.isNull(v)) {
      return out;
    }
    if (!(v instanceof List<?> list)) {
      error(join(path, key), "must be a list");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> m) {
        out.add((Map<String, Object>) m);
      } else {
        error(join(path, key) + "[" + i + "]", "must be a mapping");
        out.add(null);
      }
    }
    return out;
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}

package dev.convoy.engine.yaml;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Prints documents as JSON, for sources that were {@code .json} files: two-space indentation, keys
 * in tree order, one value after another when a file held several, deterministic. Numbers read from
 * JSON keep their written text; a {@link PlainScalar} from YAML (a policy's sidecar injected into a
 * JSON manifest) is written as Kubernetes reads it. JSON has no infinity or NaN: those are written
 * as the strings YAML spells them with, as the value cannot be kept.
 */
public final class JsonPrinter {
  private JsonPrinter() {}

  /** Every document, each followed by a newline. */
  public static void printAll(List<?> documents, StringBuilder out) {
    for (Object document : documents) {
      value(document, 0, out);
      out.append('\n');
    }
  }

  private static void value(Object value, int indent, StringBuilder out) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean[] first = {true};
      map.forEach(
          (k, v) -> {
            out.append(first[0] ? "\n" : ",\n");
            first[0] = false;
            indent(indent + 2, out);
            string(k instanceof String s ? s : String.valueOf(k), out);
            out.append(": ");
            value(v, indent + 2, out);
          });
      out.append('\n');
      indent(indent, out);
      out.append('}');
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        out.append(first ? "\n" : ",\n");
        first = false;
        indent(indent + 2, out);
        value(item, indent + 2, out);
      }
      out.append('\n');
      indent(indent, out);
      out.append(']');
    } else if (value instanceof PlainScalar p) {
      if (isJsonNumber(p.text())) {
        out.append(p.text());
      } else {
        value(p.kubernetesValue(), indent, out);
      }
    } else {
      scalar(value, out);
    }
  }

  private static void scalar(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Double d) {
      if (d.isNaN()) {
        string(".nan", out);
      } else if (d.isInfinite()) {
        string(d > 0 ? ".inf" : "-.inf", out);
      } else {
        out.append(d);
      }
    } else if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger) {
      out.append(value);
    } else {
      string(String.valueOf(value), out);
    }
  }

  private static void indent(int n, StringBuilder out) {
    out.append(" ".repeat(n));
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20
              || c == '\u2028'
              || c == '\u2029'
              || Character.isSurrogate(c) && !pair(s, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** True when the surrogate at {@code i} is half of a well-formed pair. */
  private static boolean pair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /** JSON's number grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?}. */
  static boolean isJsonNumber(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && s.charAt(i) == '-') {
      i++;
    }
    if (i >= n) {
      return false;
    }
    if (s.charAt(i) == '0') {
      i++;
    } else if (s.charAt(i) >= '1' && s.charAt(i) <= '9') {
      while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
    } else {
      return false;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      int start = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int start = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    return i == n;
  }
}

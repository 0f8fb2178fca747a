package dev.convoy.engine.yaml;

import dev.convoy.engine.input.Sha256;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A canonical text form of a loaded tree (keys sorted, one spelling per value), so that a content
 * hash does not change when only key order, comments or quoting change.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static String of(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb);
    return sb.toString();
  }

  /** The first {@code hexChars} hex digits of the SHA-256 of the canonical form. */
  public static String hash(Object value, int hexChars) {
    return Sha256.hex(of(value)).substring(0, hexChars);
  }

  private static void write(Object value, StringBuilder sb) {
    if (value instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      // Sorted by the key's text: keys need not be strings (an unquoted on: is a PlainScalar).
      List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
      entries.sort(Comparator.comparing(e -> String.valueOf(e.getKey())));
      for (Map.Entry<?, ?> e : entries) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(String.valueOf(e.getKey()), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else if (value instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(list.get(i), sb);
      }
      sb.append(']');
    } else if (value instanceof String s) {
      string(s, sb);
    } else if (value instanceof PlainScalar p) {
      // One spelling per value: 0x1F and 31 mean the same to Kubernetes.
      Object v = p.kubernetesValue();
      if (v instanceof String s) {
        string(s, sb);
      } else {
        sb.append(v);
      }
    } else {
      sb.append(value);
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}

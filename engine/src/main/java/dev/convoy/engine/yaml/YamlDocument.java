package dev.convoy.engine.yaml;

import java.util.Map;

/**
 * One document of a YAML file.
 *
 * @param file the file it came from
 * @param index 1-based position of the document in the file
 * @param line 1-based line where the document's content starts
 * @param content the loaded value: ordered maps, lists and scalars; {@code null} for an empty
 *     document
 * @param lines where nested keys start, for error messages
 */
public record YamlDocument(String file, int index, int line, Object content, LineIndex lines) {

  @SuppressWarnings("unchecked")
  public Map<String, Object> map() {
    return content instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  public String kind() {
    Map<String, Object> m = map();
    return m != null && m.get("kind") instanceof String s ? s : null;
  }

  public String apiVersion() {
    Map<String, Object> m = map();
    return m != null && m.get("apiVersion") instanceof String s ? s : null;
  }

  /**
   * The 1-based line of a nested path such as {@code spec.sidecars[1].container}, or the document's
   * line.
   */
  public int lineOf(String path) {
    return lines.lineOf(path, line);
  }
}

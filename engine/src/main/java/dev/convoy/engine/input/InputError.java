package dev.convoy.engine.input;

/**
 * A problem with the input itself (YAML syntax, schema, a limit), found before any rule runs.
 *
 * @param file the file, relative to the config repo
 * @param line 1-based line, or 0 when not known
 * @param column 1-based column (in characters), or 0 when not known
 * @param document 1-based index of the YAML document in the file, or 0 when not about one
 * @param object the object concerned, e.g. {@code SidecarPolicy/mesh}, or {@code null}
 * @param message what is wrong
 */
public record InputError(
    String file, int line, int column, int document, String object, String message) {

  /** A problem at a line, with no column. */
  public InputError(String file, int line, int document, String object, String message) {
    this(file, line, 0, document, object, message);
  }

  /** {@code file:line[:column]: (document N, Kind/name) message}, the form the CLI prints. */
  public String describe() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    sb.append(": ");
    if (document > 0 || object != null) {
      sb.append('(');
      if (document > 0) {
        sb.append("document ").append(document);
      }
      if (object != null) {
        sb.append(document > 0 ? ", " : "").append(object);
      }
      sb.append(") ");
    }
    return sb.append(message).toString();
  }
}

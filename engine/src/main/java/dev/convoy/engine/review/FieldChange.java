package dev.convoy.engine.review;

/**
 * One value that differs, as a path into the object and the value on each side.
 *
 * @param path e.g. {@code image}, {@code env[LOG_LEVEL].value}, {@code
 *     metadata.annotations["prometheus.io/port"]}, {@code spec.ports[http].port}; list entries with
 *     a {@code name} are addressed by it, others by index
 * @param before the base's value (a string, number, boolean, or a map or list of them), or {@code
 *     null} when absent
 * @param after the head's value, or {@code null} when absent
 */
public record FieldChange(String path, Object before, Object after) {
  public Change change() {
    return before == null ? Change.ADDED : after == null ? Change.REMOVED : Change.CHANGED;
  }
}

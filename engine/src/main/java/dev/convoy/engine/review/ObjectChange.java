package dev.convoy.engine.review;

import java.util.List;

/**
 * A rendered object that is not a workload (a Service, a ConfigMap, a Secret, the generated
 * kustomization) and differs between the base and the head.
 *
 * @param kind its kind
 * @param namespace its namespace, or {@code null} when the manifest names none
 * @param name metadata.name, or {@code null} for an object without one (then {@code file} names it)
 * @param file the rendered file (the head's, or the base's when removed)
 * @param change added, removed or changed
 * @param fields what differs, for a changed object; empty when added or removed
 */
public record ObjectChange(
    String kind,
    String namespace,
    String name,
    String file,
    Change change,
    List<FieldChange> fields) {
  public ObjectChange {
    fields = List.copyOf(fields);
  }

  /** {@code Kind/namespace/name}, {@code Kind/name} without a namespace, or {@code Kind (file)}. */
  public String ref() {
    if (name == null) {
      return kind + " (" + file + ")";
    }
    return namespace == null ? kind + "/" + name : kind + "/" + namespace + "/" + name;
  }
}

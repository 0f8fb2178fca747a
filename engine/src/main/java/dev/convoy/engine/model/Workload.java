package dev.convoy.engine.model;

import dev.convoy.engine.yaml.YamlDocument;
import java.util.List;
import java.util.Map;

/**
 * A pod-bearing object of the sources.
 *
 * @param kind its workload kind
 * @param namespace the namespace the manifest names, or {@code null} (then Convoy matches it as
 *     {@code default} and leaves the manifest without one)
 * @param name metadata.name, or metadata.generateName for an object that has only that (Argo CD and
 *     Helm hook Jobs): Convoy knows such a workload by its generateName
 * @param object the whole object as loaded (never modified)
 * @param document the document it came from
 * @param item its index in a {@code List} document's items, or -1 for a top-level object
 */
public record Workload(
    WorkloadKind kind,
    String namespace,
    String name,
    Map<String, Object> object,
    YamlDocument document,
    int item) {

  public String effectiveNamespace() {
    return namespace == null ? "default" : namespace;
  }

  /** {@code Kind/namespace/name}. */
  public String ref() {
    return kind.kind() + "/" + effectiveNamespace() + "/" + name;
  }

  public String file() {
    return document.file();
  }

  public int line() {
    return document.line();
  }

  /** The pod template ({@code metadata} and {@code spec}); the object itself for a Pod. */
  public Map<String, Object> podTemplate() {
    return kind.podTemplateOf(object);
  }

  public Map<String, Object> podSpec() {
    Map<String, Object> template = podTemplate();
    return template == null ? null : Trees.map(template, "spec");
  }

  public List<Map<String, Object>> initContainers() {
    return Trees.mapList(podSpec(), "initContainers");
  }

  public List<Map<String, Object>> containers() {
    return Trees.mapList(podSpec(), "containers");
  }
}

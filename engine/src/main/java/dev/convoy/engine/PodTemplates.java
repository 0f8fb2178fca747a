package dev.convoy.engine;

import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.render.InjectionRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod templates taken out of and put back into workload objects, without modifying the loaded
 * trees: a copy is made only of what changes.
 */
final class PodTemplates {
  private PodTemplates() {}

  /**
   * The workload's pod template without an earlier injection. Copied only when there is one to
   * strip (re-rendering rendered output): otherwise the loaded template itself, which nothing below
   * modifies, so 10,000 workloads do not mean 10,000 template copies held for the run.
   */
  static Map<String, Object> clean(Workload w) {
    Map<String, Object> loaded = w.podTemplate();
    if (!InjectionRecord.isRecorded(loaded)) {
      return loaded;
    }
    Map<String, Object> template = Trees.copy(loaded);
    InjectionRecord.strip(template);
    return template;
  }

  /** A shallow copy of a pod template whose metadata and annotations maps are its own. */
  static Map<String, Object> withOwnAnnotations(Map<String, Object> template) {
    Map<String, Object> out = new LinkedHashMap<>(template);
    Map<String, Object> metadata = Trees.map(template, "metadata");
    if (metadata != null) {
      Map<String, Object> ownMetadata = new LinkedHashMap<>(metadata);
      Map<String, Object> annotations = Trees.map(metadata, "annotations");
      if (annotations != null) {
        ownMetadata.put("annotations", new LinkedHashMap<>(annotations));
      }
      out.put("metadata", ownMetadata);
    }
    return out;
  }

  /** A copy of the object with its pod template replaced; the loaded object is never changed. */
  static Map<String, Object> withTemplate(Workload w, Map<String, Object> template) {
    List<String> path = w.kind().templatePath();
    if (path.isEmpty()) {
      return template;
    }
    return replaceAt(w.object(), path, 0, template);
  }

  private static Map<String, Object> replaceAt(
      Map<String, Object> node, List<String> path, int depth, Map<String, Object> value) {
    Map<String, Object> out = new LinkedHashMap<>(node);
    String key = path.get(depth);
    out.put(
        key,
        depth == path.size() - 1 ? value : replaceAt(Trees.map(node, key), path, depth + 1, value));
    return out;
  }

  /** The workload's and its pod template's annotations (the template's win). */
  static Map<String, String> annotations(Workload w, Map<String, Object> template) {
    Map<String, String> out =
        new LinkedHashMap<>(Trees.stringMap(Trees.map(w.object(), "metadata"), "annotations"));
    out.putAll(Trees.stringMap(Trees.map(template, "metadata"), "annotations"));
    return out;
  }

  /** The pod's restartPolicy: as written, or the default of its kind. */
  static String restartPolicy(Workload w, Map<String, Object> spec) {
    String written = Trees.string(spec, "restartPolicy");
    return written != null ? written : (w.kind().runsToCompletion() ? "Never" : "Always");
  }
}

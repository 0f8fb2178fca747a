package dev.convoy.engine.render;

import dev.convoy.engine.model.Trees;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Structural edits of a pod spec tree that every sidecar mode shares. */
final class PodSpecs {
  private PodSpecs() {}

  /**
   * Replaces {@code initContainers} and {@code containers}, keeping the spec's key order and
   * putting a new {@code initContainers} right before {@code containers}, where people write it.
   */
  static Map<String, Object> withContainers(
      Map<String, Object> spec, List<Map<String, Object>> init, List<Map<String, Object>> app) {
    Map<String, Object> out = new LinkedHashMap<>(spec.size() + 2);
    for (Map.Entry<String, Object> e : spec.entrySet()) {
      switch (e.getKey()) {
        case "initContainers" -> {
          if (!init.isEmpty()) {
            out.put("initContainers", init);
          }
        }
        case "containers" -> {
          if (!init.isEmpty()) {
            out.putIfAbsent("initContainers", init);
          }
          out.put("containers", app);
        }
        default -> out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Appends policy volumes whose name the pod does not have yet. */
  static void mergeVolumes(Map<String, Object> spec, List<Map<String, Object>> volumes) {
    if (volumes.isEmpty()) {
      return;
    }
    List<Map<String, Object>> existing = Trees.mapList(spec, "volumes");
    Set<String> names = new HashSet<>();
    for (Map<String, Object> v : existing) {
      names.add(Trees.string(v, "name"));
    }
    List<Object> merged = new ArrayList<>(existing);
    for (Map<String, Object> v : volumes) {
      if (names.add(Trees.string(v, "name"))) {
        merged.add(Trees.copy(v));
      }
    }
    spec.put("volumes", merged);
  }

  /** A copy of a container map with extra keys appended (or replaced in place). */
  static Map<String, Object> with(Map<String, Object> container, Map<String, Object> extra) {
    Map<String, Object> out = Trees.copy(container);
    out.putAll(extra);
    return out;
  }
}

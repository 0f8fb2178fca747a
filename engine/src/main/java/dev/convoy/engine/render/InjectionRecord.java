package dev.convoy.engine.render;

import dev.convoy.engine.model.Trees;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The pod-template annotations that record what Convoy injected: each policy with its revision, and
 * the containers and volumes it added. They make rendering idempotent (rendering rendered output
 * first removes what an earlier run injected) and keep rollout state in git.
 */
public final class InjectionRecord {
  /** {@code logs@9f8e7d6c5b,mesh@3f2a9c1b0d}: applied policies and their revisions. */
  public static final String INJECTED = "convoy.dev/injected";

  /** Names of the containers Convoy added, sorted. */
  public static final String CONTAINERS = "convoy.dev/injected-containers";

  /** Names of the volumes Convoy added, sorted. */
  public static final String VOLUMES = "convoy.dev/injected-volumes";

  /**
   * {@code vault-agent@0}: native sidecars of the source that a mode without them renders as
   * regular containers, with their index in the source's {@code initContainers}.
   */
  public static final String MOVED = "convoy.dev/moved-sidecars";

  private InjectionRecord() {}

  /** Policy name to revision as recorded on a rendered pod template; empty when none. */
  public static SortedMap<String, String> revisions(Map<String, Object> podTemplate) {
    return revisions(
        Trees.string(Trees.map(Trees.map(podTemplate, "metadata"), "annotations"), INJECTED));
  }

  /** The revisions an {@link #INJECTED} annotation's value names; empty for null. */
  public static SortedMap<String, String> revisions(String value) {
    SortedMap<String, String> out = new java.util.TreeMap<>();
    if (value != null) {
      for (String item : value.split(",")) {
        int at = item.indexOf('@');
        if (at > 0) {
          out.put(item.substring(0, at).trim(), item.substring(at + 1).trim());
        }
      }
    }
    return out;
  }

  /** Whether a pod template carries an injection record, so {@link #strip} would change it. */
  public static boolean isRecorded(Map<String, Object> podTemplate) {
    Map<String, Object> annotations = Trees.map(Trees.map(podTemplate, "metadata"), "annotations");
    return annotations != null && annotations.containsKey(INJECTED);
  }

  /**
   * Removes an earlier run's injection from a mutable pod template copy: the recorded containers
   * and volumes and the record itself. A template without a record is unchanged.
   */
  public static void strip(Map<String, Object> podTemplate) {
    Map<String, Object> metadata = Trees.map(podTemplate, "metadata");
    Map<String, Object> annotations = Trees.map(metadata, "annotations");
    if (annotations == null || !annotations.containsKey(INJECTED)) {
      return;
    }
    Set<String> containers = names(annotations.remove(CONTAINERS));
    Set<String> volumes = names(annotations.remove(VOLUMES));
    SortedMap<Integer, String> moved = new java.util.TreeMap<>();
    for (String item : names(annotations.remove(MOVED))) {
      int at = item.lastIndexOf('@');
      if (at > 0) {
        moved.put(Integer.parseInt(item.substring(at + 1)), item.substring(0, at));
      }
    }
    annotations.remove(INJECTED);
    if (annotations.isEmpty()) {
      metadata.remove("annotations");
    }
    Map<String, Object> spec = Trees.map(podTemplate, "spec");
    if (spec == null) {
      return;
    }
    removeNamed(spec, "initContainers", containers);
    removeNamed(spec, "containers", containers);
    removeNamed(spec, "volumes", volumes);
    // Legacy and universal modes also change the workload's own containers: undo exactly that.
    for (String key : List.of("initContainers", "containers")) {
      for (Map<String, Object> c : Trees.mapList(spec, key)) {
        if (volumes.contains(RunVolume.NAME)) {
          RunVolume.unmount(c);
        }
        if (c.get("command") instanceof List<?> command) {
          c.put("command", ShellScripts.unwrap(command));
        }
        removeAddedHooks(c);
      }
    }
    moveBack(spec, moved);
  }

  /** The hooks and the startupProbe Convoy added to a container of the source. */
  private static void removeAddedHooks(Map<String, Object> container) {
    Map<String, Object> lifecycle = Trees.map(container, "lifecycle");
    if (lifecycle != null) {
      lifecycle.values().removeIf(h -> h instanceof Map<?, ?> m && ShellScripts.added(m));
      if (lifecycle.isEmpty()) {
        container.remove("lifecycle");
      }
    }
    if (ShellScripts.added(Trees.map(container, "startupProbe"))) {
      container.remove("startupProbe");
    }
  }

  /** Native sidecars rendered as regular containers go back to their place in initContainers. */
  private static void moveBack(Map<String, Object> spec, SortedMap<Integer, String> moved) {
    if (moved.isEmpty()) {
      return;
    }
    List<Object> regular = new ArrayList<>(Trees.mapList(spec, "containers"));
    List<Object> init = new ArrayList<>(Trees.mapList(spec, "initContainers"));
    for (Map.Entry<Integer, String> m : moved.entrySet()) {
      for (int i = 0; i < regular.size(); i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) regular.get(i);
        if (m.getValue().equals(c.get("name"))) {
          regular.remove(i);
          c.put("restartPolicy", "Always");
          init.add(Math.min(m.getKey(), init.size()), c);
          break;
        }
      }
    }
    spec.put("containers", regular);
    if (!init.isEmpty()) {
      spec.put("initContainers", init);
    }
  }

  /**
   * Writes the record into a mutable pod template copy.
   *
   * @param moved native sidecars of the source rendered as regular containers, with their index
   */
  public static void write(
      Map<String, Object> podTemplate,
      SortedMap<String, String> revisions,
      Set<String> containers,
      Set<String> volumes,
      Map<String, Integer> moved) {
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata =
        (Map<String, Object>) podTemplate.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    @SuppressWarnings("unchecked")
    Map<String, Object> annotations =
        (Map<String, Object>) metadata.computeIfAbsent("annotations", k -> new LinkedHashMap<>());
    annotations.put(
        INJECTED,
        revisions.entrySet().stream()
            .map(e -> e.getKey() + "@" + e.getValue())
            .collect(Collectors.joining(",")));
    if (!containers.isEmpty()) {
      annotations.put(CONTAINERS, String.join(",", new TreeSet<>(containers)));
    }
    if (!volumes.isEmpty()) {
      annotations.put(VOLUMES, String.join(",", new TreeSet<>(volumes)));
    }
    if (!moved.isEmpty()) {
      annotations.put(
          MOVED,
          moved.entrySet().stream()
              .sorted(Map.Entry.comparingByValue())
              .map(e -> e.getKey() + "@" + e.getValue())
              .collect(Collectors.joining(",")));
    }
  }

  private static Set<String> names(Object value) {
    return value == null
        ? Set.of()
        : new TreeSet<>(Arrays.asList(String.valueOf(value).split(",")));
  }

  private static void removeNamed(Map<String, Object> spec, String key, Set<String> names) {
    if (names.isEmpty() || !(spec.get(key) instanceof List<?> list)) {
      return;
    }
    List<Object> kept = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m && names.contains(String.valueOf(m.get("name"))))) {
        kept.add(o);
      }
    }
    if (kept.isEmpty()) {
      spec.remove(key);
    } else {
      spec.put(key, kept);
    }
  }
}

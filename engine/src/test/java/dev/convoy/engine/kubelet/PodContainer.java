package dev.convoy.engine.kubelet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the kubelet model needs of one container of a pod spec map: its kind, and the marker
 * behaviour of its command, postStart and preStop hooks and startupProbe (an exec action's; an
 * httpGet or tcpSocket probe cannot see marker files, so the model counts it as passing once the
 * container's process runs).
 */
record PodContainer(
    String name,
    Kind kind,
    Scripts.Command command,
    Scripts.Hook postStart,
    Scripts.Hook preStop,
    boolean hasStartupProbe,
    Scripts.Hook startupProbe,
    String commandText) {

  /** Where the container sits in the pod spec. */
  enum Kind {
    /** {@code initContainers} entry without {@code restartPolicy: Always}: runs to completion. */
    INIT,
    /** {@code initContainers} entry with {@code restartPolicy: Always}: a native sidecar. */
    SIDECAR,
    /** {@code containers} entry. */
    APP
  }

  /**
   * @param nativeSidecars whether the kubelet has native sidecars; without them an {@code
   *     initContainers} entry with {@code restartPolicy: Always} is a plain init container (its
   *     probes and hooks unused)
   */
  static List<PodContainer> read(Map<String, ?> podSpec, boolean nativeSidecars) {
    List<PodContainer> result = new ArrayList<>();
    for (Map<String, ?> c : list(podSpec.get("initContainers"))) {
      boolean sidecar = "Always".equals(c.get("restartPolicy"));
      result.add(
          read(
              c, sidecar && nativeSidecars ? Kind.SIDECAR : Kind.INIT, sidecar && !nativeSidecars));
    }
    for (Map<String, ?> c : list(podSpec.get("containers"))) {
      result.add(read(c, Kind.APP, false));
    }
    return List.copyOf(result);
  }

  private static PodContainer read(Map<String, ?> c, Kind kind, boolean ignoreHooks) {
    List<Object> words = new ArrayList<>(words(c.get("command")));
    words.addAll(words(c.get("args")));
    Map<String, ?> lifecycle = ignoreHooks ? Map.of() : map(c.get("lifecycle"));
    Object startupProbe = ignoreHooks ? null : c.get("startupProbe");
    String script = script(words);
    return new PodContainer(
        String.valueOf(c.get("name")),
        kind,
        Scripts.Command.of(script),
        Scripts.Hook.of(exec(map(lifecycle.get("postStart")))),
        Scripts.Hook.of(exec(map(lifecycle.get("preStop")))),
        startupProbe != null,
        Scripts.Hook.of(exec(map(startupProbe))),
        script);
  }

  /** A wrapped command's script is its third word; anything else is read as one text. */
  private static String script(List<Object> words) {
    if (words.size() >= 3 && "-c".equals(String.valueOf(words.get(1)))) {
      return String.valueOf(words.get(2));
    }
    return Marker.script(words);
  }

  private static String exec(Map<String, ?> handler) {
    List<?> words = words(map(handler.get("exec")).get("command"));
    if (words.size() == 3 && "-c".equals(String.valueOf(words.get(1)))) {
      return String.valueOf(words.get(2));
    }
    return Marker.script(words);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, ?>> list(Object value) {
    return value == null ? List.of() : (List<Map<String, ?>>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> map(Object value) {
    return value == null ? Map.of() : (Map<String, ?>) value;
  }

  private static List<?> words(Object value) {
    return value instanceof List<?> l ? l : List.of();
  }

  boolean nativeSidecar() {
    return kind == Kind.SIDECAR;
  }
}

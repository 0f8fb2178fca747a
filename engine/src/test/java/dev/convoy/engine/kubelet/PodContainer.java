package dev.convoy.engine.kubelet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the kubelet model needs of one container of a pod spec map: its kind, and the scripts of its
 * command, postStart and preStop hooks and startupProbe (exec actions only: an httpGet or tcpSocket
 * action cannot poll a marker file, so the model treats it as passing once the container runs).
 */
record PodContainer(
    String name,
    Kind kind,
    String command,
    String postStart,
    String preStop,
    boolean hasStartupProbe,
    String startupProbe) {

  /** Where the container sits in the pod spec. */
  enum Kind {
    /** {@code initContainers} entry without {@code restartPolicy: Always}: runs to completion. */
    INIT,
    /** {@code initContainers} entry with {@code restartPolicy: Always}: a native sidecar. */
    SIDECAR,
    /** {@code containers} entry. */
    APP
  }

  static List<PodContainer> read(Map<String, ?> podSpec) {
    List<PodContainer> result = new ArrayList<>();
    for (Map<String, ?> c : list(podSpec.get("initContainers"))) {
      result.add(read(c, "Always".equals(c.get("restartPolicy")) ? Kind.SIDECAR : Kind.INIT));
    }
    for (Map<String, ?> c : list(podSpec.get("containers"))) {
      result.add(read(c, Kind.APP));
    }
    return List.copyOf(result);
  }

  private static PodContainer read(Map<String, ?> c, Kind kind) {
    List<Object> words = new ArrayList<>(words(c.get("command")));
    words.addAll(words(c.get("args")));
    Map<String, ?> lifecycle = map(c.get("lifecycle"));
    Object startupProbe = c.get("startupProbe");
    return new PodContainer(
        String.valueOf(c.get("name")),
        kind,
        Marker.script(words),
        exec(map(lifecycle.get("postStart"))),
        exec(map(lifecycle.get("preStop"))),
        startupProbe != null,
        exec(map(startupProbe)));
  }

  private static String exec(Map<String, ?> handler) {
    return Marker.script(words(map(handler.get("exec")).get("command")));
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

package dev.convoy.engine.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code emptyDir} through which legacy and universal pods coordinate, and its marker files
 * (the convention the kubelet model in the tests reads, documented in docs/modes.md): {@code
 * /convoy/run/<name>.ready} once a container passed its ready gate, {@code
 * /convoy/run/<name>.exited} once its main process exited, and universal mode's handshake files
 * {@code <name>.probe}, {@code <name>.native}, {@code <name>.legacy}.
 */
public final class RunVolume {
  /** The volume's name in the pod; recorded as injected so re-rendering removes it. */
  public static final String NAME = "convoy-run";

  /** Where every participating container mounts it. */
  public static final String PATH = "/convoy/run";

  private RunVolume() {}

  /** {@code /convoy/run/<container>.<event>}. */
  static String marker(String container, String event) {
    return PATH + "/" + container + "." + event;
  }

  static Map<String, Object> volume() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", NAME);
    v.put("emptyDir", new LinkedHashMap<>());
    return v;
  }

  /** Adds the mount to a mutable container map (appending {@code volumeMounts} when absent). */
  static void mount(Map<String, Object> container) {
    List<Object> mounts = new ArrayList<>();
    if (container.get("volumeMounts") instanceof List<?> existing) {
      for (Object m : existing) {
        if (m instanceof Map<?, ?> mm && NAME.equals(mm.get("name"))) {
          return;
        }
        mounts.add(m);
      }
    }
    Map<String, Object> mount = new LinkedHashMap<>();
    mount.put("name", NAME);
    mount.put("mountPath", PATH);
    mounts.add(mount);
    container.put("volumeMounts", mounts);
  }

  /** Removes the mount from a mutable container map, dropping an emptied {@code volumeMounts}. */
  static void unmount(Map<String, Object> container) {
    if (!(container.get("volumeMounts") instanceof List<?> existing)) {
      return;
    }
    List<Object> kept = new ArrayList<>();
    for (Object m : existing) {
      if (!(m instanceof Map<?, ?> mm && NAME.equals(mm.get("name")))) {
        kept.add(m);
      }
    }
    if (kept.isEmpty()) {
      container.remove("volumeMounts");
    } else {
      container.put("volumeMounts", kept);
    }
  }
}

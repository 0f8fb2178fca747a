package dev.convoy.engine.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shell snippets legacy and universal modes render into hooks and commands. Every script runs
 * under {@code /bin/sh -c} and uses only POSIX shell built-ins plus {@code sleep} and {@code
 * touch}; polling an HTTP or TCP probe by default needs {@code wget} or {@code nc} as well (busybox
 * has both).
 *
 * <p>Wrapped commands keep the original command as positional parameters, {@code [/bin/sh, -c,
 * SCRIPT, NAME, original...]}, so {@code args} stay as they are (Kubernetes appends them) and the
 * wrapper can be taken off again exactly: {@link #unwrap(List)}.
 */
final class HookScripts {
  /** {@code $0} of a wrapped app command: marks it for {@link #unwrap(List)}. */
  static final String APP_WRAPPER = "convoy-wrap";

  /** {@code $0} of a sidecar command that exits once the app containers have exited (Jobs). */
  static final String JOB_WRAPPER = "convoy-job";

  /** {@code $0} of a post sidecar command that first waits for the app (waitForApp: wrapper). */
  static final String WAIT_WRAPPER = "convoy-wait";

  /** {@code $0} of universal mode's handshake around a sidecar command. */
  static final String HANDSHAKE = "convoy-handshake";

  /** First line of an app postStart hook Convoy added (waitForApp: hook), to find it again. */
  static final String APP_HOOK_TAG = "# convoy: app ready gate";

  private HookScripts() {}

  /** {@code [/bin/sh, -c, script]}. */
  static List<Object> sh(String script) {
    return new ArrayList<>(List.of("/bin/sh", "-c", script));
  }

  /** {@code {exec: {command: [/bin/sh, -c, script]}}}. */
  static Map<String, Object> execHandler(String script) {
    Map<String, Object> exec = new LinkedHashMap<>();
    exec.put("command", sh(script));
    Map<String, Object> handler = new LinkedHashMap<>();
    handler.put("exec", exec);
    return handler;
  }

  /** {@code [/bin/sh, -c, script, name, command...]}. */
  static List<Object> wrap(String script, String name, List<?> command) {
    List<Object> out = sh(script);
    out.add(name);
    out.addAll(command);
    return out;
  }

  /** The original command of an app command wrapped by {@link #appExit}, or the command itself. */
  static List<Object> unwrap(List<?> command) {
    if (command.size() >= 4
        && "/bin/sh".equals(command.get(0))
        && "-c".equals(command.get(1))
        && APP_WRAPPER.equals(command.get(3))) {
      return new ArrayList<>(command.subList(4, command.size()));
    }
    return new ArrayList<>(command);
  }

  /**
   * Runs {@code "$@"}, forwards SIGTERM to it, and touches {@code <name>.exited} once it has exited
   * (either way), keeping its exit status. The marker is what pre sidecars' preStop hooks and Job
   * sidecars wait for.
   */
  static String appExit(String name) {
    return "\"$@\" & child=$!; trap 'kill -TERM $child 2>/dev/null' TERM INT; wait $child; status=$?; "
        + "while kill -0 $child 2>/dev/null; do wait $child; status=$?; done; "
        + "touch "
        + RunVolume.marker(name, "exited")
        + "; exit $status";
  }

  /**
   * Polls {@code waitCommand} once a second until it succeeds, for at most {@code timeout} seconds
   * (then fails, so the kubelet kills and restarts the container), then touches {@code
   * <name>.ready}. As a postStart hook it holds the kubelet back from the next container.
   */
  static String readyGate(String name, String waitCommand, int timeout) {
    return pollLoop(name, waitCommand, timeout) + "; touch " + RunVolume.marker(name, "ready");
  }

  /** {@code i=0; until CMD; do ... timeout ...; sleep 1; done}. */
  static String pollLoop(String what, String waitCommand, int timeout) {
    return "i=0; until "
        + waitCommand
        + "; do i=$((i+1)); if [ \"$i\" -ge "
        + timeout
        + " ]; then echo \"convoy: "
        + what
        + " not ready after "
        + timeout
        + "s\" >&2; exit 1; fi; sleep 1; done";
  }

  /**
   * A preStop body that waits until every named container has exited (bounded by the grace period).
   */
  static String awaitExits(List<String> containers) {
    return "until " + allExist(containers, "exited") + "; do sleep 1; done";
  }

  /**
   * Runs {@code "$@"} and stops it (exiting 0) once every named app container has exited, so a
   * sidecar never keeps a Job from completing; if the sidecar ends first, its own status.
   */
  static String jobSidecar(List<String> apps) {
    return "\"$@\" & child=$!; trap 'kill -TERM $child 2>/dev/null' TERM INT; "
        + "while kill -0 $child 2>/dev/null; do if "
        + allExist(apps, "exited")
        + "; then kill -TERM $child 2>/dev/null; "
        + "wait $child; exit 0; fi; sleep 1; done; wait $child";
  }

  /** Waits (with a timeout) for the app's probes, then {@code exec}s {@code "$@"}. */
  static String waitThenExec(String what, String waitCommand, int timeout) {
    return pollLoop(what, waitCommand, timeout) + "; exec \"$@\"";
  }

  static String allExist(List<String> containers, String event) {
    return containers.stream()
        .map(c -> "[ -f " + RunVolume.marker(c, event) + " ]")
        .collect(Collectors.joining(" && "));
  }

  /** Single-quotes a word for {@code sh}. */
  static String quote(String word) {
    if (word.matches("[A-Za-z0-9_./:=@%+,-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  static String join(List<?> words) {
    return words.stream().map(w -> quote(String.valueOf(w))).collect(Collectors.joining(" "));
  }
}

package dev.convoy.engine.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One sidecar of a SidecarPolicy.
 *
 * @param name the container name
 * @param position pre or post
 * @param after containers this sidecar starts after
 * @param before containers this sidecar starts before
 * @param ready the readiness gate (a corev1 Probe as loaded), or {@code null}
 * @param container the corev1 Container as loaded, in the user's key order (what is rendered)
 * @param line the line of this sidecar's entry in the policy file
 * @param waitCommand legacy and universal modes: a command run inside the sidecar that exits 0 once
 *     it is ready, polled once a second by the blocking {@code postStart} hook; empty to derive it
 *     from {@code ready} (needs {@code /bin/sh} plus {@code wget} or {@code nc} in the image, see
 *     docs/modes.md)
 * @param readyTimeoutSeconds how long that hook polls, in seconds, before it fails (and the kubelet
 *     restarts the container); {@link #FOLLOW_PROBE} for what {@code ready} allows as a
 *     startupProbe: {@code initialDelaySeconds + failureThreshold x periodSeconds}
 * @param waitForApp how a post sidecar waits for the app containers to be ready
 * @param noShell the sidecar's image has no {@code /bin/sh}, so legacy and universal modes cannot
 *     wrap its command or poll it from a hook (field {@code noShell})
 */
public record PolicySidecar(
    String name,
    Position position,
    List<String> after,
    List<String> before,
    Map<String, Object> ready,
    Map<String, Object> container,
    int line,
    List<String> waitCommand,
    int readyTimeoutSeconds,
    WaitForApp waitForApp,
    boolean noShell) {

  /** {@code readyTimeoutSeconds} not set: the bound follows the {@code ready} probe. */
  public static final int FOLLOW_PROBE = 0;

  /** How a post sidecar waits for the app containers (field {@code waitForApp}). */
  public enum WaitForApp {
    /** List order only: the kubelet starts the sidecar right after the app's process. */
    NONE,
    /**
     * A blocking {@code postStart} hook on each app container polls the app's probe, so the kubelet
     * starts the sidecar only once the app is ready. Changes the app containers.
     */
    HOOK,
    /**
     * The sidecar's own command polls the app's probe before it {@code exec}s the real command. The
     * sidecar's process starts at once; its work waits. Needs an explicit command.
     */
    WRAPPER;

    public static WaitForApp parse(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public PolicySidecar {
    after = List.copyOf(after);
    before = List.copyOf(before);
    waitCommand = List.copyOf(waitCommand);
    if (waitForApp == null) {
      waitForApp = WaitForApp.NONE;
    }
  }

  /** A sidecar whose image has a shell. */
  public PolicySidecar(
      String name,
      Position position,
      List<String> after,
      List<String> before,
      Map<String, Object> ready,
      Map<String, Object> container,
      int line,
      List<String> waitCommand,
      int readyTimeoutSeconds,
      WaitForApp waitForApp) {
    this(
        name,
        position,
        after,
        before,
        ready,
        container,
        line,
        waitCommand,
        readyTimeoutSeconds,
        waitForApp,
        false);
  }

  /** A sidecar with the default legacy-mode settings. */
  public PolicySidecar(
      String name,
      Position position,
      List<String> after,
      List<String> before,
      Map<String, Object> ready,
      Map<String, Object> container,
      int line) {
    this(
        name,
        position,
        after,
        before,
        ready,
        container,
        line,
        List.of(),
        FOLLOW_PROBE,
        WaitForApp.NONE,
        false);
  }
}

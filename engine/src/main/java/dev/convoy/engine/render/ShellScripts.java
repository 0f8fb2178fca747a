package dev.convoy.engine.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every shell script Convoy renders, and nothing else builds shell text. The scripts run under
 * {@code /bin/sh -c} in the container's own image and use POSIX shell built-ins plus {@code sleep},
 * {@code rm} and {@code date +%s}; checking an HTTP probe needs {@code wget} or {@code curl}, a TCP
 * probe {@code nc} (busybox's is enough: no {@code -z}, no {@code -T}). They are run for real under
 * dash and busybox ash by the kubelet scenarios in the engine's tests.
 *
 * <p>Containers coordinate through marker files in the {@link RunVolume} (docs/modes.md):
 *
 * <ul>
 *   <li>{@code <c>.ready}: the container passed its ready gate (removed when the gate starts over);
 *   <li>{@code <c>.running}: its wrapped process runs (created before it starts, removed after it
 *       exits; an OOM kill of the whole container leaves it behind);
 *   <li>{@code <c>.done}: it has exited for good under the pod's {@code restartPolicy} (Never: any
 *       exit; OnFailure: exit 0);
 *   <li>{@code <c>.beat}: a counter its wrapper rewrites every second (pods with {@code
 *       restartPolicy: Never}), so a sidecar sees the container die without its wrapper;
 *   <li>{@code <c>.probe}, {@code <c>.native}, {@code <c>.legacy}: universal mode's handshake.
 * </ul>
 *
 * <p>Wrapped commands keep the original command as positional parameters, {@code [/bin/sh, -c,
 * SCRIPT, convoy-wrap, original...]}, so {@code args} stay as they are (Kubernetes appends them)
 * and the wrapper can be taken off again exactly ({@link #unwrap}). Hooks and probes Convoy adds
 * start with the line {@value #TAG}..., which is how {@link InjectionRecord#strip} finds them.
 */
final class ShellScripts {
  /** {@code $0} of a wrapped command. */
  static final String WRAPPER = "convoy-wrap";

  /** {@code $0} of universal mode's native copy of a pre sidecar. */
  static final String HANDSHAKE = "convoy-handshake";

  /** First characters of every hook and probe script Convoy adds. */
  static final String TAG = "# convoy: ";

  /** First line of an app container's postStart that {@code waitForApp: hook} adds. */
  static final String APP_HOOK_TAG = TAG + "app ready gate";

  /** The signals a wrapper passes on to its process (the kubelet sends the image's STOPSIGNAL). */
  private static final String SIGNALS = "TERM INT QUIT HUP USR1 USR2";

  /** Seconds a beating container may stay silent before a sidecar takes it for dead. */
  static final int SILENCE_SECONDS = 10;

  private ShellScripts() {}

  /** When a wrapped container's exit is final, so that it writes {@code <c>.done}. */
  enum Final {
    /** Never written: the kubelet restarts the container whatever its status (Always). */
    NEVER,
    /** Every exit (restartPolicy Never). */
    ANY,
    /** Exit status 0 (restartPolicy OnFailure). */
    SUCCESS
  }

  /**
   * A check the scripts poll: a probe of one container, each try bounded by {@code seconds}.
   *
   * @param container whose probe it is (for messages)
   */
  record Check(String container, ProbeCheck probe, int seconds) {}

  /**
   * What a sidecar's wrapper waits for before it stops its process and exits 0, in a pod that runs
   * to completion.
   *
   * @param done containers that must have exited for good ({@code <c>.done})
   * @param heartbeats whether a silent {@code <c>.beat} counts as exited for good (Never)
   * @param stopped containers that must not run any more ({@code <c>.running} gone)
   */
  record Watch(List<String> done, boolean heartbeats, List<String> stopped) {
    Watch {
      done = List.copyOf(done);
      stopped = List.copyOf(stopped);
    }
  }

  /**
   * What a wrapper adds around one container's command.
   *
   * @param container the name its markers carry
   * @param purpose one line for the comment at the top
   * @param awaitReady pre sidecars whose ready gate must have passed before the process starts
   * @param awaitOnce whether a missing gate is final (restartPolicy Never: the kubelet does not
   *     restart the sidecar), so the container gives up at once instead of waiting
   * @param exits when an exit is final
   * @param beat whether it rewrites {@code <c>.beat} every second while its process runs
   * @param watch in a pod that runs to completion, when a sidecar's process is stopped; else null
   * @param idleIfNative universal mode's regular copy: {@code Always} to idle when the native copy
   *     runs, another restart policy to exit 0, null when not a regular copy
   * @param appChecks waitForApp wrapper: the app checks to wait for first, else empty
   * @param appBudget their bound
   * @param what the sidecar's name in messages of the app wait
   * @param orNative universal mode: a pre sidecar's native copy running counts as its gate passed
   */
  record Wrapper(
      String container,
      String purpose,
      List<String> awaitReady,
      boolean awaitOnce,
      Final exits,
      boolean beat,
      Watch watch,
      String idleIfNative,
      List<Check> appChecks,
      GateBudget appBudget,
      String what,
      boolean orNative) {
    Wrapper {
      awaitReady = List.copyOf(awaitReady);
      appChecks = List.copyOf(appChecks);
    }
  }

  // ---- commands ----

  /** The command script of a wrapped container (its original command follows as {@code "$@"}). */
  static String wrapper(Wrapper w) {
    String c = w.container();
    Lines s = new Lines();
    s.add(TAG + w.purpose() + " (docs/modes.md)");
    if (w.idleIfNative() != null) {
      s.add("if [ -f " + marker(c, "native") + " ]; then");
      if ("Always".equals(w.idleIfNative())) {
        s.add("  trap 'exit 0' " + SIGNALS);
        s.add("  while :; do sleep 3600 & wait $!; done");
      } else {
        s.add("  exit 0");
      }
      s.add("fi");
      s.add(": >" + marker(c, "legacy"));
    }
    s.add("trap 'exit 143' TERM INT QUIT HUP");
    if (w.exits() != Final.NEVER) {
      s.add("rm -f " + marker(c, "done"));
    }
    if (!w.awaitReady().isEmpty()) {
      // In universal mode the native copy running is as good: the kubelet gated it already, and
      // the regular copy, which exits at once in a Job, may never get to write .ready.
      String ready =
          w.idleIfNative() == null && !w.orNative()
              ? all(w.awaitReady(), "ready")
              : w.awaitReady().stream()
                  .map(
                      p ->
                          "{ [ -f "
                              + marker(p, "ready")
                              + " ] || [ -f "
                              + marker(p, "native")
                              + " ]; }")
                  .collect(Collectors.joining(" && "));
      if (w.awaitOnce()) {
        s.add("if ! { " + ready + "; }; then");
        s.add(
            "  echo \"convoy: "
                + c
                + " not started: "
                + String.join(", ", w.awaitReady())
                + " did not pass its ready gate, and restartPolicy Never does not restart it\" >&2");
        if (w.exits() == Final.ANY) {
          s.add("  : >" + marker(c, "done"));
        }
        s.add("  exit 1");
        s.add("fi");
      } else {
        s.add("until " + ready + "; do sleep 1; done");
      }
    }
    if (!w.appChecks().isEmpty()) {
      s.add(BOUNDED);
      checks(
          s,
          w.appChecks(),
          "check",
          "echo \"convoy: " + w.what() + " starts without waiting\" >&2");
      poll(
          s,
          w.appBudget().seconds(),
          "echo \"convoy: "
              + names(w.appChecks())
              + " not ready after "
              + w.appBudget().seconds()
              + "s; "
              + w.what()
              + " starts anyway\" >&2",
          "break");
    }
    if (w.watch() != null && w.watch().heartbeats()) {
      s.add(ENDED);
    }
    if (w.watch() != null) {
      s.add("finished() {");
      s.add("  f=0");
      for (int i = 0; i < w.watch().done().size(); i++) {
        String app = w.watch().done().get(i);
        s.add(
            w.watch().heartbeats()
                ? "  ended " + app + " " + i + " || f=1"
                : "  [ -f " + marker(app, "done") + " ] || f=1");
      }
      for (String other : w.watch().stopped()) {
        s.add("  ! [ -f " + marker(other, "running") + " ] || f=1");
      }
      s.add("  return $f");
      s.add("}");
    }
    s.add(": >" + marker(c, "running"));
    s.add("exec 3<&0");
    s.add("\"$@\" <&3 3<&- &");
    s.add("p=$!");
    s.add("exec 3<&-");
    s.add("for s in " + SIGNALS + "; do trap \"kill -$s \\$p 2>/dev/null\" $s; done");
    if (w.beat() || w.watch() != null) {
      s.add("while kill -0 $p 2>/dev/null; do");
      if (w.beat()) {
        s.add("  echo $((b = b + 1)) >" + marker(c, "beat"));
      }
      if (w.watch() != null) {
        s.add("  if finished; then");
        s.add("    kill -TERM $p 2>/dev/null");
        s.add("    wait $p");
        s.add("    rm -f " + marker(c, "running"));
        s.add("    exit 0");
        s.add("  fi");
      }
      s.add("  sleep 1 &");
      s.add("  wait $!");
      s.add("done");
      s.add("wait $p");
      s.add("st=$?");
    } else {
      s.add("wait $p");
      s.add("st=$?");
      // A signal passed on interrupts wait: wait again until the process has really exited.
      s.add("while kill -0 $p 2>/dev/null; do wait $p; st=$?; done");
    }
    s.add("rm -f " + marker(c, "running"));
    switch (w.exits()) {
      case ANY -> s.add(": >" + marker(c, "done"));
      case SUCCESS -> s.add("[ \"$st\" -ne 0 ] || : >" + marker(c, "done"));
      case NEVER -> {}
    }
    s.add("exit $st");
    return s.text();
  }

  /**
   * Universal mode's native copy of a pre sidecar. Its first start only leaves {@code <c>.probe}
   * and exits 0; a kubelet with native sidecars restarts it, and then it runs the sidecar. A
   * kubelet without them took it for a finished init container, and the regular copy runs instead.
   */
  static String nativeCopy(String c) {
    Lines s = new Lines();
    s.add(
        TAG
            + "universal handshake, native copy of "
            + c
            + ": it runs only where the kubelet restarts it, on nodes with native sidecars"
            + " (docs/modes.md)");
    s.add("if [ -f " + marker(c, "legacy") + " ]; then exit 0; fi");
    s.add("if [ -f " + marker(c, "probe") + " ]; then");
    s.add("  : >" + marker(c, "native"));
    s.add("  exec \"$@\"");
    s.add("fi");
    s.add(": >" + marker(c, "probe"));
    s.add("exit 0");
    return s.text();
  }

  /**
   * The startupProbe of a native copy without {@code ready}: it passes once the handshake chose
   * this copy, so the kubelet cannot count the handshake's first run as the sidecar started.
   */
  static String nativeCopyStarted(String c) {
    return TAG
        + "the native copy of "
        + c
        + " has started once the handshake chose it\n[ -f "
        + marker(c, "native")
        + " ]";
  }

  // ---- hooks ----

  /**
   * A pre sidecar's blocking postStart: polls its check, bounded in wall seconds, then leaves
   * {@code <c>.ready}; exits 1 when the bound is over, so the kubelet kills and restarts it.
   *
   * @param universal the regular copy of universal mode, which passes at once when the native copy
   *     runs
   */
  static String readyGate(String c, Check check, GateBudget budget, boolean universal) {
    Lines s = new Lines();
    s.add(
        TAG
            + "ready gate of "
            + c
            + ": the kubelet starts the next container once this returns, at most "
            + budget.seconds()
            + "s (docs/modes.md)");
    if (universal) {
      s.add(
          "if [ -f " + marker(c, "native") + " ]; then : >" + marker(c, "ready") + "; exit 0; fi");
    }
    s.add("rm -f " + marker(c, "ready"));
    s.add(BOUNDED);
    checks(s, List.of(check), "check", "exit 1");
    poll(
        s,
        budget.seconds(),
        "echo \"convoy: " + c + " not ready after " + budget.seconds() + "s\" >&2",
        "exit 1");
    s.add(": >" + marker(c, "ready"));
    return s.text();
  }

  /**
   * waitForApp: hook, on the last app container to start: polls every app container's probe, so the
   * kubelet starts the post sidecars once the apps are ready. Never fails: after the bound, or
   * without the tools to check, the post sidecars start anyway (an app is not killed for being
   * slow, as a readinessProbe would not).
   */
  static String appReadyGate(List<Check> checks, GateBudget budget, List<String> posts) {
    String what = String.join(", ", posts);
    Lines s = new Lines();
    s.add(
        APP_HOOK_TAG
            + ": the kubelet starts "
            + what
            + " once this returns, at most "
            + budget.seconds()
            + "s (docs/modes.md)");
    s.add(BOUNDED);
    checks(s, checks, "check", "echo \"convoy: " + what + " starts without waiting\" >&2; exit 0");
    poll(
        s,
        budget.seconds(),
        "echo \"convoy: "
            + names(checks)
            + " not ready after "
            + budget.seconds()
            + "s; "
            + what
            + " starts anyway\" >&2",
        "exit 0");
    for (Check c : checks) {
      s.add(": >" + marker(c.container(), "ready"));
    }
    return s.text();
  }

  /**
   * A pre sidecar's preStop: returns once none of {@code running} runs any more, at most {@code
   * seconds} after the pod's deletion began; the kubelet then sends the stop signal.
   */
  static String stopAfter(String c, List<String> running, int seconds, boolean universal) {
    Lines s = new Lines();
    s.add(
        TAG
            + "stop order of "
            + c
            + ": the kubelet stops it once this returns, after "
            + String.join(", ", running)
            + " stopped, at most "
            + seconds
            + "s (docs/modes.md)");
    if (universal) {
      s.add("if [ -f " + marker(c, "native") + " ]; then exit 0; fi");
    }
    s.add("end=$(($(date +%s) + " + seconds + "))");
    s.add(
        "while "
            + running.stream()
                .map(r -> "[ -f " + marker(r, "running") + " ]")
                .collect(Collectors.joining(" || "))
            + "; do");
    s.add("  if [ \"$(date +%s)\" -ge \"$end\" ]; then exit 0; fi");
    s.add("  sleep 1");
    s.add("done");
    return s.text();
  }

  // ---- pieces ----

  /** Runs {@code "$@"} with a time limit: TERM after {@code $1} seconds (status 143). */
  private static final String BOUNDED =
      """
      bounded() {
        _t=$1
        shift
        "$@" &
        _q=$!
        (trap 'kill $_s 2>/dev/null; exit 0' TERM; sleep "$_t" & _s=$!; wait $_s; kill -TERM $_q 2>/dev/null) &
        _k=$!
        wait $_q 2>/dev/null
        _r=$?
        kill $_k 2>/dev/null
        wait $_k 2>/dev/null
        return $_r
      }""";

  /**
   * {@code ended NAME I}: NAME has exited for good, or its heartbeat has been silent for {@value
   * #SILENCE_SECONDS} checks (the OOM killer took it with its wrapper); I keeps its state apart.
   */
  private static final String ENDED =
      """
      ended() {
        [ -f "%1$s/$1.done" ] && return 0
        v=
        read v 2>/dev/null <"%1$s/$1.beat"
        eval "b=\\$b$2 m=\\${m$2:-0}"
        if [ "$v" != "$b" ]; then m=0; elif [ -n "$v" ]; then m=$((m + 1)); fi
        eval "b$2=\\$v m$2=\\$m"
        [ "$m" -ge %2$d ]
      }"""
          .formatted(RunVolume.PATH, SILENCE_SECONDS);

  /** Defines {@code name()}: every check passes. {@code missing} runs when a tool is missing. */
  private static void checks(Lines s, List<Check> checks, String name, String missing) {
    List<String> terms = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      Check c = checks.get(i);
      String fn = "try" + i;
      if (c.probe() instanceof ProbeCheck.Http h) {
        String wgetArgs =
            (h.tls() ? " --no-check-certificate" : "")
                + h.headers().stream()
                    .map(x -> " --header " + quote(x))
                    .collect(Collectors.joining());
        String curlArgs =
            (h.tls() ? " -k" : "")
                + h.headers().stream().map(x -> " -H " + quote(x)).collect(Collectors.joining());
        s.add("if command -v wget >/dev/null 2>&1; then");
        s.add("  " + fn + "() { wget -q -O /dev/null" + wgetArgs + " " + quote(h.url()) + "; }");
        s.add("elif command -v curl >/dev/null 2>&1; then");
        s.add("  " + fn + "() { curl -fs -o /dev/null" + curlArgs + " " + quote(h.url()) + "; }");
        s.add("else");
        s.add(
            "  echo \"convoy: the image of "
                + c.container()
                + "'s check has neither wget nor curl to get "
                + h.url()
                + "\" >&2");
        s.add("  " + missing);
        s.add("fi");
        terms.add("bounded " + c.seconds() + " " + fn);
      } else if (c.probe() instanceof ProbeCheck.Tcp t) {
        s.add("if ! command -v nc >/dev/null 2>&1; then");
        s.add(
            "  echo \"convoy: the image of "
                + c.container()
                + "'s check has no nc to connect to "
                + t.host()
                + ":"
                + t.port()
                + "\" >&2");
        s.add("  " + missing);
        s.add("fi");
        // Connected and still open after nc's connect timeout counts (busybox's nc has no -z).
        s.add(
            fn
                + "() { nc -w "
                + c.seconds()
                + " "
                + quote(t.host())
                + " "
                + t.port()
                + " </dev/null >/dev/null 2>&1; }");
        terms.add(
            "{ bounded "
                + (c.seconds() + 1)
                + " "
                + fn
                + "; _c=$?; [ \"$_c\" -eq 0 ] || [ \"$_c\" -eq 143 ]; }");
      } else if (c.probe() instanceof ProbeCheck.Exec e) {
        s.add(fn + "() { " + join(e.words()) + "; }");
        terms.add("bounded " + c.seconds() + " " + fn);
      } else {
        throw new IllegalArgumentException(
            "no check for " + c.container() + ": " + ((ProbeCheck.Unsupported) c.probe()).reason());
      }
    }
    s.add(name + "() { " + String.join(" && ", terms) + "; }");
  }

  /** {@code until check; do ...; done}, bounded in wall seconds. */
  private static void poll(Lines s, int seconds, String message, String onTimeout) {
    s.add("end=$(($(date +%s) + " + seconds + "))");
    s.add("until check; do");
    s.add("  if [ \"$(date +%s)\" -ge \"$end\" ]; then");
    s.add("    " + message);
    s.add("    " + onTimeout);
    s.add("  fi");
    s.add("  sleep 1");
    s.add("done");
  }

  private static String names(List<Check> checks) {
    return checks.stream().map(Check::container).distinct().collect(Collectors.joining(", "));
  }

  private static String all(List<String> containers, String event) {
    return containers.stream()
        .map(c -> "[ -f " + marker(c, event) + " ]")
        .collect(Collectors.joining(" && "));
  }

  static String marker(String container, String event) {
    return RunVolume.marker(container, event);
  }

  // ---- YAML shapes ----

  /** {@code [/bin/sh, -c, script]}. */
  static List<Object> sh(String script) {
    return new ArrayList<>(List.of("/bin/sh", "-c", script));
  }

  /** {@code {exec: {command: [/bin/sh, -c, script]}}}: a hook handler or a probe's action. */
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

  /**
   * The original command of a wrapped command (every {@code convoy-*} wrapper taken off, those of
   * older Convoy versions too), or the command itself.
   */
  static List<Object> unwrap(List<?> command) {
    List<?> c = command;
    while (c.size() >= 4
        && "/bin/sh".equals(c.get(0))
        && "-c".equals(c.get(1))
        && String.valueOf(c.get(3)).startsWith("convoy-")) {
      c = c.subList(4, c.size());
    }
    return new ArrayList<>(c);
  }

  /** Whether a hook handler or probe is one Convoy added (its script starts with the tag). */
  static boolean added(Map<?, ?> handler) {
    return handler != null
        && handler.get("exec") instanceof Map<?, ?> exec
        && exec.get("command") instanceof List<?> words
        && words.size() == 3
        && "/bin/sh".equals(words.get(0))
        && String.valueOf(words.get(2)).startsWith(TAG);
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

  /** Script lines; multi-line pieces are added as they are. */
  private static final class Lines {
    private final StringBuilder text = new StringBuilder();

    void add(String line) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(line);
    }

    String text() {
      return text.toString();
    }
  }
}

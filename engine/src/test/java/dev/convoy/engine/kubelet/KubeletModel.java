package dev.convoy.engine.kubelet;

import dev.convoy.engine.kubelet.PodContainer.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A small, deterministic model of how the kubelet runs a pod's containers, used to prove that
 * rendered pods honour their ordering edges in every sidecar mode, through restarts and failures.
 * It has no clock: what it models is which step can happen before which. One model is one pod:
 * {@link #start} it, then let containers {@link #exit} or be {@link #oomKill OOM-killed} (the
 * kubelet restarts them as the pod's restartPolicy says), then {@link #delete} it.
 *
 * <h2>Start</h2>
 *
 * <ol>
 *   <li>Init containers one by one, in list order. A regular init container runs to completion
 *       ({@code COMPLETED}) before the next starts. A native sidecar ({@code restartPolicy:
 *       Always}, on {@link Nodes#NATIVE_SIDECARS nodes that have them}) is {@code STARTED}, its
 *       postStart hook must complete, then its startupProbe must pass; then it is {@code READY} and
 *       the next init container starts. Without a startupProbe it counts as started at once, even
 *       when its process has already exited (the worst case of the kubelet's timing); an exited
 *       native sidecar is restarted. On nodes without native sidecars it is a plain init container.
 *   <li>Then app containers ({@code containers}) one by one, in list order: each is {@code STARTED}
 *       and its postStart hook must complete before the kubelet starts the next one (a blocking
 *       postStart holds the next container back). A hook that polls a probe fails when the
 *       container's process does not run (its command still waits); the kubelet kills the container
 *       and goes on with the next one.
 * </ol>
 *
 * <h2>Restarts and failures</h2>
 *
 * <p>A container whose process exits is restarted as the pod's restartPolicy says (Always: always;
 * OnFailure: unless it exited 0; Never: never), a native sidecar always. An OOM kill takes the
 * container's every process at once (memory.oom.group): its wrapper writes nothing.
 *
 * <h2>Stop</h2>
 *
 * <ol>
 *   <li>All regular containers at once: each runs its preStop hook, then gets SIGTERM and exits;
 *       those exits are concurrent (same round) unless a preStop waits for a marker, which delays
 *       that container to a later round. A bounded preStop ({@code end=$((...))}) that waits for
 *       something nobody will do gives up (a timed-out exit, in the last round).
 *   <li>Once every regular container has exited, native sidecars one at a time in reverse order of
 *       their start, each preStop then SIGTERM.
 *   <li>Everything is bounded by {@code terminationGracePeriodSeconds}: when an unbounded preStop
 *       waits for a marker nobody will write, the grace period runs out and every container still
 *       running is SIGKILLed in one round (its wrapper writes nothing).
 * </ol>
 *
 * <h2>The marker convention (renderers must follow it)</h2>
 *
 * <p>Containers coordinate through marker files in an {@code emptyDir} shared by every container
 * that takes part, mounted at {@code /convoy/run}: {@code <name>.ready} (passed its ready gate),
 * {@code <name>.running} (its process runs), {@code <name>.done} (exited for good), {@code
 * <name>.beat} (heartbeat), {@code <name>.probe|native|legacy} (universal handshake), {@code
 * <name>.exited} (hand-written pods). The model reads shell text only for these, in these forms
 * ({@link Scripts}):
 *
 * <ul>
 *   <li>A hook <b>waits</b> for a marker tested with {@code -f} in an {@code until} condition (or
 *       in a one-line test), and for its absence in a {@code while} condition; {@code if [ -f M ];
 *       then ...; exit 0; fi} passes at once when M exists. It writes ({@code : >M}, {@code touch
 *       M}) when it completes. A postStart that tests and writes no marker is a wait command (an
 *       image without a shell): its container is ready once it returns.
 *   <li>A command that runs the original command as {@code "$@"} (a wrapper): what it removes and
 *       writes before {@code "$@"} happens when its process starts, after it waited for the markers
 *       of an {@code until} loop there ({@code if ! { ... }; then ... exit 1; fi} gives up
 *       instead); what follows happens when its process has exited ({@code [ "$st" -ne 0 ] || : >M}
 *       only when it exited 0); a heartbeat write in its {@code while kill -0 $p} loop beats while
 *       it runs; its {@code finished()} function says when it stops its process: {@code [ -f M ] ||
 *       f=1} needs M, {@code ! [ -f M ] || f=1} needs M gone, {@code ended NAME I || f=1} needs
 *       NAME done or its heartbeat stopped.
 *   <li>Universal mode's handshake: the native copy ({@code if [ -f <n>.legacy ]; then exit 0; fi;
 *       if [ -f <n>.probe ]; then ... exec "$@"; fi; : ><n>.probe; exit 0}); the regular copy
 *       ({@code if [ -f <n>.native ]; then <idle or exit 0>; fi}).
 *   <li>Any other command: a write in a {@code trap ... TERM} happens as it exits on SIGTERM, other
 *       writes as it starts; an init container's {@code until} loop must be satisfied.
 * </ul>
 */
public final class KubeletModel {

  /** Kubernetes' default {@code terminationGracePeriodSeconds}. */
  public static final long DEFAULT_GRACE_PERIOD_SECONDS = 30;

  /**
   * How many times the model restarts a native sidecar during start-up before it calls it a crash
   * loop.
   */
  private static final int CRASH_LOOP = 4;

  /** Whether the kubelet runs {@code restartPolicy: Always} init containers as native sidecars. */
  public enum Nodes {
    NATIVE_SIDECARS,
    NO_NATIVE_SIDECARS
  }

  /** Where a container is. */
  public enum Phase {
    NOT_STARTED,
    /** Started by the kubelet; its command waits for markers before its process starts. */
    WAITING,
    RUNNING,
    /** Universal mode's regular copy stepping aside: it idles until stopped. */
    IDLE,
    EXITED
  }

  private final List<PodContainer> containers;
  private final String restartPolicy;
  private final long grace;
  private final Map<String, State> states = new HashMap<>();
  private final Set<Marker> markers = new LinkedHashSet<>();
  private final List<StartEvent> events = new ArrayList<>();
  private boolean deleting;
  private boolean starting;

  private static final class State {
    Phase phase = Phase.NOT_STARTED;
    int runs;
    int status;
    boolean beaten;
    boolean oomKilled;
  }

  private KubeletModel(Map<String, ?> podSpec, Nodes nodes) {
    this.containers = PodContainer.read(podSpec, nodes == Nodes.NATIVE_SIDECARS);
    Object policy = podSpec.get("restartPolicy");
    this.restartPolicy = policy == null ? "Always" : String.valueOf(policy);
    Object value = podSpec.get("terminationGracePeriodSeconds");
    this.grace = value instanceof Number n ? n.longValue() : DEFAULT_GRACE_PERIOD_SECONDS;
    containers.forEach(c -> states.put(c.name(), new State()));
  }

  /** A pod to run on a kind of node. */
  public static KubeletModel of(Map<String, ?> podSpec, Nodes nodes) {
    return new KubeletModel(podSpec, nodes);
  }

  /** Starts the pod on a node with native sidecars: see the class documentation. */
  public static StartTrace start(Map<String, ?> podSpec) {
    return of(podSpec, Nodes.NATIVE_SIDECARS).start();
  }

  /**
   * Starts a pod on a node with native sidecars, then stops it.
   *
   * @throws IllegalStateException if the pod never finishes starting, naming the stall
   */
  public static StopTrace stop(Map<String, ?> podSpec) {
    KubeletModel pod = of(podSpec, Nodes.NATIVE_SIDECARS);
    pod.start()
        .stall()
        .ifPresent(
            s -> {
              throw new IllegalStateException("the pod never starts: " + s);
            });
    return pod.delete();
  }

  // ---- start ----

  /** Starts the pod: see the class documentation. */
  public StartTrace start() {
    starting = true;
    try {
      for (PodContainer c : containers) {
        Optional<Stall> stall = c.kind() == Kind.APP ? startRegular(c) : startInit(c);
        if (stall.isPresent()) {
          return new StartTrace(names(), events, stall);
        }
        settle();
      }
      starting = false;
      restartExited();
      settle();
      return new StartTrace(names(), events, Optional.empty());
    } finally {
      starting = false;
    }
  }

  private Optional<Stall> startInit(PodContainer c) {
    for (int attempt = 0; attempt < CRASH_LOOP; attempt++) {
      startContainer(c);
      State s = states.get(c.name());
      if (c.kind() == Kind.INIT) {
        if (s.phase == Phase.WAITING) {
          return Optional.of(stall(c, "command", missing(flat(c.command().awaits()))));
        }
        if (s.phase == Phase.RUNNING) {
          exitProcess(c, 0);
        }
        if (s.status == 0) {
          events.add(new StartEvent(c.name(), StartEvent.Kind.COMPLETED));
          return Optional.empty();
        }
        continue;
      }
      Optional<Stall> hook = runHook(c, c.postStart(), "postStart");
      if (hook.isPresent()) {
        return hook;
      }
      if (!c.hasStartupProbe()) {
        // Counted as started at once: the kubelet may move on before the process exits.
        ready(c.name());
        return Optional.empty();
      }
      if (s.phase == Phase.RUNNING) {
        Scripts.Hook probe = c.startupProbe();
        List<Marker> missing = missing(probe.present());
        if (missing.isEmpty()) {
          ready(c.name());
          return Optional.empty();
        }
        return Optional.of(stall(c, "startupProbe", missing));
      }
      // Exited before its startupProbe passed: the kubelet restarts it.
    }
    return Optional.of(
        new Stall(c.name(), "startupProbe", List.of("a run that does not exit"), List.of()));
  }

  private Optional<Stall> startRegular(PodContainer c) {
    startContainer(c);
    Optional<Stall> stall = runHook(c, c.postStart(), "postStart");
    if (stall.isPresent()) {
      return stall;
    }
    return Optional.empty();
  }

  /**
   * Runs a blocking hook: a marker that is missing now can only come from a container that starts
   * later, which never happens while the kubelet is blocked here.
   */
  private Optional<Stall> runHook(PodContainer c, Scripts.Hook hook, String step) {
    if (hook != Scripts.Hook.NONE && states.get(c.name()).phase == Phase.EXITED) {
      // Its process already exited: the kubelet cannot exec into it, the hook fails, writes
      // nothing.
      return Optional.empty();
    }
    if (hook.skipIf() != null && markers.contains(hook.skipIf())) {
      write(hook.skipWrites());
      return Optional.empty();
    }
    markers.removeAll(hook.removes());
    List<Marker> missing = missing(hook.present());
    missing.addAll(hook.absent().stream().filter(markers::contains).toList());
    if (!missing.isEmpty()) {
      if (hook.bounded()) {
        fail(c);
        return Optional.empty();
      }
      return Optional.of(stall(c, step, missing));
    }
    if (hook.polls() && states.get(c.name()).phase != Phase.RUNNING) {
      // The gate polls the container's own probe, and its process does not run: it times out,
      // the kubelet kills the container (and restarts it as the pod says) and goes on.
      fail(c);
      return Optional.empty();
    }
    write(hook.writes());
    if (step.equals("postStart") && hook.opaque()) {
      // A wait command run as the hook (an image without a shell): ready once it returns.
      ready(c.name());
    }
    return Optional.empty();
  }

  /** The kubelet killed the container (a failed postStart): it writes nothing and may restart. */
  private void fail(PodContainer c) {
    State s = states.get(c.name());
    s.phase = Phase.EXITED;
    s.status = 137;
  }

  private void startContainer(PodContainer c) {
    State s = states.get(c.name());
    s.runs++;
    s.status = 0;
    s.oomKilled = false;
    if (starting && s.runs == 1) {
      events.add(new StartEvent(c.name(), StartEvent.Kind.STARTED));
    }
    Scripts.Command cmd = c.command();
    String n = cmd.name();
    if (cmd.handshake() == Scripts.Handshake.NATIVE_COPY) {
      if (markers.contains(new Marker(n, Marker.Event.LEGACY))) {
        exited(s, 0);
      } else if (markers.contains(new Marker(n, Marker.Event.PROBE))) {
        write(Set.of(new Marker(n, Marker.Event.NATIVE)));
        running(c, s);
      } else {
        write(Set.of(new Marker(n, Marker.Event.PROBE)));
        exited(s, 0);
      }
      return;
    }
    if (cmd.handshake() == Scripts.Handshake.REGULAR_COPY
        && markers.contains(new Marker(n, Marker.Event.NATIVE))) {
      if (cmd.idles()) {
        s.phase = Phase.IDLE;
      } else {
        exited(s, 0);
      }
      return;
    }
    if (!Scripts.satisfied(cmd.givesUp(), markers)) {
      write(cmd.givesUpWrites());
      exited(s, 1);
      return;
    }
    markers.removeAll(cmd.startRemoves());
    if (!Scripts.satisfied(cmd.awaits(), markers)) {
      s.phase = Phase.WAITING;
      return;
    }
    write(cmd.startWrites());
    running(c, s);
  }

  private void running(PodContainer c, State s) {
    s.phase = Phase.RUNNING;
    if (c.command().beats()) {
      s.beaten = true;
    }
    if (markers.contains(new Marker(c.name(), Marker.Event.READY))) {
      ready(c.name());
    }
  }

  private static void exited(State s, int status) {
    s.phase = Phase.EXITED;
    s.status = status;
  }

  // ---- restarts and failures ----

  /**
   * The container's process exits by itself with {@code status}; the kubelet restarts it as due.
   */
  public void exit(String container, int status) {
    PodContainer c = container(container);
    if (states.get(container).phase != Phase.RUNNING) {
      throw new IllegalStateException(
          container + " is not running: " + states.get(container).phase);
    }
    exitProcess(c, status);
    settle();
    restartExited();
    settle();
  }

  /** The OOM killer takes every process of the container at once: nothing is written. */
  public void oomKill(String container) {
    State s = states.get(container(container).name());
    s.phase = Phase.EXITED;
    s.status = 137;
    s.oomKilled = true;
    settle();
    restartExited();
    settle();
  }

  private void exitProcess(PodContainer c, int status) {
    Scripts.Command cmd = c.command();
    markers.removeAll(cmd.exitRemoves());
    write(cmd.exitWrites());
    if (status == 0) {
      write(cmd.successWrites());
    }
    exited(states.get(c.name()), status);
  }

  /** Waiting commands whose markers exist now start; watching wrappers whose apps ended stop. */
  private void settle() {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (PodContainer c : containers) {
        State s = states.get(c.name());
        Scripts.Command cmd = c.command();
        if (s.phase == Phase.WAITING && Scripts.satisfied(cmd.awaits(), markers)) {
          write(cmd.startWrites());
          running(c, s);
          changed = true;
        } else if (s.phase == Phase.RUNNING && cmd.watches() && watchHolds(cmd)) {
          exitProcess(c, 0);
          changed = true;
        }
      }
    }
  }

  private boolean watchHolds(Scripts.Command cmd) {
    return markers.containsAll(cmd.watchPresent())
        && cmd.watchAbsent().stream().noneMatch(markers::contains)
        && cmd.watchEnded().stream().allMatch(this::ended);
  }

  /** Done, or its heartbeat stopped: it beat once and its process is gone without a marker. */
  private boolean ended(String name) {
    if (markers.contains(new Marker(name, Marker.Event.DONE))) {
      return true;
    }
    State s = states.get(name);
    return s != null && s.beaten && s.phase == Phase.EXITED;
  }

  private void restartExited() {
    if (deleting) {
      return;
    }
    for (int round = 0; round < CRASH_LOOP; round++) {
      boolean any = false;
      for (PodContainer c : containers) {
        State s = states.get(c.name());
        if (s.phase != Phase.EXITED || c.kind() == Kind.INIT) {
          continue;
        }
        boolean restart =
            c.kind() == Kind.SIDECAR
                || switch (restartPolicy) {
                  case "Never" -> false;
                  case "OnFailure" -> s.status != 0;
                  default -> true;
                };
        if (restart) {
          startContainer(c);
          runHook(c, c.postStart(), "postStart");
          settle();
          any = true;
        }
      }
      if (!any) {
        return;
      }
    }
  }

  // ---- what the test sees ----

  public Phase phase(String container) {
    return states.get(container(container).name()).phase;
  }

  /** How often the kubelet has started the container. */
  public int runs(String container) {
    return states.get(container(container).name()).runs;
  }

  /**
   * The regular containers that have not ended for good (a pod that runs to completion completes
   * once this is empty).
   */
  public List<String> running() {
    return containers.stream()
        .filter(c -> c.kind() == Kind.APP)
        .filter(c -> states.get(c.name()).phase != Phase.EXITED)
        .map(PodContainer::name)
        .toList();
  }

  public boolean exists(Marker.Event event, String container) {
    return markers.contains(new Marker(container, event));
  }

  // ---- stop ----

  /** Deletes the pod: see the class documentation. */
  public StopTrace delete() {
    deleting = true;
    Stop stop = new Stop(grace <= 0);
    stop.concurrently(
        containers.stream()
            .filter(c -> c.kind() == Kind.APP && states.get(c.name()).phase != Phase.EXITED)
            .toList());
    List<PodContainer> sidecars =
        new ArrayList<>(
            containers.stream()
                .filter(c -> c.nativeSidecar() && states.get(c.name()).phase != Phase.EXITED)
                .toList());
    Collections.reverse(sidecars);
    for (int i = 0; i < sidecars.size(); i++) {
      if (!stop.one(sidecars.get(i))) {
        stop.kill(sidecars.subList(i, sidecars.size()));
        break;
      }
    }
    return new StopTrace(names(), stop.events, grace);
  }

  private boolean preStopFree(PodContainer c) {
    Scripts.Hook h = c.preStop();
    if (h.skipIf() != null && markers.contains(h.skipIf())) {
      return true;
    }
    return markers.containsAll(h.present()) && h.absent().stream().noneMatch(markers::contains);
  }

  private String awaited(PodContainer c) {
    Scripts.Hook h = c.preStop();
    List<Marker> waiting = missing(h.present());
    waiting.addAll(h.absent().stream().filter(markers::contains).toList());
    return waiting.stream().map(Marker::path).collect(Collectors.joining(", "));
  }

  /** SIGTERM after the preStop: a wrapper passes it on and its process exits. */
  private void terminate(PodContainer c) {
    State s = states.get(c.name());
    if (c.preStop().skipIf() == null || !markers.contains(c.preStop().skipIf())) {
      write(c.preStop().writes());
    }
    if (s.phase == Phase.RUNNING) {
      exitProcess(c, 0);
    } else {
      exited(s, 143);
    }
  }

  /** The state of a termination in progress. */
  private final class Stop {
    final List<StopEvent> events = new ArrayList<>();
    boolean expired;
    int round;

    Stop(boolean expired) {
      this.expired = expired;
    }

    /** Regular containers: preStop hooks run at once; a round's markers are seen by the next. */
    void concurrently(List<PodContainer> pending) {
      List<PodContainer> left = new ArrayList<>(pending);
      while (!left.isEmpty()) {
        List<PodContainer> free =
            expired ? List.of() : left.stream().filter(KubeletModel.this::preStopFree).toList();
        if (free.isEmpty()) {
          List<PodContainer> bounded = left.stream().filter(c -> c.preStop().bounded()).toList();
          if (expired || bounded.isEmpty()) {
            kill(left);
            return;
          }
          // Their preStop gives up at its bound; the kubelet then stops them.
          for (PodContainer c : bounded) {
            events.add(new StopEvent(c.name(), round, false, awaited(c), true));
            terminate(c);
          }
          left.removeAll(bounded);
          round++;
          continue;
        }
        for (PodContainer c : free) {
          events.add(new StopEvent(c.name(), round, false, "", false));
        }
        free.forEach(KubeletModel.this::terminate);
        left.removeAll(free);
        round++;
      }
    }

    /** One native sidecar; false, stopping nothing, when it cannot stop before the grace ends. */
    boolean one(PodContainer c) {
      if (expired) {
        return false;
      }
      if (!preStopFree(c)) {
        if (!c.preStop().bounded()) {
          return false;
        }
        events.add(new StopEvent(c.name(), round++, false, awaited(c), true));
      } else {
        events.add(new StopEvent(c.name(), round++, false, "", false));
      }
      terminate(c);
      return true;
    }

    /** The grace period has run out: SIGKILL for everything still running, together. */
    void kill(List<PodContainer> running) {
      if (running.isEmpty()) {
        return;
      }
      expired = true;
      for (PodContainer c : running) {
        events.add(new StopEvent(c.name(), round, true, awaited(c), false));
        exited(states.get(c.name()), 137);
      }
      round++;
    }
  }

  // ---- helpers ----

  private void write(Set<Marker> written) {
    for (Marker m : written) {
      if (markers.add(m) && m.event() == Marker.Event.READY) {
        State s = states.get(m.container());
        if (s != null && s.phase != Phase.NOT_STARTED) {
          ready(m.container());
        }
      }
    }
  }

  private void ready(String name) {
    StartEvent e = new StartEvent(name, StartEvent.Kind.READY);
    if (starting && !events.contains(e)) {
      events.add(e);
    }
  }

  private static Set<Marker> flat(List<Set<Marker>> groups) {
    Set<Marker> out = new LinkedHashSet<>();
    groups.forEach(out::addAll);
    return out;
  }

  private List<Marker> missing(Set<Marker> needed) {
    return new ArrayList<>(needed.stream().filter(m -> !markers.contains(m)).toList());
  }

  private Stall stall(PodContainer c, String step, List<Marker> missing) {
    List<String> notStarted =
        missing.stream()
            .map(Marker::container)
            .filter(n -> states.containsKey(n) && states.get(n).phase == Phase.NOT_STARTED)
            .distinct()
            .toList();
    return new Stall(c.name(), step, missing.stream().map(Marker::path).toList(), notStarted);
  }

  private Set<String> names() {
    return containers.stream()
        .map(PodContainer::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private PodContainer container(String name) {
    return containers.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no container " + name + " in " + names()));
  }
}

package dev.convoy.engine.kubelet;

import dev.convoy.engine.kubelet.PodContainer.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A small, deterministic model of how the kubelet starts and stops a pod's containers, used to
 * prove that rendered pods honour their ordering edges in every sidecar mode. It has no clock: what
 * it models is which step can happen before which.
 *
 * <h2>Start</h2>
 *
 * <ol>
 *   <li>Init containers one by one, in list order. A regular init container runs to completion
 *       ({@code COMPLETED}) before the next starts. A native sidecar ({@code restartPolicy:
 *       Always}) is {@code STARTED}, its postStart hook must complete, then its startupProbe must
 *       pass (immediately when it has none); then it is {@code READY} and the next init container
 *       starts.
 *   <li>Then app containers ({@code containers}) one by one, in list order: each is {@code STARTED}
 *       and its postStart hook must complete before the kubelet starts the next one (seed 003: a
 *       blocking postStart holds the next container back). Their startupProbes are not waited for.
 * </ol>
 *
 * <h2>Stop</h2>
 *
 * <ol>
 *   <li>All app containers at once: each runs its preStop hook, then gets SIGTERM and exits; those
 *       exits are concurrent (same round) unless a preStop waits for a marker, which delays that
 *       container to a later round.
 *   <li>Once every app container has exited, native sidecars one at a time in reverse order of
 *       their start, each preStop then SIGTERM.
 *   <li>Everything is bounded by {@code terminationGracePeriodSeconds}: when a preStop waits for a
 *       marker nobody will write, the grace period runs out and every container still running is
 *       SIGKILLed in one round (its TERM trap does not run, so it writes no marker).
 * </ol>
 *
 * <h2>The marker convention (renderers must follow it)</h2>
 *
 * <p>Containers coordinate through marker files in an {@code emptyDir} shared by every container
 * that takes part, mounted at {@code /convoy/run}. The model reads shell text only to find these
 * markers; everything else a script does (polling an HTTP probe, sleeping) is assumed to finish
 * once the container runs.
 *
 * <ul>
 *   <li>{@code /convoy/run/<name>.ready}: container {@code <name>} has passed its ready gate.
 *   <li>{@code /convoy/run/<name>.exited}: container {@code <name>}'s main process has exited.
 *   <li>A script <b>waits</b> for a marker when it polls the file with {@code -f} or {@code -e}, as
 *       in {@code until [ -f /convoy/run/proxy.ready ]; do sleep 1; done} or {@code test -f
 *       /convoy/run/app.exited}.
 *   <li>A script <b>writes</b> a marker with {@code touch /convoy/run/<name>.<event>} or a
 *       redirection {@code > /convoy/run/...}.
 * </ul>
 *
 * <p>When a write takes effect:
 *
 * <ul>
 *   <li>in a postStart or preStop hook: when the hook completes, i.e. after every wait in it;
 *   <li>in a container's {@code command}/{@code args}: a {@code .ready} marker as the container
 *       starts; an {@code .exited} marker as it exits on SIGTERM (render it in a {@code trap ...
 *       TERM} or after the wrapped process), never when it is SIGKILLed.
 * </ul>
 *
 * <p>So a legacy pre sidecar {@code proxy} with a ready gate gets a postStart hook like {@code sh
 * -c 'until wget -qO- http://127.0.0.1:15021/ready; do sleep 1; done; touch
 * /convoy/run/proxy.ready'}: the kubelet holds the next container until it completes, and the model
 * counts {@code proxy} {@code READY} at that point. A legacy sidecar that must stop after {@code
 * app} gets a preStop {@code until [ -f /convoy/run/app.exited ]; do sleep 1; done} and {@code
 * app}'s command is wrapped to {@code touch /convoy/run/app.exited} on exit. A native sidecar needs
 * no marker: its startupProbe is its ready gate and the kubelet orders its stop.
 */
public final class KubeletModel {

  /** Kubernetes' default {@code terminationGracePeriodSeconds}. */
  public static final long DEFAULT_GRACE_PERIOD_SECONDS = 30;

  private KubeletModel() {}

  /** Starts the pod: see the class documentation. */
  public static StartTrace start(Map<String, ?> podSpec) {
    List<PodContainer> containers = PodContainer.read(podSpec);
    Start start = new Start();
    for (PodContainer c : containers) {
      Optional<Stall> stall = start.run(c, containers);
      if (stall.isPresent()) {
        return new StartTrace(names(containers), start.events, stall);
      }
    }
    return new StartTrace(names(containers), start.events, Optional.empty());
  }

  /**
   * Stops a pod that has fully started: see the class documentation.
   *
   * @throws IllegalStateException if the pod never finishes starting, naming the stall
   */
  public static StopTrace stop(Map<String, ?> podSpec) {
    List<PodContainer> containers = PodContainer.read(podSpec);
    Start start = new Start();
    for (PodContainer c : containers) {
      start
          .run(c, containers)
          .ifPresent(
              s -> {
                throw new IllegalStateException("the pod never starts: " + s);
              });
    }
    long grace = gracePeriod(podSpec);
    Stop stop = new Stop(start.markers, grace <= 0);

    stop.concurrently(containers.stream().filter(c -> c.kind() == Kind.APP).toList());
    List<PodContainer> sidecars =
        new ArrayList<>(containers.stream().filter(PodContainer::nativeSidecar).toList());
    Collections.reverse(sidecars);
    for (int i = 0; i < sidecars.size(); i++) {
      if (!stop.one(sidecars.get(i))) {
        stop.kill(sidecars.subList(i, sidecars.size()));
        break;
      }
    }
    return new StopTrace(names(containers), stop.events, grace);
  }

  private static long gracePeriod(Map<String, ?> podSpec) {
    Object value = podSpec.get("terminationGracePeriodSeconds");
    return value instanceof Number n ? n.longValue() : DEFAULT_GRACE_PERIOD_SECONDS;
  }

  private static Set<String> names(List<PodContainer> containers) {
    return containers.stream()
        .map(PodContainer::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static List<Marker> missing(String script, Set<Marker> markers) {
    return Marker.awaitedBy(script).stream().filter(m -> !markers.contains(m)).toList();
  }

  /** The state of a start-up in progress. */
  private static final class Start {
    final List<StartEvent> events = new ArrayList<>();
    final Set<Marker> markers = new LinkedHashSet<>();
    final Set<String> started = new LinkedHashSet<>();
    final Set<String> ready = new LinkedHashSet<>();

    Optional<Stall> run(PodContainer c, List<PodContainer> pod) {
      events.add(new StartEvent(c.name(), StartEvent.Kind.STARTED));
      started.add(c.name());
      if (markers.contains(new Marker(c.name(), Marker.Event.READY))) {
        ready(c.name());
      }
      write(Marker.writtenBy(c.command(), Marker.Event.READY));
      if (c.kind() == Kind.INIT) {
        Optional<Stall> stall = await(c, "command", c.command(), pod);
        if (stall.isEmpty()) {
          events.add(new StartEvent(c.name(), StartEvent.Kind.COMPLETED));
        }
        return stall;
      }
      Optional<Stall> stall = await(c, "postStart", c.postStart(), pod);
      if (stall.isPresent()) {
        return stall;
      }
      write(Marker.writtenBy(c.postStart()));
      if (c.nativeSidecar()) {
        stall = await(c, "startupProbe", c.startupProbe(), pod);
        if (stall.isPresent()) {
          return stall;
        }
        ready(c.name());
      }
      return Optional.empty();
    }

    /**
     * The kubelet is blocked on this step, so no other container starts meanwhile: a marker that is
     * missing now can only come from a container that starts later, which never happens.
     */
    private Optional<Stall> await(
        PodContainer c, String step, String script, List<PodContainer> pod) {
      List<Marker> missing = missing(script, markers);
      if (missing.isEmpty()) {
        return Optional.empty();
      }
      List<String> notStarted =
          missing.stream()
              .map(Marker::container)
              .filter(n -> !started.contains(n))
              .distinct()
              .toList();
      return Optional.of(
          new Stall(c.name(), step, missing.stream().map(Marker::path).toList(), notStarted));
    }

    private void write(Set<Marker> written) {
      for (Marker m : written) {
        if (markers.add(m) && m.event() == Marker.Event.READY && started.contains(m.container())) {
          ready(m.container());
        }
      }
    }

    private void ready(String name) {
      if (ready.add(name)) {
        events.add(new StartEvent(name, StartEvent.Kind.READY));
      }
    }
  }

  /** The state of a termination in progress. */
  private static final class Stop {
    final List<StopEvent> events = new ArrayList<>();
    final Set<Marker> markers;
    boolean expired;
    int round;

    Stop(Set<Marker> markers, boolean expired) {
      this.markers = new LinkedHashSet<>(markers);
      this.expired = expired;
    }

    /** App containers: preStop hooks run at once; a round's markers are seen by the next round. */
    void concurrently(List<PodContainer> pending) {
      List<PodContainer> left = new ArrayList<>(pending);
      while (!left.isEmpty()) {
        List<PodContainer> free =
            expired
                ? List.of()
                : left.stream().filter(c -> missing(c.preStop(), markers).isEmpty()).toList();
        if (free.isEmpty()) {
          kill(left);
          return;
        }
        Set<Marker> written = new LinkedHashSet<>();
        for (PodContainer c : free) {
          events.add(new StopEvent(c.name(), round, false, ""));
          written.addAll(exitMarkers(c));
        }
        markers.addAll(written);
        left.removeAll(free);
        round++;
      }
    }

    /**
     * One native sidecar; false, stopping nothing, when the grace period is over or its preStop
     * waits for ever (which ends it): the caller then kills it with every sidecar left.
     */
    boolean one(PodContainer c) {
      if (expired || !missing(c.preStop(), markers).isEmpty()) {
        return false;
      }
      events.add(new StopEvent(c.name(), round++, false, ""));
      markers.addAll(exitMarkers(c));
      return true;
    }

    /** The grace period has run out: SIGKILL for everything still running, together. */
    void kill(List<PodContainer> running) {
      if (running.isEmpty()) {
        return;
      }
      expired = true;
      for (PodContainer c : running) {
        String awaited =
            missing(c.preStop(), markers).stream()
                .map(Marker::path)
                .collect(Collectors.joining(", "));
        events.add(new StopEvent(c.name(), round, true, awaited));
      }
      round++;
    }

    private static Set<Marker> exitMarkers(PodContainer c) {
      Set<Marker> written = new LinkedHashSet<>(Marker.writtenBy(c.preStop()));
      written.addAll(Marker.writtenBy(c.command(), Marker.Event.EXITED));
      return written;
    }
  }
}

package dev.convoy.engine.kubelet.shell;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Plays the kubelet for one rendered pod with real processes, so the scripts Convoy renders run for
 * real under {@link Shell dash or busybox ash}. Each container is a process (its own process group,
 * killed as a whole when its main process exits, as a PID namespace is); each {@code emptyDir} is a
 * temp folder (the scripts' {@code /convoy/run} is rewritten to it, as a volume mount would place
 * it); each probe port is an {@link Endpoint} at a dynamic port on 127.0.0.1 (rewritten the same
 * way).
 *
 * <p>The sequence is the kubelet's: init containers one by one (a native sidecar, on nodes that
 * have them, is started, its {@code postStart} awaited and its {@code startupProbe} passed before
 * the next; elsewhere it is a plain init container that must exit 0); then regular containers one
 * by one, each {@code postStart} hook awaited before the next container starts (a failing hook gets
 * the container killed, and the kubelet goes on with the next one). Exited containers are restarted
 * as the pod's {@code restartPolicy} says (native sidecars always), after a short back-off instead
 * of the kubelet's 10 s. A pod whose regular containers are all done completes: its native sidecars
 * are stopped in reverse order. {@link #delete} runs every running regular container's {@code
 * preStop} hook, then its stop signal, and SIGKILLs what is left at the end of the grace period (at
 * least 2 s after a {@code preStop} returned, as the kubelet does); native sidecars follow in
 * reverse start order. The worst case of the kubelet's timing is taken where it has a choice: a
 * native sidecar without a {@code startupProbe} counts as started at once.
 */
final class ShellPod implements AutoCloseable {

  /** Whether the node runs native sidecars (Kubernetes 1.29+) or treats them as init containers. */
  enum Nodes {
    WITH_NATIVE_SIDECARS,
    WITHOUT_NATIVE_SIDECARS
  }

  enum Phase {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  /**
   * Something the kubelet did or saw.
   *
   * @param at milliseconds since the pod was created
   * @param container the container
   * @param what {@code start}, {@code exit}, {@code postStart}, {@code preStop} (hook returned),
   *     {@code signal:TERM}, {@code kill}, {@code started} (startupProbe passed), {@code oom}
   * @param run the container's run, 1 for its first start
   * @param status the exit status (exit, hooks), else 0
   */
  record Event(long at, String container, String what, int run, int status) {
    @Override
    public String toString() {
      return at + "ms " + container + "#" + run + " " + what + (status != 0 ? " " + status : "");
    }
  }

  private static final Duration BACKOFF = Duration.ofMillis(300);

  /**
   * How a container's process starts: with default signal dispositions (a runtime starts PID 1 so;
   * a test JVM may have inherited an ignored SIGQUIT, which a shell could then not trap) and in a
   * process group of its own (what a PID namespace kills as a whole).
   */
  private static final List<String> CONTAINER_PROCESS =
      List.of("/usr/bin/env", "--default-signal", "/usr/bin/setsid");

  private static final long MIN_GRACE_AFTER_PRESTOP_MILLIS = 2_000;
  private static final long HOOK_SAFETY_MILLIS = 60_000;

  private final Map<String, Object> spec;
  private final Shell shell;
  private final Nodes nodes;
  private final Path dir;
  private final Path bin;
  private final Path state;
  private final Map<String, Path> volumes = new HashMap<>();
  private final Map<Integer, Endpoint> endpoints;
  private final Map<String, Map<String, String>> env;
  private final Map<String, String> stopSignals;
  private final Set<String> imagePullFails;
  private final String restartPolicy;
  private final long gracePeriodSeconds;
  private final List<Box> init = new ArrayList<>();
  private final List<Box> regular = new ArrayList<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final long t0 = System.nanoTime();
  private final Object lock = new Object();
  private volatile boolean deleting;

  /** Every container process group started, so close() leaves none behind. */
  private final List<Long> groups = new java.util.concurrent.CopyOnWriteArrayList<>();

  private volatile Phase phase = Phase.PENDING;
  private volatile RuntimeException failure;
  private final HttpClient probes =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Thread kubelet;

  /** One container: its spec and its current process. */
  private final class Box {
    final String name;
    final Map<String, Object> c;
    final boolean nativeSidecar;
    Process process;
    OutputStream stdin;
    int runs;
    Integer lastExit;
    long exitedAt;
    boolean finished;
    final List<Process> hooks = new CopyOnWriteArrayList<>();

    Box(Map<String, Object> c, boolean initContainer) {
      this.c = c;
      this.name = String.valueOf(c.get("name"));
      this.nativeSidecar =
          initContainer
              && "Always".equals(c.get("restartPolicy"))
              && nodes == Nodes.WITH_NATIVE_SIDECARS;
    }

    boolean alive() {
      Process p = process;
      return p != null && p.isAlive();
    }
  }

  private ShellPod(Builder b) {
    this.spec = b.spec;
    this.shell = b.shell;
    this.nodes = b.nodes;
    this.dir = b.dir;
    this.env = b.env;
    this.stopSignals = b.stopSignals;
    this.imagePullFails = b.imagePullFails;
    this.restartPolicy = String.valueOf(spec.getOrDefault("restartPolicy", "Always"));
    this.gracePeriodSeconds =
        spec.get("terminationGracePeriodSeconds") instanceof Number n ? n.longValue() : 30;
    try {
      this.state = Files.createDirectories(dir.resolve("state"));
      Files.createDirectories(dir.resolve("logs"));
      for (Map<String, Object> v : maps(spec.get("volumes"))) {
        if (v.containsKey("emptyDir")) {
          volumes.put(
              String.valueOf(v.get("name")),
              Files.createDirectories(
                  dir.resolve("volumes").resolve(String.valueOf(v.get("name")))));
        }
      }
      Files.writeString(state.resolve("log"), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.bin = shell.binDir(dir, b.fakes);
    this.endpoints = new HashMap<>();
    for (Map.Entry<Integer, Builder.EndpointSpec> e : b.endpoints.entrySet()) {
      Builder.EndpointSpec s = e.getValue();
      BooleanSupplier up =
          () -> s.stubs().stream().allMatch(n -> Files.exists(state.resolve(n + ".up")));
      endpoints.put(
          e.getKey(), s.tcp() ? Endpoint.tcp(up, t0) : Endpoint.http(up, s.header(), s.hang(), t0));
    }
    for (Map<String, Object> c : maps(spec.get("initContainers"))) {
      init.add(new Box(c, true));
    }
    for (Map<String, Object> c : maps(spec.get("containers"))) {
      regular.add(new Box(c, false));
    }
  }

  static Builder of(Map<String, Object> podSpec, Shell shell, Nodes nodes, Path dir) {
    return new Builder(podSpec, shell, nodes, dir);
  }

  /** What the test sets up around the pod. */
  static final class Builder {
    record EndpointSpec(List<String> stubs, boolean tcp, String header, boolean hang) {}

    private final Map<String, Object> spec;
    private final Shell shell;
    private final Nodes nodes;
    private final Path dir;
    private final Map<Integer, EndpointSpec> endpoints = new HashMap<>();
    private final Map<String, Map<String, String>> env = new HashMap<>();
    private final Map<String, String> stopSignals = new HashMap<>();
    private final Set<String> imagePullFails = new HashSet<>();
    private final Map<String, String> fakes = new LinkedHashMap<>();

    private Builder(Map<String, Object> spec, Shell shell, Nodes nodes, Path dir) {
      this.spec = spec;
      this.shell = shell;
      this.nodes = nodes;
      this.dir = dir;
    }

    /** An HTTP endpoint for {@code port}, ready while every named fake program is up. */
    Builder http(int port, String... stubs) {
      endpoints.put(port, new EndpointSpec(List.of(stubs), false, null, false));
      return this;
    }

    /** An HTTP endpoint that answers 200 only to requests with the header {@code Name: value}. */
    Builder httpWithHeader(int port, String header, String... stubs) {
      endpoints.put(port, new EndpointSpec(List.of(stubs), false, header, false));
      return this;
    }

    /** An HTTP endpoint that accepts connections and never answers. */
    Builder hangingHttp(int port) {
      endpoints.put(port, new EndpointSpec(List.of(), false, null, true));
      return this;
    }

    /** A TCP port open while every named fake program is up. */
    Builder tcp(int port, String... stubs) {
      endpoints.put(port, new EndpointSpec(List.of(stubs), true, null, false));
      return this;
    }

    Builder env(String container, String name, String value) {
      env.computeIfAbsent(container, k -> new LinkedHashMap<>()).put(name, value);
      return this;
    }

    /** The signal the container's image stops with ({@code STOPSIGNAL}); TERM by default. */
    Builder stopSignal(String container, String signal) {
      stopSignals.put(container, signal);
      return this;
    }

    /** The container's image cannot be pulled: the kubelet never starts it. */
    Builder imagePullFails(String container) {
      imagePullFails.add(container);
      return this;
    }

    Builder fake(String name, String text) {
      fakes.put(name, text);
      return this;
    }

    ShellPod start() {
      ShellPod pod = new ShellPod(this);
      pod.kubelet = new Thread(pod::sync, "kubelet");
      pod.kubelet.setDaemon(true);
      pod.kubelet.start();
      return pod;
    }
  }

  // ---- what the test sees ----

  List<Event> events() {
    return List.copyOf(events);
  }

  Phase phase() {
    return phase;
  }

  /** The fake programs' own log ({@code proxy start}, {@code web term 2}, ...), in order. */
  List<String> log() {
    try {
      return Files.readAllLines(state.resolve("log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int runs(String container) {
    return box(container).runs;
  }

  boolean alive(String container) {
    return box(container).alive();
  }

  Endpoint endpoint(int port) {
    return endpoints.get(port);
  }

  long now() {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** The first event of a container matching {@code what}, or null. */
  Event first(String container, String what) {
    return events.stream()
        .filter(e -> e.container().equals(container) && e.what().equals(what))
        .findFirst()
        .orElse(null);
  }

  /** Waits until {@code condition} holds; false after {@code timeout}. */
  boolean await(BooleanSupplier condition, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Endpoint.sleepQuietly(50);
    }
    return condition.getAsBoolean();
  }

  /** Waits for an event; null after {@code timeout}. */
  Event awaitEvent(String container, String what, int run, Duration timeout) {
    Event[] found = new Event[1];
    await(
        () -> {
          for (Event e : events) {
            if (e.container().equals(container) && e.what().equals(what) && e.run() >= run) {
              found[0] = e;
              return true;
            }
          }
          return false;
        },
        timeout);
    return found[0];
  }

  /** Everything the pod did, for assertion messages: kubelet events, the fakes' log, outputs. */
  String report() {
    StringBuilder sb = new StringBuilder("phase ").append(phase).append("\nkubelet:\n");
    if (failure != null) {
      java.io.StringWriter trace = new java.io.StringWriter();
      failure.printStackTrace(new java.io.PrintWriter(trace));
      sb.append("  the kubelet thread failed: ").append(trace).append('\n');
    }
    events.forEach(e -> sb.append("  ").append(e).append('\n'));
    sb.append("programs:\n");
    log().forEach(l -> sb.append("  ").append(l).append('\n'));
    try (var files = Files.list(dir.resolve("logs"))) {
      for (Path f : files.sorted().toList()) {
        String text = Files.readString(f).strip();
        if (!text.isEmpty()) {
          sb.append(f.getFileName())
              .append(":\n  ")
              .append(text.replace("\n", "\n  "))
              .append('\n');
        }
      }
    } catch (IOException e) {
      sb.append("(logs unreadable: ").append(e).append(")\n");
    }
    return sb.toString();
  }

  // ---- what the test does ----

  /** Sends a signal to the container's main process. */
  void signal(String container, String signal) {
    Box b = box(container);
    Process p = b.process;
    if (p != null && p.isAlive()) {
      record(b, "signal:" + signal, 0);
      kill("-" + signal, String.valueOf(p.pid()));
    }
  }

  /** Writes to the container's stdin (it must set {@code stdin: true}). */
  void writeStdin(String container, String text) {
    Box b = box(container);
    try {
      b.stdin.write(text.getBytes(StandardCharsets.UTF_8));
      b.stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The kernel's OOM killer with {@code memory.oom.group} (what the kubelet sets on cgroup v2 since
   * 1.28): every process of the container is SIGKILLed at once, the wrapper with the app.
   */
  void oomKill(String container) {
    Box b = box(container);
    Process p = b.process;
    if (p != null && p.isAlive()) {
      record(b, "oom", 0);
      killGroup(b, p);
    }
  }

  /**
   * Deletes the pod with its grace period and waits until every container has exited.
   *
   * @return how long termination took, in milliseconds
   */
  long delete() {
    return delete(gracePeriodSeconds);
  }

  long delete(long graceSeconds) {
    long start = now();
    deleting = true;
    long deadline = start + graceSeconds * 1000;
    List<Thread> stopping = new ArrayList<>();
    for (Box b : regular) {
      if (b.alive()) {
        Thread t = new Thread(() -> stop(b, deadline), "stop " + b.name);
        t.start();
        stopping.add(t);
      }
    }
    joinAll(stopping);
    List<Box> sidecars = new ArrayList<>(init.stream().filter(b -> b.nativeSidecar).toList());
    Collections.reverse(sidecars);
    for (Box b : sidecars) {
      if (b.alive()) {
        stop(b, deadline);
      }
    }
    joinAll(List.of(kubelet));
    for (Box b : all()) {
      if (b.alive()) {
        killGroup(b, b.process);
      }
    }
    return now() - start;
  }

  /** Waits until the pod has completed (its regular containers are done); false on timeout. */
  boolean awaitCompletion(Duration timeout) {
    return await(() -> phase == Phase.SUCCEEDED || phase == Phase.FAILED, timeout);
  }

  @Override
  public void close() {
    deleting = true;
    // The kubelet first: it may be starting or restarting a container right now, which would then
    // outlive the test (and spin once its temp folder, with the fake binaries, is gone).
    if (kubelet != null) {
      kubelet.interrupt();
      try {
        kubelet.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Box b : all()) {
      for (Process h : b.hooks) {
        h.destroyForcibly();
      }
    }
    for (long group : groups) {
      kill("-KILL", "-" + group);
    }
    endpoints.values().forEach(Endpoint::close);
  }

  // ---- the kubelet ----

  private void sync() {
    try {
      syncPod();
    } catch (RuntimeException e) {
      failure = e;
      events.add(new Event(now(), "kubelet", "error: " + e, 0, 0));
    }
  }

  private void syncPod() {
    try {
      phase = Phase.PENDING;
      for (Box b : init) {
        if (!runInit(b)) {
          return;
        }
      }
      phase = Phase.RUNNING;
      for (Box b : regular) {
        if (deleting) {
          return;
        }
        startRegular(b);
      }
      while (!deleting) {
        for (Box b : regular) {
          if (!deleting && !b.finished && b.process != null && !b.alive() && b.lastExit != null) {
            if (restarts(b.lastExit)) {
              if (now() >= b.exitedAt + BACKOFF.toMillis()) {
                startRegular(b);
              }
            } else {
              b.finished = true;
            }
          }
        }
        for (Box b : init) {
          if (!deleting && b.nativeSidecar && b.process != null && !b.alive()) {
            if (now() >= b.exitedAt + BACKOFF.toMillis()) {
              startContainer(b);
              postStart(b);
            }
          }
        }
        if (regular.stream().allMatch(b -> b.finished)) {
          complete();
          return;
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean restarts(int status) {
    return switch (restartPolicy) {
      case "Never" -> false;
      case "OnFailure" -> status != 0;
      default -> true;
    };
  }

  /** An init container: a native sidecar until started, else until it has exited 0. */
  private boolean runInit(Box b) throws InterruptedException {
    while (!deleting) {
      startContainer(b);
      if (b.nativeSidecar) {
        if (postStart(b) && startupProbe(b)) {
          return true;
        }
        if (b.alive()) {
          killGroup(b, b.process);
        }
      } else {
        int status = waitFor(b);
        if (status == 0) {
          return true;
        }
        if (restartPolicy.equals("Never")) {
          phase = Phase.FAILED;
          return false;
        }
      }
      Thread.sleep(BACKOFF.toMillis());
    }
    return false;
  }

  private void startRegular(Box b) {
    if (imagePullFails.contains(b.name)) {
      return;
    }
    startContainer(b);
    if (!postStart(b) && b.alive()) {
      // FailedPostStartHook: the kubelet kills the container and goes on with the next one.
      record(b, "kill", 0);
      killGroup(b, b.process);
      awaitExit(b, 2_000);
    }
  }

  /** The pod's regular containers are done: native sidecars are stopped in reverse order. */
  private void complete() {
    List<Box> sidecars = new ArrayList<>(init.stream().filter(x -> x.nativeSidecar).toList());
    Collections.reverse(sidecars);
    long deadline = now() + gracePeriodSeconds * 1000;
    for (Box s : sidecars) {
      if (s.alive()) {
        stop(s, deadline);
      }
    }
    boolean ok =
        regular.stream().allMatch(b -> b.lastExit != null && b.lastExit == 0) && !regular.isEmpty();
    phase = ok ? Phase.SUCCEEDED : Phase.FAILED;
  }

  private void startContainer(Box b) {
    synchronized (lock) {
      List<String> words = new ArrayList<>(strings(b.c.get("command")));
      words.addAll(strings(b.c.get("args")));
      if (words.isEmpty()) {
        throw new IllegalStateException(
            b.name + " has no command: the test cannot know its image's entrypoint");
      }
      List<String> argv = new ArrayList<>(CONTAINER_PROCESS);
      argv.addAll(shell.resolve(rewrite(b, words), bin));
      ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
      environment(b, pb.environment());
      Path log = dir.resolve("logs").resolve(b.name + "." + (b.runs + 1) + ".log");
      pb.redirectOutput(log.toFile()).redirectErrorStream(true);
      boolean stdin = Boolean.TRUE.equals(b.c.get("stdin"));
      if (!stdin) {
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      try {
        b.lastExit = null;
        Process p = pb.start();
        groups.add(p.pid());
        b.runs++;
        b.process = p;
        b.stdin = stdin ? p.getOutputStream() : null;
        record(b, "start", 0);
        int run = b.runs;
        p.onExit()
            .thenAccept(
                done -> {
                  b.lastExit = done.exitValue();
                  b.exitedAt = now();
                  events.add(new Event(b.exitedAt, b.name, "exit", run, done.exitValue()));
                  // The container's PID namespace goes with its main process.
                  kill("-KILL", "-" + done.pid());
                  b.hooks.forEach(Process::destroyForcibly);
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Runs the postStart hook to completion; true when there is none or it exits 0. */
  private boolean postStart(Box b) {
    List<String> hook = hook(b, "postStart");
    if (hook == null) {
      return true;
    }
    int status = exec(b, hook, HOOK_SAFETY_MILLIS);
    record(b, "postStart", status);
    return status == 0;
  }

  /** A native sidecar's startupProbe, as the kubelet runs it; true once it passes. */
  private boolean startupProbe(Box b) throws InterruptedException {
    @SuppressWarnings("unchecked")
    Map<String, Object> probe = (Map<String, Object>) b.c.get("startupProbe");
    if (probe == null) {
      record(b, "started", 0);
      return true;
    }
    long period = seconds(probe, "periodSeconds", 10);
    long threshold = seconds(probe, "failureThreshold", 3);
    long timeout = seconds(probe, "timeoutSeconds", 1);
    Thread.sleep(seconds(probe, "initialDelaySeconds", 0) * 1000);
    int failures = 0;
    while (!deleting) {
      if (!b.alive()) {
        return false;
      }
      if (probe(b, probe, timeout)) {
        record(b, "started", 0);
        return true;
      }
      if (++failures >= threshold) {
        return false;
      }
      Thread.sleep(period * 1000);
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private boolean probe(Box b, Map<String, Object> probe, long timeoutSeconds) {
    if (probe.get("exec") instanceof Map<?, ?> exec) {
      return exec(b, strings(((Map<String, Object>) exec).get("command")), timeoutSeconds * 1000)
          == 0;
    }
    if (probe.get("httpGet") instanceof Map<?, ?> http) {
      int port = port(((Map<String, Object>) http).get("port"));
      String path = String.valueOf(((Map<String, Object>) http).getOrDefault("path", "/"));
      try {
        HttpRequest.Builder req =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(timeoutSeconds));
        for (Map<String, Object> h : maps(((Map<String, Object>) http).get("httpHeaders"))) {
          req.header(String.valueOf(h.get("name")), String.valueOf(h.get("value")));
        }
        int status = probes.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        return status >= 200 && status < 400;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    if (probe.get("tcpSocket") instanceof Map<?, ?> tcp) {
      try (Socket s = new Socket()) {
        s.connect(
            new InetSocketAddress(
                InetAddress.getLoopbackAddress(), port(((Map<String, Object>) tcp).get("port"))),
            (int) timeoutSeconds * 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** A container's stop: preStop (bounded by the deadline), its stop signal, SIGKILL at the end. */
  private void stop(Box b, long deadline) {
    List<String> hook = hook(b, "preStop");
    long killAt = deadline;
    if (hook != null) {
      int status = exec(b, hook, Math.max(0, deadline - now()));
      record(b, "preStop", status);
      killAt = Math.max(deadline, now() + MIN_GRACE_AFTER_PRESTOP_MILLIS);
    }
    Process p = b.process;
    if (p == null || !p.isAlive()) {
      return;
    }
    String signal = stopSignals.getOrDefault(b.name, "TERM");
    record(b, "signal:" + signal, 0);
    kill("-" + signal, String.valueOf(p.pid()));
    if (!awaitExit(b, Math.max(0, killAt - now()))) {
      record(b, "kill", 0);
      killGroup(b, p);
      awaitExit(b, 2_000);
    }
  }

  /** Runs an exec action inside the container (same userland, volumes and ports). */
  private int exec(Box b, List<String> words, long timeoutMillis) {
    List<String> argv = new ArrayList<>(CONTAINER_PROCESS);
    argv.addAll(shell.resolve(rewrite(b, words), bin));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
    environment(b, pb.environment());
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Path log = dir.resolve("logs").resolve(b.name + ".hooks.log");
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
    try {
      Process h = pb.start();
      b.hooks.add(h);
      try {
        if (!h.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
          kill("-KILL", "-" + h.pid());
          h.waitFor(2, TimeUnit.SECONDS);
          return 137;
        }
        return h.exitValue();
      } finally {
        b.hooks.remove(h);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private int waitFor(Box b) throws InterruptedException {
    b.process.waitFor();
    while (b.lastExit == null) {
      Thread.sleep(10);
    }
    return b.lastExit;
  }

  private boolean awaitExit(Box b, long millis) {
    Process p = b.process;
    try {
      return p == null || p.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void killGroup(Box b, Process p) {
    kill("-KILL", "-" + p.pid());
    b.hooks.forEach(Process::destroyForcibly);
  }

  private static void kill(String signal, String target) {
    try {
      new ProcessBuilder("kill", signal, "--", target)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void environment(Box b, Map<String, String> env) {
    env.clear();
    env.put("PATH", bin.toString());
    env.put("STATE", state.toString());
    env.put("HOME", dir.toString());
    for (Map<String, Object> e : maps(b.c.get("env"))) {
      env.put(String.valueOf(e.get("name")), String.valueOf(e.get("value")));
    }
    env.putAll(this.env.getOrDefault(b.name, Map.of()));
  }

  /** Volume mount paths and probe ports as this machine has them. */
  private List<String> rewrite(Box b, List<String> words) {
    Map<String, String> mounts = new LinkedHashMap<>();
    for (Map<String, Object> m : maps(b.c.get("volumeMounts"))) {
      Path host = volumes.get(String.valueOf(m.get("name")));
      if (host != null) {
        mounts.put(String.valueOf(m.get("mountPath")), host.toString());
      }
    }
    List<String> out = new ArrayList<>();
    for (String w : words) {
      for (Map.Entry<String, String> m : mounts.entrySet()) {
        w = w.replace(m.getKey(), m.getValue());
      }
      for (Map.Entry<Integer, Endpoint> e : endpoints.entrySet()) {
        w = w.replaceAll("\\b" + e.getKey() + "\\b", String.valueOf(e.getValue().port()));
      }
      out.add(w);
    }
    return out;
  }

  private int port(Object port) {
    int p = port instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(port));
    Endpoint e = endpoints.get(p);
    return e == null ? p : e.port();
  }

  @SuppressWarnings("unchecked")
  private static List<String> hook(Box b, String event) {
    if (b.c.get("lifecycle") instanceof Map<?, ?> lifecycle
        && lifecycle.get(event) instanceof Map<?, ?> handler
        && handler.get("exec") instanceof Map<?, ?> exec) {
      return strings(((Map<String, Object>) exec).get("command"));
    }
    return null;
  }

  private void record(Box b, String what, int status) {
    events.add(new Event(now(), b.name, what, b.runs, status));
  }

  private Box box(String name) {
    return all().stream()
        .filter(b -> b.name.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no container "
                        + name
                        + " in "
                        + all().stream().map(b -> b.name).collect(Collectors.joining(", "))));
  }

  private List<Box> all() {
    List<Box> out = new ArrayList<>(init);
    out.addAll(regular);
    return out;
  }

  private static long seconds(Map<String, Object> probe, String key, long fallback) {
    return probe.get(key) instanceof Number n ? n.longValue() : fallback;
  }

  private static void joinAll(List<Thread> threads) {
    for (Thread t : threads) {
      if (t == null) {
        continue;
      }
      try {
        t.join(120_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> l) {
      l.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (value instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }
}

package dev.convoy.engine.kubelet.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convoy.engine.kubelet.shell.ShellPod.Event;
import dev.convoy.engine.kubelet.shell.ShellPod.Nodes;
import dev.convoy.engine.kubelet.shell.ShellPod.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scripts Convoy renders, run for real: each scenario takes a pod of the golden case {@code
 * kubelet-scenarios} as rendered for one target and plays the kubelet's start and stop sequence
 * with {@link ShellPod} under dash and under busybox ash. Scenarios run concurrently (they mostly
 * sleep); each takes a few seconds, the probe periods of the case are 1 s.
 *
 * <p>To run them against the output of another build, render that case's {@code in/} with it and
 * pass {@code -Dconvoy.scenarios.rendered=DIR} (a folder with one sub-folder per target).
 */
@Execution(ExecutionMode.CONCURRENT)
class KubeletScenariosTest {
  private static final Duration SHORT = Duration.ofSeconds(20);
  private static final Duration LONG = Duration.ofSeconds(40);

  @TempDir Path tmp;

  // ---- start: readiness gates ----

  @ParameterizedTest
  @EnumSource(Shell.class)
  void legacyGateHoldsTheAppUntilTheProxyIsReady(Shell shell) {
    try (ShellPod pod =
        pod(
            shell,
            "legacy",
            "Deployment/scenarios/shop",
            Nodes.WITHOUT_NATIVE_SIDECARS,
            b -> b.env("proxy", "READY_DELAY", "1.5"))) {
      Event app = pod.awaitEvent("shop", "start", 1, SHORT);
      assertThat(app).as(pod.report()).isNotNull();
      long proxyUp = pod.endpoint(15021).firstUpMillis();
      assertThat(proxyUp).as(pod.report()).isPositive();
      assertThat(app.at()).as(pod.report()).isGreaterThan(proxyUp);
    }
  }

  /** A tcpSocket gate, checked with busybox's nc (which has no -z) or the image's own. */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void legacyTcpGateHoldsTheNextContainer(Shell shell) {
    try (ShellPod pod =
        pod(
            shell,
            "legacy",
            "Deployment/scenarios/chain",
            Nodes.WITHOUT_NATIVE_SIDECARS,
            b -> b.env("db-client", "READY_DELAY", "1.5"))) {
      Event app = pod.awaitEvent("ledger", "start", 1, SHORT);
      assertThat(app).as(pod.report()).isNotNull();
      long dbUp = pod.endpoint(13306).firstUpMillis();
      assertThat(dbUp).as(pod.report()).isPositive();
      assertThat(app.at()).as(pod.report()).isGreaterThan(dbUp);
    }
  }

  @ParameterizedTest
  @EnumSource(Shell.class)
  void legacyGateSendsTheProbesHeaders(Shell shell) {
    try (ShellPod pod =
        pod(
            shell,
            "legacy",
            "Deployment/scenarios/shop",
            Nodes.WITHOUT_NATIVE_SIDECARS,
            b -> b.httpWithHeader(15021, "X-Ready-Check: convoy", "proxy"))) {
      Event gate = pod.awaitEvent("proxy", "postStart", 1, SHORT);
      assertThat(gate).as(pod.report()).isNotNull();
      assertThat(gate.status()).as(pod.report()).isZero();
    }
  }

  /**
   * failureThreshold 5 x periodSeconds 1: the gate gives up after 5 s of wall time, whether the
   * endpoint answers 503 or accepts and never answers (each check is bounded by timeoutSeconds).
   */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void legacyGateGivesUpWithinTheProbesBoundInSeconds(Shell shell) {
    for (boolean hang : List.of(false, true)) {
      try (ShellPod pod =
          pod(
              shell,
              "legacy",
              "Deployment/scenarios/shop",
              Nodes.WITHOUT_NATIVE_SIDECARS,
              b -> {
                b.env("proxy", "READY_DELAY", "600");
                if (hang) {
                  b.hangingHttp(15021);
                }
              })) {
        Event gate = pod.awaitEvent("proxy", "postStart", 1, SHORT);
        assertThat(gate).as("hanging endpoint " + hang + "\n" + pod.report()).isNotNull();
        long took = gate.at() - pod.first("proxy", "start").at();
        assertThat(gate.status()).as(pod.report()).isNotZero();
        // The gate counts whole seconds of the shell's clock: 5 of them can be 4.0 s of wall time.
        assertThat(took).as("gate ran %d ms\n%s", took, pod.report()).isBetween(3_900L, 9_500L);
      }
    }
  }

  /**
   * The kubelet ignores a failed postStart of a regular container and starts the next one; the
   * app's wrapper still waits until the proxy (restarted by the kubelet) has passed its gate.
   */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void legacyAppWaitsForAProxyWhoseGateTimedOut(Shell shell) {
    try (ShellPod pod =
        pod(
            shell,
            "legacy",
            "Deployment/scenarios/shop",
            Nodes.WITHOUT_NATIVE_SIDECARS,
            b -> b.env("proxy", "SLOW_FIRST", "8"))) {
      assertThat(pod.await(() -> pod.log().contains("shop run 1"), LONG)).as(pod.report()).isTrue();
      Event ready =
          pod.events().stream()
              .filter(e -> e.container().equals("proxy") && e.what().equals("postStart"))
              .filter(e -> e.status() == 0)
              .findFirst()
              .orElse(null);
      assertThat(ready).as(pod.report()).isNotNull();
      assertThat(ready.run()).as(pod.report()).isGreaterThan(1);
      List<String> log = pod.log();
      assertThat(log.indexOf("shop run 1"))
          .as(pod.report())
          .isGreaterThan(log.lastIndexOf("proxy start"));
    }
  }

  @ParameterizedTest
  @EnumSource(Shell.class)
  void sourceNativeSidecarRunsOnNodesWithoutThem(Shell shell) {
    try (ShellPod pod =
        pod(
            shell,
            "legacy",
            "Deployment/scenarios/source-sidecar",
            Nodes.WITHOUT_NATIVE_SIDECARS,
            b -> b.env("vault-agent", "READY_DELAY", "1"))) {
      Event api = pod.awaitEvent("api", "start", 1, SHORT);
      assertThat(api).as(pod.report()).isNotNull();
      assertThat(api.at()).as(pod.report()).isGreaterThan(pod.endpoint(18200).firstUpMillis());
    }
  }

  /** A post sidecar waits for two app containers whose readiness depends on each other. */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void waitForAppHookDoesNotSerialiseTheApps(Shell shell) {
    for (String target : List.of("legacy", "native")) {
      Nodes nodes =
          target.equals("native") ? Nodes.WITH_NATIVE_SIDECARS : Nodes.WITHOUT_NATIVE_SIDECARS;
      try (ShellPod pod = pod(shell, target, "Deployment/scenarios/pair", nodes, b -> {})) {
        Event shipper = pod.awaitEvent("log-shipper", "start", 1, SHORT);
        assertThat(shipper).as(target + "\n" + pod.report()).isNotNull();
        assertThat(pod.runs("frontend")).as(pod.report()).isEqualTo(1);
        assertThat(pod.runs("backend")).as(pod.report()).isEqualTo(1);
        assertThat(shipper.at())
            .as(pod.report())
            .isGreaterThan(pod.endpoint(18081).firstUpMillis())
            .isGreaterThan(pod.endpoint(18082).firstUpMillis());
      }
    }
  }

  // ---- universal mode: exactly one copy acts ----

  @ParameterizedTest
  @EnumSource(Shell.class)
  void universalRunsExactlyOneCopyOfEachSidecar(Shell shell) {
    for (Nodes nodes : Nodes.values()) {
      try (ShellPod pod = pod(shell, "universal", "Deployment/scenarios/shop", nodes, b -> {})) {
        assertThat(pod.awaitEvent("shop", "start", 1, LONG)).as(pod.report()).isNotNull();
        Endpoint.sleepQuietly(1_500);
        assertThat(pod.log().stream().filter("proxy start"::equals).count())
            .as(nodes + "\n" + pod.report())
            .isEqualTo(1);
      }
    }
  }

  /**
   * Without {@code ready} the native copy still has a startupProbe: the kubelet cannot count it
   * started during the handshake's first run, so the regular copy stays idle and the native copy is
   * not restarted over and over.
   */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void universalSidecarWithoutReadyStartsOnceOnNodesWithNativeSidecars(Shell shell) {
    try (ShellPod pod =
        pod(
            shell,
            "universal",
            "Deployment/scenarios/agent",
            Nodes.WITH_NATIVE_SIDECARS,
            b -> {})) {
      assertThat(pod.awaitEvent("worker", "start", 1, SHORT)).as(pod.report()).isNotNull();
      Endpoint.sleepQuietly(3_000);
      assertThat(pod.runs("agent")).as(pod.report()).isLessThanOrEqualTo(2);
      assertThat(pod.alive("agent")).as(pod.report()).isTrue();
      assertThat(pod.log().stream().filter("agent start"::equals).count())
          .as(pod.report())
          .isEqualTo(1);
    }
  }

  // ---- pods that run to completion ----

  @ParameterizedTest
  @EnumSource(Shell.class)
  void jobCompletesInEveryMode(Shell shell) {
    for (String[] t :
        List.of(
            new String[] {"legacy", "WITHOUT_NATIVE_SIDECARS"},
            new String[] {"native", "WITH_NATIVE_SIDECARS"},
            new String[] {"universal", "WITH_NATIVE_SIDECARS"},
            new String[] {"universal", "WITHOUT_NATIVE_SIDECARS"})) {
      try (ShellPod pod = pod(shell, t[0], "Job/scenarios/once", Nodes.valueOf(t[1]), b -> {})) {
        assertThat(pod.awaitCompletion(SHORT))
            .as(String.join(" ", t) + "\n" + pod.report())
            .isTrue();
        assertThat(pod.phase()).as(pod.report()).isEqualTo(Phase.SUCCEEDED);
      }
    }
  }

  /** A failed try is retried in place; the proxy must still be there for the retry. */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void onFailureRetryKeepsTheProxy(Shell shell) {
    for (String[] t :
        List.of(
            new String[] {"legacy", "WITHOUT_NATIVE_SIDECARS"},
            new String[] {"universal", "WITHOUT_NATIVE_SIDECARS"},
            new String[] {"native", "WITH_NATIVE_SIDECARS"})) {
      try (ShellPod pod = pod(shell, t[0], "Job/scenarios/retry", Nodes.valueOf(t[1]), b -> {})) {
        assertThat(pod.awaitCompletion(LONG))
            .as(String.join(" ", t) + "\n" + pod.report())
            .isTrue();
        assertSidecarOutlivedRetry(
            pod, t[0].equals("universal") ? "proxy-legacy" : "proxy", "report");
        assertThat(pod.phase()).as(pod.report()).isEqualTo(Phase.SUCCEEDED);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Shell.class)
  void onFailureRetryOfOneOfTwoAppsKeepsTheProxy(Shell shell) {
    try (ShellPod pod =
        pod(shell, "legacy", "Job/scenarios/retry-two", Nodes.WITHOUT_NATIVE_SIDECARS, b -> {})) {
      assertThat(pod.awaitCompletion(LONG)).as(pod.report()).isTrue();
      assertSidecarOutlivedRetry(pod, "proxy", "extract");
      assertThat(pod.phase()).as(pod.report()).isEqualTo(Phase.SUCCEEDED);
    }
  }

  /** Post sidecars are regular containers in every mode, native mode included. */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void onFailureRetryKeepsThePostSidecar(Shell shell) {
    for (String target : List.of("native", "legacy")) {
      Nodes nodes =
          target.equals("native") ? Nodes.WITH_NATIVE_SIDECARS : Nodes.WITHOUT_NATIVE_SIDECARS;
      try (ShellPod pod = pod(shell, target, "Job/scenarios/retry-upload", nodes, b -> {})) {
        assertThat(pod.awaitCompletion(LONG)).as(target + "\n" + pod.report()).isTrue();
        assertSidecarOutlivedRetry(pod, "uploader", "report");
        assertThat(pod.phase()).as(pod.report()).isEqualTo(Phase.SUCCEEDED);
      }
    }
  }

  /**
   * Since 1.28 the kubelet sets memory.oom.group: the OOM killer takes the app and its wrapper at
   * once, no exit marker is written, and the sidecar must still stop so the pod ends.
   */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void groupOomKillEndsTheJob(Shell shell) {
    for (Nodes nodes : List.of(Nodes.WITHOUT_NATIVE_SIDECARS)) {
      for (String target : List.of("legacy", "universal")) {
        try (ShellPod pod = pod(shell, target, "Job/scenarios/oom", nodes, b -> {})) {
          assertThat(pod.awaitEvent("report", "start", 1, SHORT)).as(pod.report()).isNotNull();
          Endpoint.sleepQuietly(1_500);
          pod.oomKill("report");
          assertThat(pod.awaitCompletion(LONG)).as(target + "\n" + pod.report()).isTrue();
          assertThat(pod.phase()).as(pod.report()).isEqualTo(Phase.FAILED);
        }
      }
    }
  }

  // ---- stop order ----

  /** The app crashed once and was restarted; at deletion the proxy still waits for it. */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void stopOrderHoldsAfterAnAppRestart(Shell shell) {
    for (String target : List.of("legacy", "universal")) {
      try (ShellPod pod =
          pod(shell, target, "Deployment/scenarios/web", Nodes.WITHOUT_NATIVE_SIDECARS, b -> {})) {
        assertThat(pod.awaitEvent("web", "start", 2, LONG)).as(pod.report()).isNotNull();
        Endpoint.sleepQuietly(1_000);
        long took = pod.delete();
        assertInOrder(pod, "web term 2", "web drained 2", "proxy term");
        assertThat(took).as(pod.report()).isLessThan(10_000 + 2_500);
      }
    }
  }

  /** Pre sidecars stop in reverse start order: ledger, then db-client, then proxy. */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void legacyStopChainFollowsTheStartOrder(Shell shell) {
    try (ShellPod pod =
        pod(
            shell,
            "legacy",
            "Deployment/scenarios/chain",
            Nodes.WITHOUT_NATIVE_SIDECARS,
            b -> b.env("db-client", "DRAIN", "1"))) {
      assertThat(pod.awaitEvent("ledger", "start", 1, SHORT)).as(pod.report()).isNotNull();
      Endpoint.sleepQuietly(500);
      long took = pod.delete();
      assertInOrder(
          pod,
          "ledger term 1",
          "ledger drained 1",
          "db-client term",
          "db-client exit",
          "proxy term");
      assertThat(took).as(pod.report()).isLessThan(10_000);
    }
  }

  /** The app's image could not be pulled: nothing to wait for at deletion. */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void preStopReturnsAtOnceWhenTheAppNeverRan(Shell shell) {
    try (ShellPod pod =
        pod(
            shell,
            "legacy",
            "Deployment/scenarios/web",
            Nodes.WITHOUT_NATIVE_SIDECARS,
            b -> b.imagePullFails("web"))) {
      assertThat(pod.awaitEvent("proxy", "postStart", 1, SHORT)).as(pod.report()).isNotNull();
      long took = pod.delete();
      assertThat(took).as(pod.report()).isLessThan(6_000);
    }
  }

  // ---- signals and stdin ----

  /**
   * nginx stops on SIGQUIT (its image's STOPSIGNAL), reloads on HUP, reopens logs on USR1, and may
   * read stdin: through the wrapper, all of them reach it.
   */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void signalsAndStdinReachTheWrappedApp(Shell shell) {
    try (ShellPod pod =
        pod(
            shell,
            "legacy",
            "Deployment/scenarios/nginx",
            Nodes.WITHOUT_NATIVE_SIDECARS,
            b -> b.stopSignal("nginx", "QUIT"))) {
      assertThat(pod.awaitEvent("nginx", "start", 1, SHORT)).as(pod.report()).isNotNull();
      pod.writeStdin("nginx", "hello\n");
      assertThat(pod.await(() -> pod.log().contains("nginx stdin hello"), SHORT))
          .as(pod.report())
          .isTrue();
      pod.signal("nginx", "HUP");
      pod.signal("nginx", "USR1");
      assertThat(
              pod.await(
                  () -> pod.log().containsAll(List.of("nginx got HUP", "nginx got USR1")), SHORT))
          .as(pod.report())
          .isTrue();
      long took = pod.delete();
      assertThat(pod.log()).as(pod.report()).contains("nginx got QUIT");
      assertThat(took).as(pod.report()).isLessThan(6_000);
    }
  }

  // ---- helpers ----

  /**
   * The sidecar ran through the app's retry: its process got SIGTERM only after the app's last run
   * had ended (a Job's OnFailure pod never restarts a container that exited 0, so a sidecar stopped
   * after the first failure would be gone for the retry).
   */
  private static void assertSidecarOutlivedRetry(ShellPod pod, String sidecar, String app) {
    Event retry = pod.awaitEvent(app, "start", 2, Duration.ZERO);
    assertThat(retry).as("%s retried\n%s", app, pod.report()).isNotNull();
    List<String> log = pod.log();
    String stub = sidecar.replace("-legacy", "");
    assertThat(log).as(pod.report()).contains(app + " done 2", stub + " term");
    assertThat(log.indexOf(stub + " term"))
        .as("%s stopped after %s's retry ended\n%s", sidecar, app, pod.report())
        .isGreaterThan(log.indexOf(app + " done 2"));
  }

  /** The fake programs logged these lines, in this order (each once). */
  private static void assertInOrder(ShellPod pod, String... lines) {
    List<String> log = pod.log();
    assertThat(log).as(pod.report()).containsSubsequence(lines);
    for (String line : lines) {
      assertThat(log.stream().filter(line::equals).count())
          .as(line + "\n" + pod.report())
          .isEqualTo(1);
    }
  }

  private static Event last(ShellPod pod, String container, String what) {
    Event found = null;
    for (Event e : pod.events()) {
      if (e.container().equals(container) && e.what().equals(what)) {
        found = e;
      }
    }
    assertThat(found).as("%s %s\n%s", container, what, pod.report()).isNotNull();
    return found;
  }

  private ShellPod pod(
      Shell shell, String target, String ref, Nodes nodes, Consumer<ShellPod.Builder> setup) {
    assumeTrue(shell.available(), shell.missing());
    Map<String, Object> spec = RenderedPods.pod(target, ref);
    Path dir;
    try {
      dir = Files.createTempDirectory(tmp, target + "-" + nodes.name().toLowerCase() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ShellPod.Builder b =
        ShellPod.of(spec, shell, nodes, dir)
            .fake("fake-sidecar", stub("fake-sidecar"))
            .fake("fake-app", stub("fake-app"))
            .fake("fake-nginx", stub("fake-nginx"))
            .http(15021, "proxy")
            .tcp(13306, "db-client")
            .http(18081, "frontend", "backend")
            .http(18082, "backend")
            .http(18200, "vault-agent");
    setup.accept(b);
    return b.start();
  }

  private static String stub(String name) {
    try (InputStream in =
        KubeletScenariosTest.class.getResourceAsStream("/kubelet/stubs/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

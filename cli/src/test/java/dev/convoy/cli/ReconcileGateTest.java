package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.HumanCommitter;
import dev.convoy.git.testing.RemoteHistory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gated rollout over several simulated hours ({@code reconcile --now}): a real Prometheus
 * (Debian's prometheus) on 127.0.0.1 scrapes a real Pushgateway the test feeds, and the sample's
 * mesh policy asks it before each wave after the first. The test flips the moved workloads' error
 * gauge: the rollout moves while it reads 0, holds (recorded in rollout.yaml and the commit trailer
 * with the query's value) while it does not, moves again once it is back to 0, and holds when
 * Prometheus is gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcileGateTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Instant START = Instant.parse("2026-11-24T08:00:00Z");

  private static Process pushgateway;
  private static Process prometheus;
  private static String pushgatewayUrl;
  private static String prometheusUrl;

  @BeforeAll
  static void startServers() throws Exception {
    Path push = Path.of("/usr/bin/prometheus-pushgateway");
    Path prom = Path.of("/usr/bin/prometheus");
    assumeTrue(
        Files.isExecutable(push) && Files.isExecutable(prom),
        "prometheus and prometheus-pushgateway are not installed (.ci/install-test-deps.sh)");
    int pushPort = freePort();
    int promPort = freePort();
    pushgateway =
        new ProcessBuilder(
                push.toString(),
                "--web.listen-address=127.0.0.1:" + pushPort,
                "--persistence.file=")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    pushgatewayUrl = "http://127.0.0.1:" + pushPort;
    Path dir = SERVERS.newFolder("prometheus-");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            + "scrape_configs:\n"
            + "  - job_name: pushgateway\n"
            + "    honor_labels: true\n"
            + "    static_configs: [{targets: ['127.0.0.1:"
            + pushPort
            + "']}]\n");
    prometheus =
        new ProcessBuilder(
                prom.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + promPort)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    prometheusUrl = "http://127.0.0.1:" + promPort;
    waitReady(pushgatewayUrl);
    waitReady(prometheusUrl);
  }

  @AfterAll
  static void stopServers() throws Exception {
    for (Process p : new Process[] {prometheus, pushgateway}) {
      if (p != null && p.isAlive()) {
        p.destroy();
        p.waitFor();
      }
    }
  }

  /**
   * With {@code onFailure: rollback}, a failing gate undoes the waves one per run, the last first,
   * and the rollout then holds until the policy changes. Runs first: the other test stops
   * Prometheus.
   */
  @Test
  @Order(1)
  void aFailingGateRollsTheWavesBackOnePerRunTheLastFirst() throws Exception {
    Path work = SERVERS.newFolder("work-");
    GitServers.Repo repo =
        gatedSample(
            "rollback",
            work,
            s ->
                gatedOnThisPrometheus(s)
                    .replace(
                        "      timeout: 30s\n", "      timeout: 30s\n    onFailure: rollback\n"),
            "mesh: envoy 1.32, gated on this test's Prometheus, rolled back when it fails");
    String url = SERVERS.uri(Protocol.FILE, repo);

    List<ReconcileRun> first = twoWavesThenAFailingGate(url, work);
    ReconcileRun wave1 = first.get(0);
    ReconcileRun wave2 = first.get(1);
    ReconcileRun failing = first.get(2);
    ReconcileRun early = reconcile(url, work, START.plus(Duration.ofMinutes(150)));
    ReconcileRun goesOn = reconcile(url, work, START.plus(Duration.ofHours(3)));
    ReconcileRun after = reconcile(url, work, START.plus(Duration.ofHours(4)));

    for (ReconcileRun r : List.of(wave1, wave2, failing, early, goesOn, after)) {
      assertThat(r.exitCode()).as(r.toString()).isZero();
    }
    assertThat(failing.err())
        .contains("gate prod/mesh before wave 3: failed: prometheus: value 3, expected == 0");
    // Half an hour after the first rollback wave: minWaveInterval holds the next one too.
    assertThat(early.out()).startsWith("nothing to change");
    assertThat(goesOn.err()).doesNotContain("gate prod/mesh"); // a rollback asks no gate
    assertThat(after.out()).startsWith("nothing to change");

    List<String> trailers = new ArrayList<>();
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      List<RevCommit> log = served.log("main");
      for (int i = log.size() - 1; i >= 0; i--) {
        log.get(i)
            .getFullMessage()
            .lines()
            .filter(l -> l.startsWith("Convoy-Wave: "))
            .forEach(trailers::add);
      }
      String state =
          RemoteHistory.text(served.files(served.tip("main"), "rendered/prod"))
              .get(".convoy/rollout.yaml");
      assertThat(state).contains("rolledBack: true", "wave: 2").doesNotContain("moved:");
      Set<String> meshRevisions = new TreeSet<>();
      for (String file :
          RemoteHistory.text(served.files(served.tip("main"), "rendered/prod")).values()) {
        Matcher m = Pattern.compile("mesh@([0-9a-f]{10})").matcher(file);
        while (m.find()) {
          meshRevisions.add(m.group(1));
        }
      }
      assertThat(meshRevisions)
          .as("every workload back on the revision before")
          .hasSize(1)
          .doesNotContain("bb9a4fe801");
    }
    System.out.println("rolled back rollout, oldest first:\n" + String.join("\n", trailers));
    assertThat(trailers).hasSize(4);
    assertThat(trailers.get(2))
        .contains("rollback of wave 2 returns 1 workload (rolled back to ")
        .contains("with the rest of wave 2");
    assertThat(trailers.get(3))
        .contains("rollback of wave 1 returns 1 workload (rolled back to ")
        .contains("with the rest of wave 1");
  }

  @Test
  @Order(2)
  void aGatedRolloutMovesWhileHealthyHoldsWhileNotAndWhenPrometheusIsGone() throws Exception {
    Path work = SERVERS.newFolder("work-");
    GitServers.Repo repo =
        gatedSample(
            "gate",
            work,
            ReconcileGateTest::gatedOnThisPrometheus,
            "mesh: envoy 1.32, gated on this test's Prometheus");
    String url = SERVERS.uri(Protocol.FILE, repo);

    List<ReconcileRun> first = twoWavesThenAFailingGate(url, work);
    ReconcileRun wave1 = first.get(0);
    ReconcileRun wave2 = first.get(1);
    ReconcileRun failing = first.get(2);
    ReconcileRun stillFailing = reconcile(url, work, START.plus(Duration.ofHours(3)));
    setErrors("batch", 0);
    ReconcileRun recovered = reconcile(url, work, START.plus(Duration.ofHours(4)));
    prometheus.destroy();
    prometheus.waitFor();
    ReconcileRun gone = reconcile(url, work, START.plus(Duration.ofHours(5)));

    for (ReconcileRun r : List.of(wave1, wave2, failing, stillFailing, recovered, gone)) {
      assertThat(r.exitCode()).as(r.toString()).isZero();
    }
    assertThat(wave1.err()).doesNotContain("gate prod/mesh"); // nothing moved yet: no question
    assertThat(wave2.err())
        .contains("gate prod/mesh before wave 2: passed: prometheus: value 0, expected == 0");
    assertThat(failing.err())
        .contains("gate prod/mesh before wave 3: failed: prometheus: value 3, expected == 0")
        .contains("no wave moves, 5 held (5: gate failed: prometheus: value 3, expected == 0)");
    // The same answer an hour later changes nothing: nothing committed.
    assertThat(stillFailing.out()).startsWith("nothing to change");
    assertThat(recovered.err())
        .contains("wave 3 moves 1 workload after the gate passed (prometheus: value 0");
    assertThat(gone.err()).contains("gate failed: prometheus at " + prometheusUrl + " unreachable");

    List<String> history = new ArrayList<>();
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      List<RevCommit> log = served.log("main");
      for (int i = log.size() - 1; i >= 0; i--) {
        String m = log.get(i).getFullMessage();
        StringBuilder entry = new StringBuilder(m.lines().findFirst().orElse(""));
        m.lines()
            .filter(l -> l.startsWith("Convoy-Wave: "))
            .forEach(l -> entry.append("\n    ").append(l));
        history.add(entry.toString());
      }
      String state =
          RemoteHistory.text(served.files(served.tip("main"), "rendered/prod"))
              .get(".convoy/rollout.yaml");
      assertThat(state)
          .contains("wave: 3", "held: 4", "healthy: false")
          .contains("unreachable")
          .contains("query: max(mesh_errors{namespace=~\"batch|payments\"}) or vector(0)")
          .contains("Deployment/payments/settlement");
    }
    System.out.println("gated rollout history, oldest first:\n" + String.join("\n", history));
    // The remote, not the work folder: reconcile builds its commits in memory, so the work
    // folder's files are those it rendered from, not the ones it pushed.
    CliRun status =
        CliRun.of(
            "status",
            "--repo",
            SERVERS.uri(Protocol.GIT, repo),
            "--now",
            START.plus(Duration.ofHours(5)).toString());
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("    gate: prometheus " + prometheusUrl + ": max(mesh_errors")
        .contains(
            "    last evaluation: failed at 2026-11-24T13:00:00Z: prometheus at "
                + prometheusUrl
                + " unreachable");
    String all = String.join("\n", history);
    assertThat(all)
        .contains("wave 1 moves 1 workload, 6 held")
        .contains(
            "wave 2 moves 1 workload after the gate passed (prometheus: value 0, expected =="
                + " 0), 5 held")
        .contains("5 held (5: gate failed: prometheus: value 3, expected == 0)")
        .contains("wave 3 moves 1 workload after the gate passed")
        .contains("4 held (4: gate failed: prometheus at ");

    // Asked to, a run whose gate cannot be reached still holds the rollout but exits 3, so the
    // CronJob's failure alerts someone (without the option it exits 0, as `gone` did).
    ReconcileRun alerting =
        ReconcileRun.of(
            "--repo",
            url,
            "--work-dir",
            work.toString(),
            "--now",
            START.plus(Duration.ofHours(6)).toString(),
            "--fail-on-unreachable-gate");
    assertThat(alerting.exitCode()).as(alerting.toString()).isEqualTo(ExitCodes.GIT_FAILURE);
    assertThat(alerting.err())
        .contains("error: gate prod/mesh: prometheus at " + prometheusUrl + " unreachable")
        .contains("exit 3 (--fail-on-unreachable-gate)")
        .contains("4 held");
  }

  /**
   * A copy of the sample reconciled into {@code work} an hour before START, then its mesh policy
   * edited by a person as {@code policy} says, with the moved workloads' error gauge at 0.
   */
  private static GitServers.Repo gatedSample(
      String name, Path work, java.util.function.UnaryOperator<String> policy, String message)
      throws Exception {
    GitServers.Repo repo = SERVERS.createRepo(name, SampleRepo.seed(SERVERS.newFolder("seed-")));
    String url = SERVERS.uri(Protocol.FILE, repo);
    assertThat(reconcile(url, work, START.minus(Duration.ofHours(1))).exitCode()).isZero();
    try (HumanCommitter human = new HumanCommitter(url, SERVERS.newFolder("human-"))) {
      human.edit("policies/mesh.yaml", policy, message);
    }
    setErrors("batch", 0);
    return repo;
  }

  /** Reconciles at START (wave 1) and an hour later (wave 2, gate passes), then with errors. */
  private static List<ReconcileRun> twoWavesThenAFailingGate(String url, Path work)
      throws Exception {
    ReconcileRun wave1 = reconcile(url, work, START);
    ReconcileRun wave2 = reconcile(url, work, START.plus(Duration.ofHours(1)));
    setErrors("batch", 3);
    return List.of(wave1, wave2, reconcile(url, work, START.plus(Duration.ofHours(2))));
  }

  /** The sample's mesh policy at a new proxy, its gate asking this test's gauge. */
  private static String gatedOnThisPrometheus(String policy) {
    return policy
        .replace("envoyproxy/envoy:v1.31.0", "envoyproxy/envoy:v1.32.0")
        .replace("http://prometheus.monitoring.svc:9090", prometheusUrl)
        .replaceAll(
            "(?s)        query: >-\\n.*?\\[10m\\]\\)\\) or vector\\(0\\)\\n",
            "        query: 'max(mesh_errors{namespace=~\"{{namespaces}}\"}) or vector(0)'\n");
  }

  private static ReconcileRun reconcile(String url, Path work, Instant now) {
    return ReconcileRun.of("--repo", url, "--work-dir", work.toString(), "--now", now.toString());
  }

  /** Pushes the gauge and waits until Prometheus answers it, so the next run sees it. */
  private static void setErrors(String namespace, int value) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(pushgatewayUrl + "/metrics/job/mesh/namespace/" + namespace))
                .PUT(HttpRequest.BodyPublishers.ofString("mesh_errors " + value + "\n"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    String query =
        URLEncoder.encode("mesh_errors{namespace=\"" + namespace + "\"}", StandardCharsets.UTF_8);
    for (int i = 0; i < 300; i++) {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(prometheusUrl + "/api/v1/query?query=" + query))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (body.contains(",\"" + value + "\"]")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Prometheus never saw mesh_errors " + value);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void waitReady(String base) throws Exception {
    for (int i = 0; i < 300; i++) {
      try {
        if (HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(base + " did not become ready");
  }
}

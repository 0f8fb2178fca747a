package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code reconcile --metrics-file} and {@code --pushgateway}, against a real repo on {@code git
 * daemon} and a real Prometheus Pushgateway (Debian's prometheus-pushgateway) on 127.0.0.1.
 */
class ReconcileMetricsTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  private static Process pushgateway;
  private static String pushgatewayUrl;

  @BeforeAll
  static void startPushgateway() throws Exception {
    Path binary = Path.of("/usr/bin/prometheus-pushgateway");
    assumeTrue(
        Files.isExecutable(binary),
        "prometheus-pushgateway is not installed (.ci/install-test-deps.sh)");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    pushgateway =
        new ProcessBuilder(
                binary.toString(), "--web.listen-address=127.0.0.1:" + port, "--persistence.file=")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    pushgatewayUrl = "http://127.0.0.1:" + port;
    for (int i = 0; i < 100; i++) {
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("pushgateway did not start on " + pushgatewayUrl);
  }

  @AfterAll
  static void stopPushgateway() throws Exception {
    if (pushgateway != null) {
      pushgateway.destroy();
      pushgateway.waitFor();
    }
  }

  @Test
  void writesAndPushesTheRunsMetricsAndKeepsTheLastSuccessWhenARunFails() throws Exception {
    GitServers.Repo repo =
        SERVERS.createRepo("metrics", SampleRepo.seed(SERVERS.newFolder("seed-")));
    String url = SERVERS.uri(Protocol.GIT, repo);
    Path prom = SERVERS.root().resolve("textfile/convoy.prom");
    Path work = SERVERS.newFolder("work-");

    ReconcileRun run =
        ReconcileRun.of(
            "--repo",
            url,
            "--work-dir",
            work.toString(),
            "--metrics-file",
            prom.toString(),
            "--pushgateway",
            pushgatewayUrl);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    String file = Files.readString(prom);
    String repoLabel = "repo=\"" + url + "\"";
    assertThat(file)
        .contains("# TYPE convoy_exit_code gauge")
        .contains("convoy_exit_code{" + repoLabel + "} 0")
        .contains("convoy_push_retries{" + repoLabel + "} 0")
        .contains("convoy_workloads{outcome=\"injected\"," + repoLabel + ",target=\"prod\"} 8")
        .containsPattern(
            "convoy_phase_duration_seconds\\{phase=\"rules\","
                + java.util.regex.Pattern.quote(repoLabel)
                + "\\} [0-9.]+")
        .containsPattern(
            "convoy_last_success_timestamp_seconds\\{"
                + java.util.regex.Pattern.quote(repoLabel)
                + "\\} [0-9.E]+");
    assertThat(Files.list(prom.getParent())).as("no temporary file left").hasSize(1);
    String served = get("/metrics").body();
    assertThat(served)
        .contains("convoy_exit_code{instance=\"" + url + "\",job=\"convoy\"," + repoLabel + "} 0")
        .contains(
            "convoy_workloads{instance=\""
                + url
                + "\",job=\"convoy\",outcome=\"injected\","
                + repoLabel
                + ",target=\"prod\"} 8");
    String lastSuccess = line(file, "convoy_last_success_timestamp_seconds{");

    // The remote goes away: exit 3, and the last success stays what it was.
    ReconcileRun failed =
        ReconcileRun.of(
            "--repo",
            url.replace("metrics.git", "gone.git"),
            "--work-dir",
            SERVERS.newFolder("w-").toString(),
            "--metrics-file",
            prom.toString(),
            "--pushgateway",
            pushgatewayUrl,
            "--pushgateway-instance",
            url);

    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.GIT_FAILURE);
    String after = Files.readString(prom);
    assertThat(after).contains(lastSuccess);
    assertThat(after).containsPattern("convoy_exit_code\\{repo=\"[^\"]*gone\\.git\"\\} 3");
    String servedAfter = get("/metrics").body();
    assertThat(servedAfter)
        .contains(
            "convoy_exit_code{instance=\""
                + url
                + "\",job=\"convoy\",repo=\""
                + url.replace("metrics.git", "gone.git")
                + "\"} 3")
        .contains(
            "convoy_last_success_timestamp_seconds{instance=\""
                + url
                + "\",job=\"convoy\","
                + repoLabel
                + "}");
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(pushgatewayUrl + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }
}

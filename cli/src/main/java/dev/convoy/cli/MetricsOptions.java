package dev.convoy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import picocli.CommandLine.Option;

/**
 * Where reconcile reports its metrics: a file for node_exporter's textfile collector, a Prometheus
 * Pushgateway, or both. A failure to report is a warning: it never changes what was pushed to git
 * or the exit code.
 */
final class MetricsOptions {
  @Option(
      names = "--metrics-file",
      paramLabel = "FILE",
      description =
          "Write the run's metrics in the Prometheus text format to FILE, atomically (for the"
              + " node_exporter textfile collector: name it *.prom).")
  Path file;

  @Option(
      names = "--pushgateway",
      paramLabel = "URL",
      description =
          "Push the same metrics to a Prometheus Pushgateway, e.g. http://pushgateway.monitoring:9091.")
  URI pushgateway;

  @Option(
      names = "--pushgateway-job",
      paramLabel = "NAME",
      defaultValue = "convoy",
      description = "The job label of the pushed group. Default: ${DEFAULT-VALUE}.")
  String job;

  @Option(
      names = "--pushgateway-instance",
      paramLabel = "NAME",
      description =
          "The instance label of the pushed group. Default: shard-N with --shard-index, else the"
              + " repo URL.")
  String instance;

  boolean enabled() {
    return file != null || pushgateway != null;
  }

  /** Writes and pushes; problems are printed as warnings. */
  void report(RunMetrics metrics, String defaultInstance, PrintWriter err) {
    if (file != null) {
      try {
        metrics.writeTo(file);
      } catch (IOException e) {
        err.println("warning: cannot write metrics to " + file + ": " + e.getMessage());
      }
    }
    if (pushgateway != null) {
      try {
        push(metrics.text(), instance != null ? instance : defaultInstance);
      } catch (IOException e) {
        err.println(
            "warning: cannot push metrics to "
                + RemoteUrls.withoutUserInfo(pushgateway.toString())
                + ": "
                + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * POST, not PUT: it replaces only the metrics this run sends, so a failing run that sends no
   * last-success time leaves the previous one in the group.
   */
  private void push(String body, String instanceLabel) throws IOException, InterruptedException {
    String base = pushgateway.toString().replaceAll("/+$", "");
    String path =
        "/metrics/job@base64/" + base64(job) + "/instance@base64/" + base64(instanceLabel);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("HTTP " + response.statusCode() + ": " + response.body().strip());
    }
  }

  /** Pushgateway's base64 form of a label value: any characters, slashes included. */
  private static String base64(String value) {
    return value.isEmpty()
        ? "="
        : Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}

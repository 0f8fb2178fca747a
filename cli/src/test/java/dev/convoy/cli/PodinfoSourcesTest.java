package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podinfo's real kustomize overlays and Helm chart (Apache-2.0, kept beside the checkout in {@code
 * shared/sources/podinfo}, or where {@code -Dconvoy.sources=DIR} says), rendered with a policy that
 * selects every workload: every workload the build produces is injected, and {@code kubectl
 * kustomize} builds every rendered folder. Skipped, saying why, when the sources are absent.
 */
class PodinfoSourcesTest {
  private static final List<String> OVERLAYS = List.of("dev", "staging", "production");
  private static final Pattern WORKLOAD =
      Pattern.compile("(?m)^kind: (Deployment|StatefulSet|DaemonSet|Job|CronJob)$");

  @TempDir static Path tmp;
  static Path repo;
  static CliRun render;

  @BeforeAll
  static void renderEveryOverlayAndTheChart() throws Exception {
    Path podinfo = podinfo();
    Assumptions.assumeTrue(
        podinfo != null,
        "podinfo's sources are not beside the checkout (shared/sources/podinfo); set"
            + " -Dconvoy.sources=DIR to run this test");
    SourceCasesTest.assumeKubectl();
    repo = tmp.resolve("podinfo");
    CliRun.copy(podinfo, repo);
    Files.createDirectories(repo.resolve("policies"));
    Files.writeString(
        repo.resolve("policies/every-workload.yaml"),
        """
        apiVersion: convoy.dev/v1alpha1
        kind: SidecarPolicy
        metadata:
          name: log-shipper
        spec:
          selector: {}
          kinds: [Deployment, StatefulSet, DaemonSet, Job, CronJob]
          sidecars:
            - position: post
              container:
                name: log-shipper
                image: fluent/fluent-bit:3.1.9
                command: ["/fluent-bit/bin/fluent-bit"]
                resources:
                  requests: {cpu: 20m, memory: 32Mi}
                  limits: {memory: 64Mi}
        """);
    StringBuilder config =
        new StringBuilder(
            "apiVersion: convoy.dev/v1alpha1\nkind: ConvoyConfig\nsources: []\n"
                + "policies: [policies]\ntargets:\n");
    for (String overlay : OVERLAYS) {
      config.append(
          "  - {name: "
              + overlay
              + ", kubernetesVersion: \"1.31\", sources: [{kustomize: deploy/overlays/"
              + overlay
              + "}]}\n");
    }
    config.append(
        "  - {name: root, kubernetesVersion: \"1.31\", sources: [{kustomize: kustomize}]}\n"
            + "  - name: chart\n    kubernetesVersion: \"1.31\"\n"
            + "    sources: [{helm: {chart: charts/podinfo, releaseName: podinfo, namespace:"
            + " web}}]\n"
            + "  - name: chart-prod\n    kubernetesVersion: \"1.28\"\n"
            + "    sources: [{helm: {chart: charts/podinfo, releaseName: podinfo, namespace: web,"
            + " valuesFiles: [charts/podinfo/values-prod.yaml]}}]\n");
    Files.writeString(repo.resolve("convoy.yaml"), config.toString());
    render = CliRun.of("render", "--now", "2026-01-01T00:00:00Z", repo.toString());
  }

  @Test
  void everyWorkloadOfEveryOverlayIsInjectedAndTheOutputBuilds() throws Exception {
    assertThat(render.exitCode()).as(render.err()).isZero();
    for (String overlay : OVERLAYS) {
      String built = SourceCasesTest.kubectlKustomize(repo.resolve("deploy/overlays/" + overlay));
      String rendered = SourceCasesTest.kubectlKustomize(repo.resolve("rendered/" + overlay));
      int workloads = count(WORKLOAD, built);
      assertThat(workloads).as(overlay + " workloads").isGreaterThan(3);
      assertThat(count(WORKLOAD, rendered)).as(overlay).isEqualTo(workloads);
      assertThat(count(Pattern.compile("(?m)^ +(- )?name: log-shipper$"), rendered))
          .as("injected workloads of " + overlay)
          .isEqualTo(workloads);
      assertThat(render.err()).contains(overlay + ": wrote rendered/" + overlay);
    }
  }

  @Test
  void theChartRendersWithDefaultAndProductionValuesEveryWorkloadInjected() throws Exception {
    assertThat(render.exitCode()).as(render.err()).isZero();
    for (String target : List.of("root", "chart", "chart-prod")) {
      String rendered = SourceCasesTest.kubectlKustomize(repo.resolve("rendered/" + target));
      int workloads = count(WORKLOAD, rendered);
      assertThat(workloads).as(target).isPositive();
      assertThat(count(Pattern.compile("(?m)^ +(- )?name: log-shipper$"), rendered))
          .as("injected workloads of " + target)
          .isEqualTo(workloads);
    }
    // values-prod.yaml turns on the redis cache: one more Deployment than the defaults.
    assertThat(
            count(WORKLOAD, SourceCasesTest.kubectlKustomize(repo.resolve("rendered/chart-prod"))))
        .isGreaterThan(
            count(WORKLOAD, SourceCasesTest.kubectlKustomize(repo.resolve("rendered/chart"))));
    assertThat(Files.readString(repo.resolve("rendered/chart/podinfo/web/deployment-podinfo.yaml")))
        .contains("path: charts/podinfo/templates/deployment.yaml")
        .contains("namespace: web");
  }

  @Test
  void aSecondRenderChangesNothing() throws Exception {
    assertThat(render.exitCode()).as(render.err()).isZero();
    var before = FolderBytes.snapshot(repo.resolve("rendered"));
    CliRun again = CliRun.of("render", "--now", "2026-01-01T00:00:00Z", repo.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(FolderBytes.snapshot(repo.resolve("rendered"))).isEqualTo(before);
  }

  private static int count(Pattern p, String text) {
    Matcher m = p.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** podinfo's sources: -Dconvoy.sources, else shared/sources beside the checkout or its parent. */
  static Path podinfo() {
    String property = System.getProperty("convoy.sources");
    List<Path> candidates =
        property != null
            ? List.of(Path.of(property))
            : List.of(
                Path.of("..", "..", "shared", "sources"),
                Path.of("..", "..", "..", "shared", "sources"));
    for (Path c : candidates) {
      Path p = c.resolve("podinfo").toAbsolutePath().normalize();
      if (Files.isDirectory(p.resolve("deploy")) && Files.isDirectory(p.resolve("charts"))) {
        return p;
      }
    }
    return null;
  }
}

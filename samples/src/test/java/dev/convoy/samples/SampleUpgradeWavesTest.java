package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample's mesh policy rolls a new proxy out in waves: 25% of its 9 workloads (2) per run, at
 * most one wave an hour, and rules/upgrades.drl moves payments last. Within a rank, candidates move
 * in workload id order (kind, namespace, name), so the StatefulSet ledger-db comes last. The
 * overlay's checkout and the chart's status page move like the plain workloads.
 */
class SampleUpgradeWavesTest {
  private static final Instant START = Instant.parse("2026-11-24T08:00:00Z");

  @Test
  void aNewProxyReachesTheFleetAQuarterPerHourWithPaymentsLast(@TempDir Path tmp)
      throws IOException {
    Path repo = tmp.resolve("config-repo");
    CorpusTest.copyTree(SampleConfigRepoTest.SAMPLE, repo);
    Path mesh = repo.resolve("policies/mesh.yaml");
    Files.writeString(
        mesh,
        Files.readString(mesh).replace("envoyproxy/envoy:v1.31.0", "envoyproxy/envoy:v1.32.0"));

    // A local render does not own the rollout's clock: twice in a row, nothing moves, the bytes
    // are the same, and the wave line says what the next wave would move. It never asks the gate
    // (the sample's Prometheus does not exist here).
    Convoy.Run local = Convoy.run("render", "--now", START.toString(), repo.toString());
    assertThat(local.exitCode()).as(local.err()).isZero();
    assertThat(local.err()).contains("next wave 1 would move it").doesNotContain("gate prod/");
    assertThat(onNewProxy(repo)).isEmpty();
    Map<String, String> first = files(repo.resolve("rendered/prod"));
    Convoy.Run again = Convoy.run("render", "--now", START.toString(), repo.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(files(repo.resolve("rendered/prod"))).isEqualTo(first);

    // Waves move with --advance-waves; the sample's Prometheus gate is swapped for a command gate
    // that records what it is asked and answers healthy.
    Path asked = tmp.resolve("gate-stdin.json");
    Files.writeString(
        mesh,
        Files.readString(mesh)
            .replaceAll(
                "(?s)    gate:\n.*?      timeout: 30s\n",
                "    gate:\n      command: [sh, -c, 'cat > " + asked + "; echo healthy']\n"));
    List<String> order = new ArrayList<>();
    Set<String> moved = new LinkedHashSet<>();
    for (int run = 0; run < 8; run++) {
      Instant now = START.plus(Duration.ofHours(run));
      Convoy.Run render =
          Convoy.run("render", "--advance-waves", "--now", now.toString(), repo.toString());
      assertThat(render.exitCode()).as(render.err()).isZero();
      Set<String> onNew = onNewProxy(repo);
      assertThat(onNew)
          .as("run %d moves at most two workloads", run)
          .hasSizeLessThanOrEqualTo(moved.size() + 2);
      onNew.stream().filter(w -> !moved.contains(w)).forEach(order::add);
      moved.addAll(onNew);

      // Half an hour later the next wave is not due: nothing changes, so nothing would be
      // committed.
      Convoy.Run early =
          Convoy.run(
              "render",
              "--advance-waves",
              "--now",
              now.plus(Duration.ofMinutes(30)).toString(),
              repo.toString());
      assertThat(early.err()).contains("unchanged rendered/prod");
    }

    assertThat(order)
        .containsExactly(
            "manifests/batch/cleanup.yaml",
            "manifests/shop/cart.yaml",
            "checkout/shop/deployment-checkout.yaml",
            "manifests/shop/frontend.yaml",
            "manifests/batch/nightly-report.yaml",
            "status/shop/deployment-status-status-page.yaml",
            "manifests/payments/ledger.yaml",
            "manifests/payments/settlement.yaml",
            "manifests/payments/ledger-db.yaml");
    assertThat(Files.readString(repo.resolve("rendered/prod/.convoy/rollout.yaml")))
        .contains("wave: 5", "held: 0");
    // The gate was last asked before wave 5, about the eight workloads waves 1 to 4 moved.
    assertThat(Files.readString(asked))
        .contains("\"policy\":\"mesh\"", "\"wave\":4", "\"name\":\"settlement\"")
        .doesNotContain("ledger-db");
  }

  private static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.put(dir.relativize(f).toString(), Files.readString(f));
      }
    }
    return out;
  }

  private static Set<String> onNewProxy(Path repo) throws IOException {
    Path manifests = repo.resolve("rendered/prod");
    Set<String> out = new LinkedHashSet<>();
    try (Stream<Path> files = Files.walk(manifests)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        if (!f.startsWith(manifests.resolve(".convoy"))
            && Files.readString(f).contains("envoyproxy/envoy:v1.32.0")) {
          out.add(manifests.relativize(f).toString());
        }
      }
    }
    return out;
  }
}

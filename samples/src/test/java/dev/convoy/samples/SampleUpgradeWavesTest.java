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
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample's mesh policy rolls a new proxy out in waves: 25% of its 7 workloads (1) per run, at
 * most one wave an hour, and rules/upgrades.drl moves payments last. Within a rank, candidates move
 * in workload id order (kind, namespace, name), so the StatefulSet ledger-db comes last.
 */
class SampleUpgradeWavesTest {
  private static final Instant START = Instant.parse("2026-11-24T08:00:00Z");

  @Test
  void aNewProxyReachesTheFleetOneWorkloadPerHourWithPaymentsLast(@TempDir Path tmp)
      throws IOException {
    Path repo = tmp.resolve("config-repo");
    CorpusTest.copyTree(SampleConfigRepoTest.SAMPLE, repo);
    Path mesh = repo.resolve("policies/mesh.yaml");
    Files.writeString(
        mesh,
        Files.readString(mesh).replace("envoyproxy/envoy:v1.31.0", "envoyproxy/envoy:v1.32.0"));

    List<String> order = new ArrayList<>();
    Set<String> moved = new LinkedHashSet<>();
    for (int run = 0; run < 8; run++) {
      Instant now = START.plus(Duration.ofHours(run));
      Convoy.Run render = Convoy.run("render", "--now", now.toString(), repo.toString());
      assertThat(render.exitCode()).as(render.err()).isZero();
      Set<String> onNew = onNewProxy(repo);
      assertThat(onNew)
          .as("run %d moves at most one workload", run)
          .hasSizeLessThanOrEqualTo(moved.size() + 1);
      onNew.stream().filter(w -> !moved.contains(w)).forEach(order::add);
      moved.addAll(onNew);

      // Half an hour later the next wave is not due: nothing changes, so nothing would be
      // committed.
      Convoy.Run early =
          Convoy.run(
              "render", "--now", now.plus(Duration.ofMinutes(30)).toString(), repo.toString());
      assertThat(early.err()).contains("unchanged rendered/prod");
    }

    assertThat(order)
        .containsExactly(
            "batch/cleanup.yaml",
            "shop/cart.yaml",
            "shop/frontend.yaml",
            "batch/nightly-report.yaml",
            "payments/ledger.yaml",
            "payments/settlement.yaml",
            "payments/ledger-db.yaml");
    assertThat(Files.readString(repo.resolve("rendered/prod/.convoy/rollout.yaml")))
        .contains("wave: 7", "held: 0");
  }

  private static Set<String> onNewProxy(Path repo) throws IOException {
    Path manifests = repo.resolve("rendered/prod/manifests");
    Set<String> out = new LinkedHashSet<>();
    try (Stream<Path> files = Files.walk(manifests)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        if (Files.readString(f).contains("envoyproxy/envoy:v1.32.0")) {
          out.add(manifests.relativize(f).toString());
        }
      }
    }
    return out;
  }
}

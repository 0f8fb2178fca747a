package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.output.OutputDiff;
import dev.convoy.engine.output.OutputFolder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample config repo renders to its committed output, which Argo CD and Flux can build. */
class SampleConfigRepoTest {
  static final Path SAMPLE = Path.of("config-repo").toAbsolutePath();

  @Test
  void rendersToTheCommittedOutputByteForByte(@TempDir Path out) throws java.io.IOException {
    Convoy.Run run = Convoy.run("render", "--out", out.toString(), SAMPLE.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    if (Boolean.getBoolean("convoy.update-golden")) {
      // -Dconvoy.update-golden=true: the committed output becomes what renders now (CONTRIBUTING).
      new OutputFolder(SAMPLE.resolve("rendered/prod"))
          .write(new OutputFolder(out.resolve("prod")).read());
    }
    List<OutputDiff.FileChange> changes =
        OutputDiff.between(
            new OutputFolder(SAMPLE.resolve("rendered/prod")).read(),
            new OutputFolder(out.resolve("prod")).read(),
            "rendered/prod/");
    assertThat(changes)
        .as(
            () ->
                "re-render with `bin/convoy render samples/config-repo` (or run this test with"
                    + " -Dconvoy.update-golden=true) and review:\n"
                    + changes.stream()
                        .map(OutputDiff.FileChange::unifiedDiff)
                        .reduce("", String::concat))
        .isEmpty();
  }

  @Test
  void committedOutputBuildsWithKubectlKustomize() throws Exception {
    Kubectl.Result result = Kubectl.kustomize(SAMPLE.resolve("rendered/prod"));

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains(
            "kind: StatefulSet",
            "kind: DaemonSet",
            "kind: CronJob",
            "kind: Job",
            "kind: Pod",
            "kind: HTTPRoute")
        .contains("restartPolicy: Always");
  }

  @Test
  void injectsTheSeed004ChainInOrder() {
    Convoy.Run run = Convoy.run("render", "--out", "-", "--report", SAMPLE.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "prod Deployment/payments/ledger injected order=[cert-fetcher proxy mysql-client app log-shipper]")
        .contains(
            "prod StatefulSet/payments/ledger-db injected order=[cert-fetcher proxy mysql exporter log-shipper]")
        .contains("prod Pod/shop/debug-shell unchanged order=[shell]")
        // rules/platform.drl vetoes sidecars in platform namespaces; rules/pci.drl forces logging
        // into PCI ones.
        .contains("prod DaemonSet/monitoring/node-exporter unchanged order=[exporter]");
  }

  @Test
  void diffAgainstTheCommittedOutputShowsNoChanges() {
    Convoy.Run run = Convoy.run("diff", SAMPLE.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("prod: no changes");
  }

  @Test
  void validatesWithoutViolations() {
    Convoy.Run run = Convoy.run("validate", SAMPLE.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("ok: 11 workloads, 3 policies, 1 targets");
  }
}

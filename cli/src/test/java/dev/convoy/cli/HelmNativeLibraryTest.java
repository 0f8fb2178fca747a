package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm renders through a native library (helm-java, loaded by JNA). Where it cannot load, a chart
 * source is bad input for this machine (exit 2, the chart named, what to do), not a crash.
 */
class HelmNativeLibraryTest {
  @TempDir Path tmp;

  @Test
  void aChartOnAMachineWhereHelmCannotLoadIsExitTwoNamingTheChartAndWritesNothing()
      throws Exception {
    Path repo = tmp.resolve("repo");
    CliRun.copy(CliRun.sample(), repo);
    Path out = tmp.resolve("out");

    // JNA may neither unpack its own dispatch library nor find one on the system: it cannot load.
    ConvoyProcess.Result run =
        ConvoyProcess.of("render", "--out", out.toString(), repo.toString())
            .jvm("-Djna.nosys=true", "-Djna.nounpack=true", "-Djna.noclasspath=true")
            .run(tmp.resolve("logs"), 300);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    List<String> errors = run.err().lines().filter(l -> l.startsWith("error:")).toList();
    assertThat(errors)
        .as(run.toString())
        .singleElement()
        .asString()
        .startsWith(
            "error: charts/status-page: cannot render Helm charts on this machine: Helm's native"
                + " library did not load (")
        .contains("java.io.tmpdir");
    assertThat(run.all()).doesNotContain("\tat ", "internal error");
    assertThat(out).as("nothing written").doesNotExist();
  }
}

package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.output.OutputFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convoy render}, {@code diff} and {@code validate}: exit codes and what gets written. */
class RenderCommandTest {

  private static Path sampleCopy(Path tmp) {
    Path repo = tmp.resolve("repo");
    CliRun.copy(CliRun.sample(), repo);
    return repo;
  }

  @Test
  void aYamlErrorExitsTwoWithFileLineAndLeavesThePreviousOutputIntact(@TempDir Path tmp)
      throws Exception {
    Path repo = sampleCopy(tmp);
    SortedMap<String, byte[]> before = new OutputFolder(repo.resolve("rendered/prod")).read();
    Files.writeString(
        repo.resolve("manifests/shop/cart.yaml"),
        "\n  - broken: [\n",
        java.nio.file.StandardOpenOption.APPEND);

    CliRun run = CliRun.of("render", repo.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .containsPattern(
            "error: manifests/shop/cart\\.yaml:\\d+(:\\d+)?: \\(document 2\\) invalid YAML");
    assertThat(new OutputFolder(repo.resolve("rendered/prod")).read())
        .containsOnlyKeys(before.keySet());
    new OutputFolder(repo.resolve("rendered/prod"))
        .read()
        .forEach((path, bytes) -> assertThat(bytes).as(path).isEqualTo(before.get(path)));
  }

  @Test
  void aViolationExitsOneKeepsTheWorkloadsLastRenderedVersionAndStrictWritesNothing(
      @TempDir Path tmp) throws Exception {
    Path repo = sampleCopy(tmp);
    byte[] frontendBefore =
        Files.readAllBytes(repo.resolve("rendered/prod/manifests/shop/frontend.yaml"));
    Path frontend = repo.resolve("manifests/shop/frontend.yaml");
    Files.writeString(
        frontend,
        Files.readString(frontend)
            .replaceFirst(
                "(?m)^  name: frontend\n",
                "  name: frontend\n  annotations:\n    convoy.dev/start-order: \"app < proxy\"\n"));
    Path cart = repo.resolve("manifests/shop/cart.yaml");
    Files.writeString(cart, Files.readString(cart).replace("replicas: 2", "replicas: 5"));
    byte[] cartBefore = Files.readAllBytes(repo.resolve("rendered/prod/manifests/shop/cart.yaml"));

    CliRun strict = CliRun.of("render", "--strict", repo.toString());

    assertThat(strict.exitCode()).isEqualTo(ExitCodes.VIOLATIONS);
    assertThat(strict.err())
        .contains("error[impossible-edge] prod/Deployment/shop/frontend")
        .contains("nothing written (--strict)");
    assertThat(Files.readAllBytes(repo.resolve("rendered/prod/manifests/shop/cart.yaml")))
        .isEqualTo(cartBefore);

    CliRun lenient = CliRun.of("render", repo.toString());

    assertThat(lenient.exitCode()).isEqualTo(ExitCodes.VIOLATIONS);
    assertThat(Files.readAllBytes(repo.resolve("rendered/prod/manifests/shop/frontend.yaml")))
        .isEqualTo(frontendBefore);
    assertThat(Files.readString(repo.resolve("rendered/prod/manifests/shop/cart.yaml")))
        .contains("replicas: 5");
  }

  @Test
  void renderingTwiceWritesOnceAndDiffThenShowsNothing(@TempDir Path tmp) throws Exception {
    Path repo = sampleCopy(tmp);
    Path cart = repo.resolve("manifests/shop/cart.yaml");
    Files.writeString(cart, Files.readString(cart).replace("replicas: 2", "replicas: 4"));

    CliRun diff = CliRun.of("diff", repo.toString());
    CliRun first = CliRun.of("render", repo.toString());
    CliRun second = CliRun.of("render", repo.toString());
    CliRun diffAfter = CliRun.of("diff", repo.toString());

    assertThat(diff.exitCode()).isZero();
    assertThat(diff.out())
        .contains("--- a/rendered/prod/manifests/shop/cart.yaml")
        .contains("-  replicas: 2")
        .contains("+  replicas: 4");
    assertThat(first.err()).contains("prod: wrote rendered/prod");
    assertThat(second.err()).contains("prod: unchanged rendered/prod");
    assertThat(diffAfter.out()).isEmpty();
    assertThat(diffAfter.err()).contains("prod: no changes");
  }

  @Test
  void outDashPrintsEveryFileAndWritesNothing(@TempDir Path tmp) throws Exception {
    Path repo = sampleCopy(tmp);
    deleteTree(repo.resolve("rendered"));

    CliRun run = CliRun.of("render", "--out", "-", repo.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("# Target: prod, file: kustomization.yaml")
        .contains("# Source: manifests/payments/ledger.yaml");
    assertThat(Files.exists(repo.resolve("rendered"))).isFalse();
  }

  @Test
  void badArgumentsExitTwoWithTheUsage() {
    CliRun run = CliRun.of("render", "--no-such-flag");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("Unknown option: '--no-such-flag'")
        .contains("Usage: convoy render")
        .contains("Run 'convoy render --help'");
  }

  @Test
  void helpListsTheExitCodes() {
    CliRun run = CliRun.of("render", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Exit codes:").contains("2  bad input or configuration");
  }

  @Test
  void aMissingConvoyYamlIsBadInput(@TempDir Path tmp) {
    CliRun run = CliRun.of("validate", tmp.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("error: convoy.yaml: not found in")
        .contains("is this a Convoy config repo?");
  }

  private static void deleteTree(Path p) throws Exception {
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}

package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convoy test} over the sample config repo's fixtures and broken copies of them. */
class TestCommandTest {
  @TempDir Path tmp;

  @Test
  void sampleFixturesPass() {
    if (Boolean.getBoolean("convoy.update-golden")) {
      // -Dconvoy.update-golden=true: the sample's fixtures record what renders now (CONTRIBUTING).
      assertThat(CliRun.of("test", CliRun.sample().toString(), "--update").exitCode()).isZero();
    }
    CliRun run = CliRun.of("test", CliRun.sample().toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out().lines())
        .allMatch(l -> l.startsWith("PASS ") || l.matches("\\d+ passed, 0 failed"));
    assertThat(run.out().lines().filter(l -> l.startsWith("PASS "))).hasSizeGreaterThanOrEqualTo(5);
    assertThat(run.out())
        .endsWith(
            run.out().lines().filter(l -> l.startsWith("PASS ")).count() + " passed, 0 failed\n");
  }

  @Test
  void changedExpectationFailsWithTheFirstDifferenceAndExitsOne() throws Exception {
    Path repo = copyOfSample();
    Path expected = repo.resolve("tests/shop-warm-cache-first/expected/prod/manifests/shop.yaml");
    Files.writeString(
        expected, Files.readString(expected).replace("- name: warm-cache", "- name: warm-kache"));
    Files.delete(repo.resolve("tests/veto-kube-system/expected/prod/kustomization.yaml"));
    CliRun run = CliRun.of("test", repo.toString(), "--diff");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.VIOLATIONS);
    assertThat(run.out())
        .contains(
            "FAIL shop-warm-cache-first: expected/prod/manifests/shop.yaml differs from the rendered output at line")
        .contains("expected '- name: warm-kache', rendered '- name: warm-cache'")
        .contains(
            "FAIL veto-kube-system: rendered expected/prod/kustomization.yaml, which is not expected")
        .contains("+      - name: warm-cache")
        .containsPattern("\\d+ passed, 2 failed\\n$");
  }

  @Test
  void unexpectedAndMissingViolationsFail() throws Exception {
    Path repo = copyOfSample();
    Files.writeString(
        repo.resolve("tests/pci-workload-excludes-mesh/expected-violations.yaml"),
        "violations: []\n");
    Files.writeString(
        repo.resolve("tests/veto-kube-system/expected-violations.yaml"),
        "violations:\n  - code: cycle\n");
    CliRun run =
        CliRun.of("test", repo.toString(), "--case", "pci-workload-excludes-mesh,veto-kube-system");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.VIOLATIONS);
    assertThat(run.out())
        .contains("FAIL pci-workload-excludes-mesh: unexpected violation manifests/payments.yaml:")
        .contains("error[pci-mesh] prod/Deployment/payments/card-vault")
        .contains("FAIL veto-kube-system: expected violation not reported: {code=cycle}")
        .endsWith("0 passed, 2 failed\n");
  }

  @Test
  void caseWithoutExpectationFailsAndNoCasesIsBadInput() throws Exception {
    Path repo = copyOfSample();
    Files.createDirectories(repo.resolve("tests/empty/manifests"));
    assertThat(CliRun.of("test", repo.toString(), "--case", "empty").out())
        .contains(
            "FAIL empty: nothing to check: add expected/<target>/ or expected-violations.yaml");
    Path bare = CliRun.ruleRepo(tmp, "trust");
    CliRun none = CliRun.of("test", bare.toString());
    assertThat(none.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(none.err()).contains("error: no test cases");
  }

  @Test
  void brokenRulesAreBadInputBeforeAnyCase() throws Exception {
    Path repo = copyOfSample();
    Files.writeString(
        repo.resolve("rules/broken.drl"), "package x;\nrule \"x\" when then oops(; end\n");
    CliRun run = CliRun.of("test", repo.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("error: rules/broken.drl:2");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void updateRewritesOnlyFailingCasesAndOnlyWhatTheyCheck() throws Exception {
    Path repo = copyOfSample();
    Path expected = repo.resolve("tests/shop-warm-cache-first/expected/prod/manifests/shop.yaml");
    String rendered = Files.readString(expected);
    Files.writeString(expected, rendered.replace("- name: warm-cache", "- name: warm-kache"));
    Path handWritten = repo.resolve("tests/pci-workload-excludes-mesh/expected-violations.yaml");
    String trimmed = Files.readString(handWritten);

    CliRun update = CliRun.of("test", repo.toString(), "--update");

    assertThat(update.exitCode()).as(update.out() + update.err()).isZero();
    assertThat(update.out())
        .contains("UPDATED shop-warm-cache-first")
        .contains("PASS pci-workload-excludes-mesh");
    assertThat(expected).hasContent(rendered);
    // A passing case keeps its trimmed, commented expectations, and gains no expected/ folder.
    assertThat(handWritten).hasContent(trimmed);
    assertThat(repo.resolve("tests/pci-workload-excludes-mesh/expected")).doesNotExist();
  }

  /** A copy of the sample, whose cases all pass. */
  private Path copyOfSample() {
    Path repo = tmp.resolve("config-repo");
    CliRun.copy(CliRun.sample(), repo);
    return repo;
  }
}

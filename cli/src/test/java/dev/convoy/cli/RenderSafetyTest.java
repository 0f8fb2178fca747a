package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local commands on a repo that would lose or leak something: {@code diff} shows the
 * mass-removal guard reconcile applies, and {@code render} refuses committed symlinks without
 * reading or printing what they point to.
 */
class RenderSafetyTest {
  static final String TOKEN = "local-token-44e1b7a0-never-print";

  @TempDir Path tmp;

  private Path sample() {
    Path repo = tmp.resolve("repo");
    CliRun.copy(CliRun.sample(), repo);
    return repo;
  }

  @Test
  void diffFailsOnAChangeThatRemovesMostRenderedWorkloadsUnlessAllowed() throws Exception {
    Path repo = sample();
    for (String gone :
        new String[] {"shop/cart.yaml", "shop/frontend.yaml", "payments/ledger.yaml"}) {
      Files.delete(repo.resolve("manifests").resolve(gone));
    }
    SortedMap<String, String> before = FolderBytes.snapshot(repo);

    CliRun refused = CliRun.of("diff", "--max-removal", "20", repo.toString());

    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.out()).contains("--- a/rendered/prod/manifests/shop/cart.yaml");
    assertThat(refused.err())
        .containsPattern("error: prod: this change removes 3 of 11 rendered workloads \\(27%\\)")
        .contains("convoy reconcile would refuse to push this change");
    assertThat(FolderBytes.snapshot(repo)).isEqualTo(before);

    CliRun allowed =
        CliRun.of("diff", "--max-removal", "20", "--allow-mass-removal", repo.toString());
    assertThat(allowed.exitCode()).as(allowed.err()).isZero();

    CliRun underDefault = CliRun.of("diff", repo.toString());
    assertThat(underDefault.exitCode()).as("3 of 11 is under the default 50%").isZero();
  }

  @Test
  void renderRefusesSymlinksThatLeaveTheRepoAndPrintsNothingOfTheirTarget() throws Exception {
    Path repo = sample();
    Path outside = Files.createDirectories(tmp.resolve("home/.kube"));
    Path config = Files.writeString(outside.resolve("config"), "token: " + TOKEN + "\n");
    Files.writeString(outside.resolve("precious.yaml"), "keep: me\n");
    Files.createSymbolicLink(repo.resolve("manifests/shop/kubeconfig.yaml"), config);
    SortedMap<String, String> outsideBefore = FolderBytes.snapshot(outside);
    SortedMap<String, String> before = FolderBytes.snapshot(repo);

    CliRun leak = CliRun.of("render", repo.toString());

    assertThat(leak.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(leak.err())
        .contains("error: manifests/shop/kubeconfig.yaml: is a symlink pointing outside the repo");
    assertThat(leak.out() + leak.err()).doesNotContain(TOKEN).doesNotContain(config.toString());
    assertThat(FolderBytes.snapshot(repo)).isEqualTo(before);

    // A committed folder symlink in place of rendered/: rendering would write and delete there.
    Files.delete(repo.resolve("manifests/shop/kubeconfig.yaml"));
    CliRun.copy(repo.resolve("rendered"), tmp.resolve("rendered-copy"));
    deleteTree(repo.resolve("rendered"));
    Files.createSymbolicLink(repo.resolve("rendered"), outside);

    CliRun through = CliRun.of("render", repo.toString());

    assertThat(through.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(through.err()).contains("'rendered' is a symlink; rendering through it would write");
    assertThat(FolderBytes.snapshot(outside)).isEqualTo(outsideBefore);
  }

  @Test
  void aRuleTimeoutThatIsNotADurationIsABadArgument() {
    CliRun run = CliRun.of("validate", "--rule-timeout", "forever", sample().toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("'forever' is not a duration like 90s, 5m or 1h");
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

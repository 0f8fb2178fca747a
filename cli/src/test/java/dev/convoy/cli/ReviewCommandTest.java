package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewCommandTest {
  /** The base of most cases: a small fleet with a mesh policy. */
  private static final Path FLEET =
      Path.of("src", "test", "resources", "review-cases", "policy-bump", "base");

  @TempDir Path tmp;

  @Test
  void headRulesThatWriteAFileOrExitTheJvmAreCompiledButNeverRun() throws Exception {
    Path marker = tmp.resolve("head-rule-ran");
    Path head = copy(FLEET, "head");
    write(
        head,
        "rules/evil.drl",
        """
        package evil;

        import dev.convoy.engine.facts.WorkloadFact;

        function boolean escape(String path) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(path), "ran");
            } catch (java.io.IOException e) {
            }
            System.exit(42);
            return true;
        }

        rule "evil: in the conditions"
        when
            WorkloadFact( eval(escape("%1$s")) )
        then
        end

        rule "evil: in the consequence"
        when
            WorkloadFact()
        then
            java.nio.file.Files.writeString(java.nio.file.Path.of("%1$s"), "ran");
            System.exit(43);
        end
        """
            .formatted(marker));
    Path repo = ReviewRepo.create(tmp.resolve("repo"), FLEET, head);

    CliRun run = review(repo);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(marker).doesNotExist();
    assertThat(run.out()).contains("they were compiled but not run").contains("**No change.**");
  }

  @Test
  void aHeadThatRemovesMostWorkloadsShowsReconcilesGuardUnlessAllowed() throws Exception {
    Path head = copy(FLEET, "head");
    for (String gone : List.of("manifests/shop", "manifests/payments")) {
      try (var walk = java.nio.file.Files.walk(head.resolve(gone))) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Path repo = ReviewRepo.create(tmp.resolve("repo"), FLEET, head);

    CliRun run = review(repo);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.out())
        .contains("#### Reconcile would refuse to push this change")
        .contains("prod: this change removes 3 of 4 rendered workloads");
    assertThat(run.err())
        .contains("error: prod: this change removes 3 of 4 rendered workloads")
        .contains("--allow-mass-removal");

    CliRun allowed = review(repo, "--allow-mass-removal");
    assertThat(allowed.exitCode()).as(allowed.err()).isZero();
    assertThat(allowed.out()).doesNotContain("would refuse");
  }

  /** Targets built from different overlays render apart; a review takes one at a time. */
  @Test
  void targetsThatReadDifferentSourcesAreReviewedInOneReport() throws Exception {
    SourceCasesTest.assumeKubectl();
    Path overlays = Path.of("src/test/resources/source-cases/kustomize-overlays/in");
    Path head = tmp.resolve("head");
    CliRun.copy(overlays, head);
    Path replicas = head.resolve("overlays/prod/replicas.yaml");
    Files.writeString(replicas, Files.readString(replicas).replace("replicas: 3", "replicas: 4"));
    Path repo = ReviewRepo.create(tmp.resolve("repo"), overlays, head);

    // prod builds overlays/prod, staging overlays/staging: two groups, rendered apart, one report.
    CliRun both = CliRun.of("review", "--base", "base", "--head", "head", repo.toString());
    CliRun prod =
        CliRun.of("review", "--base", "base", "--head", "head", "-t", "prod", repo.toString());
    CliRun json =
        CliRun.of("review", "--base", "base", "--head", "head", "-o", "json", repo.toString());

    assertThat(both.exitCode()).as(both.err()).isZero();
    assertThat(both.out())
        .contains("| `prod` | native | 1 |", "| `staging` | legacy | 0 |")
        .contains("`spec.replicas`: `3` → `4`");
    assertThat(prod.exitCode()).as(prod.err()).isZero();
    assertThat(prod.out()).contains("`spec.replicas`: `3` → `4`").doesNotContain("`staging`");
    assertThat(json.out()).contains("\"targets\" : 2", "\"name\" : \"staging\"");
  }

  @Test
  void aHeadRuleThatDoesNotCompileIsBadInputNamingTheHead() throws Exception {
    Path head = copy(FLEET, "head");
    write(head, "rules/broken.drl", "package broken;\nrule \"x\"\nwhen\n  Nope(\nthen\nend\n");
    Path repo = ReviewRepo.create(tmp.resolve("repo"), FLEET, head);

    CliRun run = review(repo);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("error: head ")
        .contains("rules/broken.drl")
        .contains("compiled, not run");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void trustedHeadRulesRunOnTheHeadsSideOnly() throws Exception {
    Path head = copy(FLEET, "head");
    write(
        head,
        "rules/owners.drl",
        """
        package owners;

        import dev.convoy.engine.decide.Violation;
        import dev.convoy.engine.facts.WorkloadFact;

        rule "owners: frontend needs an owner"
        when
            $w : WorkloadFact( name == "frontend" )
        then
            insertLogical(Violation.error("owner", "frontend has no owner", $w.id(), null, $w.file(), $w.line()));
        end
        """);
    Path repo = ReviewRepo.create(tmp.resolve("repo"), FLEET, head);

    CliRun untrusted = review(repo);
    CliRun trusted = review(repo, "--trust-head-rules");

    assertThat(untrusted.exitCode()).as(untrusted.err()).isZero();
    assertThat(untrusted.out()).doesNotContain("frontend has no owner");
    assertThat(trusted.exitCode()).isEqualTo(ExitCodes.VIOLATIONS);
    assertThat(trusted.out())
        .contains("#### New violations (1)")
        .contains("frontend has no owner")
        .contains("they ran (`--trust-head-rules`)");
    assertThat(trusted.err())
        .contains("the head adds 1 error violation(s):")
        .contains("error[owner] prod/Deployment/shop/frontend: frontend has no owner");
  }

  @Test
  void badInputInTheHeadIsExitTwoWithTheFileLineAndSourceLine() throws Exception {
    Path head = copy(FLEET, "head");
    write(head, "manifests/shop/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [oops\n");
    Path repo = ReviewRepo.create(tmp.resolve("repo"), FLEET, head);

    CliRun run = review(repo);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("error: head ").contains("manifests/shop/broken.yaml:");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aRevisionThatDoesNotExistOrAFolderOutsideGitIsAGitFailure() throws Exception {
    Path repo = ReviewRepo.create(tmp.resolve("repo"), FLEET, FLEET);
    Path plain = Files.createDirectories(tmp.resolve("plain"));

    CliRun noRef =
        CliRun.of("review", "--base", "no-such-branch", "--head", "head", repo.toString());
    CliRun noRepo = CliRun.of("review", "--base", "main", plain.toString());

    assertThat(noRef.exitCode()).isEqualTo(ExitCodes.GIT_FAILURE);
    assertThat(noRef.err()).contains("no-such-branch").contains("not found");
    assertThat(noRepo.exitCode()).isEqualTo(ExitCodes.GIT_FAILURE);
    assertThat(noRepo.err()).contains("not a git repository");
  }

  @Test
  void leavesTheWorkTreeTheIndexAndTheRefsAsTheyWere() throws Exception {
    Path head =
        copy(Path.of("src", "test", "resources", "review-cases", "policy-bump", "head"), "h");
    Path repo = ReviewRepo.create(tmp.resolve("repo"), FLEET, head);
    // Someone's work in progress in the folder the bot runs in.
    write(repo, "manifests/shop/cart.yaml", "kind: Deployment # being edited\n");
    write(repo, "manifests/shop/new.yaml", "kind: ConfigMap # untracked\n");
    try (var git = org.eclipse.jgit.api.Git.open(repo.toFile())) {
      git.add().addFilepattern("manifests/shop/new.yaml").call();
    }
    Map<String, String> before = snapshot(repo);

    CliRun run = review(repo);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("envoyproxy/envoy:v1.31.1");
    assertThat(snapshot(repo)).isEqualTo(before);
  }

  @Test
  void theMarkerNamesTheTargetSetAndTheFullReportIsWrittenUncut() throws Exception {
    Path base = Path.of("src", "test", "resources", "review-cases", "oversized", "base");
    Path head = Path.of("src", "test", "resources", "review-cases", "oversized", "head");
    Path repo = ReviewRepo.create(tmp.resolve("repo"), base, head);
    Path full = tmp.resolve("full.md");

    CliRun run =
        review(repo, "--target", "prod", "--max-chars", "2500", "--full-report", full.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("<!-- convoy-review targets=prod -->\n")
        .hasSizeLessThanOrEqualTo(2500);
    assertThat(run.out()).contains("left out").contains("The complete report is in `" + full + "`");
    String complete = Files.readString(full);
    assertThat(complete).startsWith("<!-- convoy-review targets=prod -->\n");
    for (int i = 1; i <= 30; i++) {
      assertThat(complete).contains("`Deployment/fleet/app-%02d`".formatted(i));
    }
    assertThat(complete).doesNotContain("left out");
  }

  private CliRun review(Path repo, String... more) {
    List<String> args =
        new ArrayList<>(List.of("review", "--base", "base", "--head", "head", repo.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private Path copy(Path from, String name) {
    Path to = tmp.resolve(name);
    CliRun.copy(from, to);
    return to;
  }

  private static void write(Path repo, String path, String content) throws Exception {
    Path file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** Every file of the folder, .git included, with its bytes and modification time. */
  private static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(
            dir.relativize(p).toString(),
            Files.getLastModifiedTime(p)
                + " "
                + java.util.HexFormat.of()
                    .formatHex(
                        java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }
}

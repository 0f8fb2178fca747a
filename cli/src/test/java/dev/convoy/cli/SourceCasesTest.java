package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The golden cases of built sources, through the real commands with the real tools ({@code kubectl
 * kustomize}, Helm in-process): {@code source-cases/<case>/in} renders to exactly {@code expected/}
 * (every target folder), {@code kubectl kustomize} builds each rendered folder, a second render
 * over the output changes no byte, and {@code validate} agrees. {@code source-cases-invalid/<case>}
 * repos exit 2 with the errors their {@code case.yaml} lists and write nothing. {@code
 * -Dconvoy.golden.update=true} rewrites {@code expected/} from what renders.
 */
class SourceCasesTest {
  private static final Path CASES = Path.of("src", "test", "resources", "source-cases");
  private static final Path INVALID = Path.of("src", "test", "resources", "source-cases-invalid");
  private static final String NOW = "2026-01-01T00:00:00Z";

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> everyCaseRendersAsExpectedBuildsAndIsIdempotent() throws IOException {
    return cases(CASES).map(c -> DynamicTest.dynamicTest(name(c), () -> check(c)));
  }

  @TestFactory
  Stream<DynamicTest> everyInvalidCaseExitsTwoNamingTheSourceAndWritesNothing() throws IOException {
    return cases(INVALID).map(c -> DynamicTest.dynamicTest(name(c), () -> checkInvalid(c)));
  }

  private void check(Path dir) throws Exception {
    assumeKubectl();
    Path repo = tmp.resolve(name(dir));
    CliRun.copy(dir.resolve("in"), repo);
    CliRun render = CliRun.of("render", "--now", NOW, repo.toString());
    assertThat(render.exitCode()).as(render.err()).isIn(0, 1);
    SortedMap<String, String> rendered = outputs(repo);
    Path expected = dir.resolve("expected");
    if (Boolean.getBoolean("convoy.golden.update")) {
      StagedRepo.delete(expected);
      rendered.forEach(
          (file, text) -> {
            try {
              Files.createDirectories(expected.resolve(file).getParent());
              Files.writeString(expected.resolve(file), text);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
    assertThat(rendered).as("rendered/ of " + name(dir)).isEqualTo(expectedFiles(expected));
    for (Path target : targets(repo)) {
      String built = kubectlKustomize(target);
      assertThat(built).as("kubectl kustomize " + target).contains("kind: Deployment");
    }
    CliRun again = CliRun.of("render", "--now", NOW, repo.toString());
    assertThat(again.exitCode()).isEqualTo(render.exitCode());
    assertThat(outputs(repo)).as("a second render over the output").isEqualTo(rendered);
    CliRun diff = CliRun.of("diff", "--exit-code", "--now", NOW, repo.toString());
    assertThat(diff.exitCode()).as(diff.out() + diff.err()).isIn(0, 1);
    assertThat(diff.out()).as("diff after render").doesNotContain("+++");
    CliRun validate = CliRun.of("validate", repo.toString());
    assertThat(validate.exitCode()).as(validate.err()).isEqualTo(render.exitCode());
    // case.yaml, when there is one: explain names the repo file a built workload came from, and
    // render passes on each warning the builds printed.
    if (Files.exists(dir.resolve("case.yaml"))) {
      Map<String, Object> spec = new Yaml().load(Files.readString(dir.resolve("case.yaml")));
      @SuppressWarnings("unchecked")
      List<String> warnings = (List<String>) spec.getOrDefault("warnings", List.of());
      for (String warning : warnings) {
        assertThat(render.err()).as("render's warnings").contains("warning: " + warning + "\n");
      }
      @SuppressWarnings("unchecked")
      Map<String, String> explain = (Map<String, String>) spec.get("explain");
      CliRun run =
          CliRun.of(
              "explain",
              "--now",
              NOW,
              "-t",
              explain.get("target"),
              repo.toString(),
              explain.get("workload"));
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("built from " + explain.get("builtFrom") + "\n");
    }
  }

  private void checkInvalid(Path dir) throws Exception {
    assumeKubectl();
    @SuppressWarnings("unchecked")
    List<String> errors =
        (List<String>)
            new Yaml()
                .<Map<String, Object>>load(Files.readString(dir.resolve("case.yaml")))
                .get("errors");
    Path repo = tmp.resolve(name(dir));
    CliRun.copy(dir.resolve("in"), repo);
    SortedMap<String, String> before = FolderBytes.snapshot(repo);
    for (String command : List.of("render", "validate")) {
      CliRun run = CliRun.of(command, repo.toString());
      assertThat(run.exitCode()).as(command + "\n" + run.err()).isEqualTo(ExitCodes.BAD_INPUT);
      for (String error : errors) {
        assertThat(run.err()).as(command).contains("error: " + error);
      }
      assertThat(FolderBytes.snapshot(repo)).as(command + " wrote nothing").isEqualTo(before);
    }
  }

  static void assumeKubectl() {
    Assumptions.assumeTrue(
        KustomizeBuild.onPath("kubectl") != null || KustomizeBuild.onPath("kustomize") != null,
        "neither kubectl nor kustomize is on the PATH: install either to run the kustomize tests");
  }

  /** What {@code kubectl kustomize} prints for a rendered folder; fails the test on an error. */
  static String kubectlKustomize(Path folder) throws Exception {
    Process p =
        new ProcessBuilder("kubectl", "kustomize", folder.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize " + folder + "\n" + out).isZero();
    return out;
  }

  private static List<Path> targets(Path repo) throws IOException {
    try (Stream<Path> list = Files.list(repo.resolve("rendered"))) {
      return list.filter(Files::isDirectory).sorted().toList();
    }
  }

  /** Every file under rendered/, by path (the lock files of a run excluded). */
  private static SortedMap<String, String> outputs(Path repo) throws IOException {
    SortedMap<String, String> out = new TreeMap<>();
    Path rendered = repo.resolve("rendered");
    try (Stream<Path> walk = Files.walk(rendered)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = rendered.relativize(p).toString();
        if (!rel.endsWith(".convoy-lock")) {
          out.put(rel, Files.readString(p));
        }
      }
    }
    return out;
  }

  private static SortedMap<String, String> expectedFiles(Path expected) throws IOException {
    SortedMap<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(expected)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(expected)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(expected.relativize(p).toString(), Files.readString(p));
      }
    }
    return out;
  }

  private static Stream<Path> cases(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return Stream.empty();
    }
    try (Stream<Path> list = Files.list(root)) {
      return list.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }
}

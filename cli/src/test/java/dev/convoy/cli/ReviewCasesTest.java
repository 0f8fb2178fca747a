package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.convoy.engine.output.OutputDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The review's golden cases, {@code src/test/resources/review-cases/<case>/}: {@code base/} and
 * {@code head/} are the config repo at the two commits of a pull request, {@code expected.md} and
 * {@code expected.json} what {@code convoy review --base base --head head} prints. An optional
 * {@code case.yaml} gives more arguments ({@code args: [...]}, added to both runs), the expected
 * exit code ({@code exitCode:}, default 0) and texts that must appear in neither report ({@code
 * mustNotContain: [...]}, e.g. a secret's value) and the tools it needs ({@code needs: [kubectl]}
 * for kustomize sources: skipped without). Every case runs twice and must print the same bytes. A
 * new case is a new folder; {@code -Dreview.cases.update=true} rewrites the expected files of every
 * case (then read the diff).
 */
class ReviewCasesTest {
  private static final Path CASES = Path.of("src", "test", "resources", "review-cases");
  private static final boolean UPDATE = Boolean.getBoolean("review.cases.update");
  private static final JsonSchemaCheck SCHEMA;

  static {
    try {
      SCHEMA = new JsonSchemaCheck(Files.readString(Path.of("..", "docs", "review.schema.json")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> printsEveryCaseAsExpected() throws IOException {
    List<Path> dirs;
    try (Stream<Path> list = Files.list(CASES)) {
      dirs = list.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(dirs).as("review cases").isNotEmpty();
    return dirs.stream()
        .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> runCase(dir)));
  }

  private void runCase(Path dir) throws Exception {
    for (String part : List.of("base", "head")) {
      assertThat(dir.resolve(part)).as(dir + ": needs " + part + "/").isDirectory();
    }
    Map<String, Object> spec = spec(dir);
    @SuppressWarnings("unchecked")
    List<String> extra = (List<String>) spec.getOrDefault("args", List.of());
    int exitCode = ((Number) spec.getOrDefault("exitCode", 0)).intValue();
    @SuppressWarnings("unchecked")
    List<String> forbidden = (List<String>) spec.getOrDefault("mustNotContain", List.of());
    @SuppressWarnings("unchecked")
    List<String> needs = (List<String>) spec.getOrDefault("needs", List.of());
    if (needs.contains("kubectl")) {
      SourceCasesTest.assumeKubectl();
    }

    Path repo =
        ReviewRepo.create(
            tmp.resolve(dir.getFileName().toString()), dir.resolve("base"), dir.resolve("head"));
    for (String format : List.of("md", "json")) {
      List<String> args = new ArrayList<>(List.of("review", "--base", "base", "--head", "head"));
      args.add(repo.toString());
      if (format.equals("json")) {
        args.addAll(List.of("-o", "json"));
      }
      args.addAll(extra);
      CliRun first = CliRun.of(args.toArray(String[]::new));
      CliRun second = CliRun.of(args.toArray(String[]::new));

      assertThat(first.exitCode())
          .as(dir + " " + format + ": exit code\n" + first.err())
          .isEqualTo(exitCode);
      assertThat(second.out())
          .as(dir + " " + format + ": the same bytes twice")
          .isEqualTo(first.out());
      int limit = extra.indexOf("--max-chars");
      if (format.equals("md") && limit >= 0) {
        assertThat(first.out().length())
            .as(dir + ": within --max-chars")
            .isLessThanOrEqualTo(Integer.parseInt(extra.get(limit + 1)));
      }
      if (format.equals("json")) {
        assertThat(SCHEMA.problems(first.out()))
            .as(dir + ": follows docs/review.schema.json")
            .isEmpty();
      }
      for (String secret : forbidden) {
        assertThat(first.out() + first.err()).as(dir + " " + format).doesNotContain(secret);
      }
      Path expected = dir.resolve("expected." + format);
      if (UPDATE) {
        Files.writeString(expected, first.out());
        continue;
      }
      if (!Files.isRegularFile(expected)) {
        fail(dir + ": missing expected." + format + "; run with -Dreview.cases.update=true");
      }
      String want = Files.readString(expected);
      if (!want.equals(first.out())) {
        fail(
            dir
                + ": expected."
                + format
                + " differs:\n"
                + OutputDiff.unified(
                    "expected." + format,
                    want.getBytes(StandardCharsets.UTF_8),
                    first.out().getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  private static Map<String, Object> spec(Path dir) throws IOException {
    Path file = dir.resolve("case.yaml");
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    Map<String, Object> spec = new Yaml().load(Files.readString(file));
    return spec == null ? Map.of() : spec;
  }
}

package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every golden {@code cases-invalid/} repo of the engine, through the real commands: {@code
 * render}, {@code diff} and {@code validate} each exit 2 with the case's first error, and leave
 * every byte of the repo as it was (an output that would replace the sources, a missing sources
 * folder, ...: nothing is written before the check).
 */
class InvalidRepoCasesTest {
  private static final Path CASES =
      Path.of("..", "engine", "src", "test", "resources", "cases-invalid");

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> everyCommandRefusesEveryInvalidCaseAndWritesNothing() throws Exception {
    List<Path> cases;
    try (Stream<Path> list = Files.list(CASES)) {
      cases = list.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(cases).hasSizeGreaterThan(20);
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c)));
  }

  private void check(Path dir) throws Exception {
    @SuppressWarnings("unchecked")
    List<String> errors =
        (List<String>)
            new Yaml()
                .<Map<String, Object>>load(Files.readString(dir.resolve("case.yaml")))
                .get("errors");
    Path repo = tmp.resolve(dir.getFileName().toString());
    CliRun.copy(dir.resolve("in"), repo);
    SortedMap<String, String> before = FolderBytes.snapshot(repo);
    for (String command : List.of("render", "diff", "validate")) {
      CliRun run = CliRun.of(command, repo.toString());

      assertThat(run.exitCode()).as(command + "\n" + run.err()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(run.err()).as(command).contains("error: " + errors.get(0));
      assertThat(FolderBytes.snapshot(repo)).as(command + " wrote nothing").isEqualTo(before);
    }
  }
}

package dev.convoy.engine.yaml;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The YAML files the parser and printer tests run over: the project's own (its samples hold a
 * corpus of real public manifests) and the larger corpus beside the checkout, when there is one.
 */
final class TestManifests {
  /** The corpus beside the checkout ({@code -Dconvoy.corpus=DIR}); optional. */
  static final String CORPUS = System.getProperty("convoy.corpus", "../../shared/corpus");

  /** Folders, relative to the engine module. */
  static final String[] FOLDERS = {"src/test/resources", "../samples", CORPUS};

  private TestManifests() {}

  static Stream<String> folders() {
    return Stream.of(FOLDERS);
  }

  /**
   * Every .yaml and .yml file under {@code folder}, sorted. A missing corpus skips the test with
   * the reason; any other folder must exist. The fuzz tests' seeds and the invalid golden cases are
   * left out: many are hostile on purpose.
   */
  static List<Path> under(String folder) throws IOException {
    Path root = Path.of(folder);
    if (folder.equals(CORPUS)) {
      assumeTrue(
          Files.isDirectory(root),
          "no corpus at " + root.toAbsolutePath().normalize() + " (set -Dconvoy.corpus=DIR)");
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(p -> !p.toString().contains("FuzzTestInputs"))
          .filter(p -> !p.toString().contains("cases-invalid"))
          .sorted()
          .toList();
    }
  }
}

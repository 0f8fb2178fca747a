package dev.convoy.engine.yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The YAML files the parser and printer tests run over: the repo's own and the shared corpus. */
final class TestManifests {
  /**
   * Folders, relative to the engine module; {@code ../../shared/corpus} is the corpus beside the
   * checkout.
   */
  static final String[] FOLDERS = {
    "src/test/resources", "../samples", "../rules/src/test/resources", "../../shared/corpus"
  };

  private TestManifests() {}

  static Stream<String> folders() {
    return Stream.of(FOLDERS);
  }

  /**
   * Every .yaml and .yml file under {@code folder}, sorted; none when the folder is missing. The
   * fuzz tests' seeds and the invalid golden cases are left out: many are hostile on purpose.
   */
  static List<Path> under(String folder) throws IOException {
    Path root = Path.of(folder);
    if (!Files.isDirectory(root)) {
      return List.of();
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

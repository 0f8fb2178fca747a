package dev.convoy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Seeds served repos for reconcile tests from the sample config repo. */
final class SampleRepo {
  private SampleRepo() {}

  /**
   * The convoy.yaml, manifests/ and policies/ of the sample config repo (no custom rules, no
   * rendered output; convoy.yaml no longer lists the rules folder, which must exist when listed).
   */
  static Path seed(Path into) throws IOException {
    Path sample = Path.of("..", "samples", "config-repo").toAbsolutePath().normalize();
    Files.writeString(
        into.resolve("convoy.yaml"),
        Files.readString(sample.resolve("convoy.yaml")).replace("rules: [rules]\n", ""));
    for (String folder : List.of("manifests", "policies")) {
      try (Stream<Path> walk = Files.walk(sample.resolve(folder))) {
        for (Path p : walk.toList()) {
          Path target = into.resolve(sample.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
    }
    return into;
  }
}

package dev.convoy.cli;

import dev.convoy.git.testing.GitServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Seeds served repos for reconcile tests from the sample config repo. */
final class SampleRepo {
  private SampleRepo() {}

  /**
   * The convoy.yaml, manifests/ and policies/ of the sample config repo (no custom rules, no
   * rendered output; convoy.yaml no longer lists the rules folder, which must exist when listed).
   */
  static Path seed(Path into) throws IOException {
    Path sample = CliRun.sample();
    Files.writeString(
        into.resolve("convoy.yaml"),
        Files.readString(sample.resolve("convoy.yaml")).replace("rules: [rules]\n", ""));
    for (String folder : List.of("manifests", "policies")) {
      CliRun.copy(sample.resolve(folder), into.resolve(folder));
    }
    return into;
  }

  /** A repository named {@code name} on every server, holding a seed of the sample. */
  static GitServers.Repo served(GitServers servers, String name) throws Exception {
    return servers.createRepo(name, seed(servers.newFolder("seed-")));
  }
}

package dev.convoy.cli;

import dev.convoy.git.testing.GitServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Seeds served repos for reconcile tests from the sample config repo. */
final class SampleRepo {
  private SampleRepo() {}

  /** The sample's {@code sources:} block: its plain folder, overlay and chart. */
  private static final Pattern SOURCES =
      Pattern.compile("^sources:\n(?: +.*\n)+", Pattern.MULTILINE);

  /**
   * The convoy.yaml, manifests/ and policies/ of the sample config repo: no custom rules, no
   * rendered output, and only the plain sources (reconcile's tests are about git and the rollout,
   * not builds; convoy.yaml no longer lists the rules folder, the overlay or the chart).
   */
  static Path seed(Path into) throws IOException {
    Path sample = CliRun.sample();
    Files.writeString(
        into.resolve("convoy.yaml"), plainSources(Files.readString(sample.resolve("convoy.yaml"))));
    for (String folder : List.of("manifests", "policies")) {
      CliRun.copy(sample.resolve(folder), into.resolve(folder));
    }
    return into;
  }

  /** The sample's convoy.yaml reading its plain manifests/ only, without the rules: entry. */
  static String plainSources(String config) {
    Matcher sources = SOURCES.matcher(config);
    if (!sources.find()) {
      throw new IllegalStateException("the sample's convoy.yaml has no sources: block");
    }
    return sources.replaceFirst("sources: [manifests]\n").replace("rules: [rules]\n", "");
  }

  /** A repository named {@code name} on every server, holding a seed of the sample. */
  static GitServers.Repo served(GitServers servers, String name) throws Exception {
    return servers.createRepo(name, seed(servers.newFolder("seed-")));
  }
}

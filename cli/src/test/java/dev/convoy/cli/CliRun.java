package dev.convoy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Runs {@code convoy} in-process and captures what it prints, for the explain and test tests. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = ConvoyCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The sample config repo, from the cli module's folder (where surefire runs). */
  static Path sample() {
    return Path.of("..", "samples", "config-repo").toAbsolutePath().normalize();
  }

  /** A copy of the test resource rule-repos/base overlaid with rule-repos/{@code variant}. */
  static Path ruleRepo(Path tmp, String variant) {
    Path root = Path.of("src", "test", "resources", "rule-repos");
    Path repo = tmp.resolve(variant);
    copy(root.resolve("base"), repo);
    copy(root.resolve(variant), repo);
    return repo;
  }

  static void copy(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

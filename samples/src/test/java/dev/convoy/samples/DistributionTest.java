package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution {@code convoy-<version>.tar.gz} that {@code ./mvnw package} makes works as the
 * README says: unpacked anywhere, {@code bin/convoy} runs with the JDK on the machine, prints the
 * version it was built from, makes its class-data archive on the first run and renders the sample.
 */
class DistributionTest {
  private static final Path DIST = Path.of(System.getProperty("convoy.dist", "-"));
  private static final String VERSION = System.getProperty("convoy.version", "");

  record Result(int exitCode, String out) {}

  @Test
  void unpacksAndRunsWithTheMachinesJava(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isRegularFile(DIST), "no " + DIST + ": run ./mvnw package first");
    Result tar = run(dir, List.of("tar", "xzf", DIST.toString()));
    assertThat(tar.exitCode()).as(tar.out()).isZero();
    Path home = dir.resolve("convoy-" + VERSION);
    Path convoy = home.resolve("bin/convoy");
    assertThat(Files.isExecutable(convoy)).as(convoy + " executable").isTrue();
    assertThat(home.resolve("convoy.jsa")).doesNotExist();

    Result version = run(dir, List.of(convoy.toString(), "--version"));

    assertThat(version.exitCode()).as(version.out()).isZero();
    assertThat(version.out().strip())
        .matches("convoy " + Pattern.quote(VERSION) + " \\([0-9a-f]{7}(-dirty)?\\)");
    assertThat(home.resolve("convoy.jsa"))
        .as("the first run dumps the class-data archive from the shipped class list")
        .isRegularFile();

    Result render =
        run(
            dir,
            List.of(
                convoy.toString(),
                "render",
                "--out",
                "-",
                Path.of("config-repo").toAbsolutePath().toString()));
    assertThat(render.exitCode()).as(render.out()).isZero();
    assertThat(render.out()).contains("name: log-shipper").doesNotContain("Exception");
  }

  private static Result run(Path dir, List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}

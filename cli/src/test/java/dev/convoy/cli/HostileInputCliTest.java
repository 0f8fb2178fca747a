package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Hostile files exit 2 with one line naming file and line, never a stack trace or a Java class
 * name; a bug in Convoy is exit 4, distinct from violations (1); what Convoy does not read is
 * listed.
 */
class HostileInputCliTest {
  private static final String CONFIG =
      "apiVersion: convoy.dev/v1alpha1\nkind: ConvoyConfig\ntargets:\n"
          + "  - name: prod\n    kubernetesVersion: \"1.31\"\n";

  private static Path repo(Path tmp, String file, byte[] content) throws IOException {
    Files.createDirectories(tmp.resolve("manifests"));
    Files.createDirectories(tmp.resolve("policies"));
    Files.writeString(tmp.resolve("convoy.yaml"), CONFIG);
    Files.write(tmp.resolve(file), content);
    return tmp;
  }

  private static String bomb() {
    StringBuilder s = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      s.append(
          "a%d: &a%d [%s]\n"
              .formatted(
                  i, i, String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1)))));
    }
    return s.toString();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          bomb   | manifests/bomb.yaml:6:10: (document 1) aliases stand for more than 10000 nodes
          deep   | manifests/deep.yaml:1:203: (document 1) nested deeper than 200 levels
          dup    | manifests/dup.yaml:3: (document 1) duplicate key 'kind' (also at line 1)
          utf8   | manifests/utf8.yaml:1:14: invalid UTF-8: byte 0xE9
          big    | manifests/big.yaml:1: the file is larger than the limit of 16 MiB
          """)
  void hostileFilesExitTwoWithOneLineNamingFileAndLine(
      String kind, String expected, @TempDir Path tmp) throws IOException {
    byte[] content =
        switch (kind) {
          case "bomb" -> ("kind: ConfigMap\n" + bomb()).getBytes(StandardCharsets.UTF_8);
          case "deep" ->
              ("a: " + "[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
          case "dup" ->
              "kind: ConfigMap\nmetadata: {name: a}\nkind: Secret\n"
                  .getBytes(StandardCharsets.UTF_8);
          case "utf8" -> "greeting: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
          default -> new byte[17 * 1024 * 1024];
        };
    Path repo = repo(tmp, "manifests/" + kind + ".yaml", content);

    CliRun run = CliRun.of("validate", repo.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err().lines().filter(l -> l.startsWith("error: ")))
        .singleElement()
        .asString()
        .startsWith("error: " + expected);
    assertThat(run.err())
        .doesNotContain("java.")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    // The excerpt under the error is cut, whatever the length of the line.
    assertThat(run.err().length()).isLessThan(2_000);
  }

  @Test
  void validateListsEveryFileItDoesNotRead(@TempDir Path tmp) throws IOException {
    Path repo = repo(tmp, "manifests/README.md", "# notes\n".getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        repo.resolve("manifests/cm.JSON"),
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"}}");
    Files.writeString(repo.resolve("manifests/placeholder.yaml"), "# nothing yet\n");
    Files.writeString(repo.resolve("manifests/.gitkeep"), "");

    CliRun run = CliRun.of("validate", "--verbose", repo.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("skipped: manifests/.gitkeep (hidden file, not read)\n")
        .contains("skipped: manifests/README.md (not a .yaml, .yml or .json manifest)\n")
        .contains("files: 2 read, 2 skipped\n");
  }

  /** A command that fails the way only a bug does. */
  @CommandLine.Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    @CommandLine.Option(names = "--stacktrace")
    boolean stacktrace;

    @Override
    public Integer call() {
      throw new NullPointerException(
          "Cannot invoke \"java.util.Map.get(Object)\" because \"m\" is null");
    }
  }

  @Test
  void anInternalErrorIsExitFourOnOneLineWithAHint() {
    for (boolean trace : new boolean[] {false, true}) {
      StringWriter err = new StringWriter();
      CommandLine cl = ConvoyCommand.commandLine().addSubcommand("boom", new Boom());
      cl.setErr(new PrintWriter(err, true));
      cl.setOut(new PrintWriter(new StringWriter(), true));
      int code = trace ? cl.execute("boom", "--stacktrace") : cl.execute("boom");

      assertThat(code).isEqualTo(ExitCodes.INTERNAL_ERROR).isNotEqualTo(ExitCodes.VIOLATIONS);
      String first = err.toString().lines().findFirst().orElse("");
      assertThat(first)
          .startsWith("error: internal error in Convoy while running 'convoy boom'")
          .endsWith("run again with --stacktrace for details")
          .doesNotContain("NullPointerException")
          .doesNotContain("java.");
      if (trace) {
        assertThat(err.toString()).contains("java.lang.NullPointerException").contains("\tat ");
      } else {
        assertThat(err.toString().lines()).hasSize(1);
      }
    }
  }

  @Test
  void helpDocumentsTheInternalErrorCode() {
    CliRun run = CliRun.of("validate", "--help");
    assertThat(run.out())
        .contains("4  internal error (a bug in Convoy; --stacktrace shows details)");
  }
}

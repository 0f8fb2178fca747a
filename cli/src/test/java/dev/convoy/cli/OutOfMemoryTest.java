package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.rules.RuleFailedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Running out of heap ends with one line (the heap's size, how to raise it) and exit code 5: never
 * a stack trace, never the exit code of violations or bad input.
 */
class OutOfMemoryTest {
  @TempDir Path tmp;

  @Test
  void aRenderInATooSmallHeapEndsWithOneLineAndExitCode5() throws Exception {
    Path repo = tmp.resolve("repo");
    CliRun.copy(CliRun.sample(), repo);
    Path out = tmp.resolve("out");

    // 16 MiB: enough to start, too little to compile the sample's rules (a real OOM in Drools).
    ConvoyProcess.Result run =
        ConvoyProcess.of("render", "--out", out.toString(), repo.toString())
            .jvm("-Xmx16m")
            .run(tmp.resolve("logs"), 300);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OUT_OF_MEMORY);
    List<String> errors = run.err().lines().filter(l -> l.startsWith("error:")).toList();
    assertThat(errors)
        .as(run.toString())
        .singleElement()
        .asString()
        .matches(
            "error: out of memory: the Java heap of 1[0-9] MiB was not enough for this repo;"
                + " give it more, e\\.g\\. CONVOY_JAVA_OPTS=\"-Xmx[0-9]+m\" .*");
    assertThat(run.all()).doesNotContain("java.lang", "\tat ", "Exception");
    assertThat(out).as("nothing written").doesNotExist();
  }

  @Test
  void anOutOfMemoryErrorWrappedByARuleOrAStreamIsStillOutOfMemory() {
    // Drools wraps what a rule's consequence throws; picocli and executors wrap Errors too.
    Throwable inRule =
        new RuleFailedException(
            "rule \"r\" (rules/a.drl) failed", "r", "rules/a.drl", List.of(), oom());
    Throwable suppressed = new IllegalStateException("while closing");
    suppressed.addSuppressed(new RuntimeException(oom()));
    for (Throwable wrapped :
        List.of(inRule, new java.util.concurrent.CompletionException(inRule), suppressed)) {
      StringWriter text = new StringWriter();
      CommandLine cl = ConvoyCommand.commandLine(java.util.Map.of());
      cl.setErr(new PrintWriter(text));
      int code =
          new ErrorReport()
              .handleExecutionException(
                  wrapped instanceof Exception e ? e : new RuntimeException(wrapped),
                  cl,
                  cl.parseArgs("render"));

      assertThat(code).as(wrapped.toString()).isEqualTo(ExitCodes.OUT_OF_MEMORY);
      assertThat(ErrorReport.outOfMemory(wrapped)).isNotNull();
    }
    assertThat(ErrorReport.outOfMemory(new RuntimeException(new IllegalStateException()))).isNull();
  }

  @Test
  void theHelpNamesExitCode5() {
    assertThat(String.format(ExitCodes.HELP)).contains("5  out of memory");
  }

  private static OutOfMemoryError oom() {
    return new OutOfMemoryError("Java heap space");
  }
}

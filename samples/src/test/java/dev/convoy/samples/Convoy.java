package dev.convoy.samples;

import dev.convoy.cli.ConvoyCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the convoy CLI in-process with captured output. */
final class Convoy {
  private Convoy() {}

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = ConvoyCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}

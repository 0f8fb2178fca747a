package dev.convoy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code convoy reconcile ...} in-process with captured output and a given environment. */
record ReconcileRun(int exitCode, String out, String err) {

  static ReconcileRun of(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ConvoyCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    ReconcileCommand reconcile =
        (ReconcileCommand) cl.getSubcommands().get("reconcile").getCommand();
    reconcile.environment = environment;
    // Racing reconcilers in one test should not sleep for seconds.
    reconcile.initialBackoff = Duration.ofMillis(20);
    String[] full = new String[args.length + 1];
    full[0] = "reconcile";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = cl.execute(full);
    return new ReconcileRun(code, out.toString(), err.toString());
  }

  static ReconcileRun of(String... args) {
    return of(Map.of(), args);
  }

  /** Everything the run printed. */
  String all() {
    return out + err;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}

package dev.convoy.cli;

import dev.convoy.rules.DroolsPolicyRules;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Keeps a run that did not finish from ending with exit code 0. A repo's rules are code: one that
 * calls {@code System.exit(0)} would otherwise end {@code convoy reconcile} with no output, no push
 * and a healthy-looking exit code. A shutdown hook that finds the run unfinished, and the exit not
 * caused by a signal, names the rules file and halts with exit code 2.
 *
 * <p>What it cannot stop: {@code Runtime.halt} skips shutdown hooks (the process ends with whatever
 * code the rule chose), and a rule can do whatever the process may do. See docs/security.md.
 */
final class ExitGuard {
  private static volatile boolean installed;
  private static volatile boolean finished;
  private static volatile List<String> ruleFiles = List.of();
  private static volatile PrintStream err = System.err;

  private ExitGuard() {}

  /** Installs the hook once per process; {@code stderr} is where its message goes. */
  static synchronized void install(PrintStream stderr) {
    err = stderr;
    if (!installed) {
      Runtime.getRuntime().addShutdownHook(new Thread(ExitGuard::onShutdown, "convoy-exit-guard"));
      installed = true;
    }
  }

  /** The command returned: the exit that follows is Convoy's own. */
  static void finished() {
    finished = true;
  }

  /** The repo's rule files of this run, to name when no rule is running at the exit. */
  static void ruleFiles(List<String> files) {
    ruleFiles = List.copyOf(files);
  }

  private static void onShutdown() {
    if (finished || !exitCalled() || signalled()) {
      return;
    }
    String who =
        DroolsPolicyRules.ruleRunningNow()
            .orElse(
                ruleFiles.isEmpty()
                    ? "code outside Convoy"
                    : "code started by the repo's rules (" + String.join(", ", ruleFiles) + ")");
    err.println(
        "error: "
            + who
            + " called System.exit before the run finished; exiting with code 2 (nothing more was"
            + " rendered, committed or pushed)");
    err.println("hint: rules are code: review them like code (see docs/security.md)");
    err.flush();
    Runtime.getRuntime().halt(ExitCodes.BAD_INPUT);
  }

  /** Whether some thread is inside {@code Runtime.exit} (not the last thread ending). */
  private static boolean exitCalled() {
    return anyStack("java.lang.Shutdown", "exit");
  }

  /** SIGTERM, SIGINT, SIGHUP: the JVM's signal handler called exit, with 128 + the signal. */
  private static boolean signalled() {
    return anyStack("java.lang.Terminator", null);
  }

  private static boolean anyStack(String typePrefix, String method) {
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      for (StackTraceElement frame : e.getValue()) {
        if (frame.getClassName().startsWith(typePrefix)
            && (method == null || frame.getMethodName().equals(method))) {
          return true;
        }
      }
    }
    return false;
  }
}

package dev.convoy.cli;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import java.io.PrintWriter;

/** Prints violations one per line, {@code file:line: error[code] workload: message (policy p)}. */
final class ViolationReport {
  private ViolationReport() {}

  /** Prints every violation and a closing count; returns the number of errors. */
  static int print(RenderResult result, PrintWriter out) {
    int errors = 0;
    int warnings = 0;
    for (Violation v : result.violations()) {
      if (v.severity() == Severity.ERROR) {
        errors++;
      } else {
        warnings++;
      }
      LogWriter.violation(out, v);
    }
    if (errors + warnings > 0) {
      out.printf("%d error(s), %d warning(s)%n", errors, warnings);
    }
    out.flush();
    return errors;
  }

  static String describe(Violation v) {
    return v.describe();
  }
}

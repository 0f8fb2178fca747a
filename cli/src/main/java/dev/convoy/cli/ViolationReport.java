package dev.convoy.cli;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.facts.Severity;
import dev.convoy.engine.facts.Violation;
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
      out.println(describe(v));
    }
    if (errors + warnings > 0) {
      out.printf("%d error(s), %d warning(s)%n", errors, warnings);
    }
    out.flush();
    return errors;
  }

  static String describe(Violation v) {
    StringBuilder sb = new StringBuilder();
    if (v.file() != null) {
      sb.append(v.file());
      if (v.line() > 0) {
        sb.append(':').append(v.line());
      }
      sb.append(": ");
    }
    sb.append(v.severity() == Severity.ERROR ? "error" : "warning").append('[').append(v.code()).append("] ");
    if (v.workload() != null) {
      sb.append(v.workload()).append(": ");
    }
    sb.append(v.message());
    if (v.policy() != null && !v.message().contains("policy " + v.policy())) {
      sb.append(" (policy ").append(v.policy()).append(')');
    }
    return sb.toString();
  }
}

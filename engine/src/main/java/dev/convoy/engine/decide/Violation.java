package dev.convoy.engine.decide;

import dev.convoy.engine.facts.WorkloadFact;

/**
 * A problem found in the config repo.
 *
 * @param severity {@link Severity#ERROR} keeps the workload from being rendered
 * @param code stable identifier, e.g. {@code cycle}, {@code unknown-container}
 * @param message what is wrong, naming the containers or the offending edge
 * @param workload the {@link WorkloadFact#id()}, or {@code null} when not about one workload
 * @param policy the policy involved, or {@code null}
 * @param file the file to fix
 * @param line the line in that file
 */
public record Violation(
    Severity severity,
    String code,
    String message,
    String workload,
    String policy,
    String file,
    int line) {

  /** The order violations are reported in: by file, line, workload and message. */
  public static final java.util.Comparator<Violation> REPORT_ORDER =
      java.util.Comparator.comparing((Violation v) -> v.file() == null ? "" : v.file())
          .thenComparingInt(Violation::line)
          .thenComparing(v -> v.workload() == null ? "" : v.workload())
          .thenComparing(Violation::message);

  public static Violation error(
      String code, String message, String workload, String policy, String file, int line) {
    return new Violation(Severity.ERROR, code, message, workload, policy, file, line);
  }

  public static Violation warning(
      String code, String message, String workload, String policy, String file, int line) {
    return new Violation(Severity.WARNING, code, message, workload, policy, file, line);
  }

  /** {@code file:line: error[code] workload: message (policy p)}, the form the CLI prints. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file);
      if (line > 0) {
        sb.append(':').append(line);
      }
      sb.append(": ");
    }
    sb.append(severity == Severity.ERROR ? "error" : "warning")
        .append('[')
        .append(code)
        .append("] ");
    if (workload != null) {
      sb.append(workload).append(": ");
    }
    sb.append(message);
    if (policy != null && !message.contains("policy " + policy)) {
      sb.append(" (policy ").append(policy).append(')');
    }
    return sb.toString();
  }
}

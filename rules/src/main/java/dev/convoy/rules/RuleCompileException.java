package dev.convoy.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One or more DRL files do not compile. Nothing may be rendered or committed (docs/reference.md);
 * the CLI prints {@link #problems()} one per line as {@code file:line: message} and exits 2.
 */
public final class RuleCompileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<Problem> problems;

  public RuleCompileException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  /** Every compile error, sorted by file and line. */
  public List<Problem> problems() {
    return problems;
  }

  /**
   * One compile error.
   *
   * @param file the DRL file as given to the builder, e.g. {@code rules/payments.drl}
   * @param line the 1-based line, or 0 when Drools does not say
   * @param message Drools' message, on one line
   */
  public record Problem(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }
}

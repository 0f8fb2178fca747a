package dev.convoy.cli;

/** The exit codes of docs/reference.md, in one place. */
public final class ExitCodes {
  /** Success: nothing or something changed. */
  public static final int OK = 0;

  /** Violations found. */
  public static final int VIOLATIONS = 1;

  /** Bad input or configuration (YAML, schema, DRL, command-line arguments). */
  public static final int BAD_INPUT = 2;

  /** Git or network failure after retries. */
  public static final int GIT_FAILURE = 3;

  /**
   * Internal error: a bug in Convoy (an unexpected exception), not a problem with the input.
   * Printed as one line; {@code --stacktrace} shows the details to report.
   */
  public static final int INTERNAL_ERROR = 4;

  /**
   * Out of memory: the Java heap was too small for the repo. Printed as one line with the heap's
   * size and how to raise it.
   */
  public static final int OUT_OF_MEMORY = 5;

  /** Shown at the end of every command's {@code --help}. */
  static final String HELP =
      "%nExit codes:%n"
          + "  0  success (nothing or something changed)%n"
          + "  1  violations found%n"
          + "  2  bad input or configuration%n"
          + "  3  git or network failure after retries%n"
          + "  4  internal error (a bug in Convoy; --stacktrace shows details)%n"
          + "  5  out of memory (the message says how to give Java more)%n";

  private ExitCodes() {}
}

package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.rules.RuleCompileException;
import dev.convoy.rules.RuleExecutionException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * Turns failures into one line per problem with {@code file:line}, the source line and a caret, and
 * the contract's exit code. Stack traces only with {@code --stacktrace}.
 */
final class ErrorReport implements CommandLine.IExecutionExceptionHandler {

  /** Thrown by commands for a failure that has already been explained to the user. */
  static final class Reported extends RuntimeException {
    final int exitCode;

    Reported(int exitCode) {
      super(null, null, false, false);
      this.exitCode = exitCode;
    }
  }

  static final class ExitCodeMapper implements CommandLine.IExitCodeExceptionMapper {
    @Override
    public int getExitCode(Throwable t) {
      return t instanceof Reported r ? r.exitCode : ExitCodes.BAD_INPUT;
    }
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof Reported r) {
      return r.exitCode;
    }
    boolean trace =
        parsed.hasMatchedOption("--stacktrace")
            || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--stacktrace"));
    int code = ExitCodes.BAD_INPUT;
    if (e instanceof BadInputException bad) {
      print(err, null, bad.errors());
    } else if (e instanceof RuleCompileException rce) {
      for (RuleCompileException.Problem p : rce.problems()) {
        err.println(
            "error: " + p.file() + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.message());
      }
      err.println("hint: fix the DRL file; nothing was rendered or committed.");
    } else if (e instanceof RuleExecutionException rex) {
      err.println("error: " + rex.getMessage());
    } else {
      err.println("error: " + e);
      code = ExitCodes.BAD_INPUT;
    }
    if (trace) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** Prints input errors, with the offending source line when the file is at hand. */
  static void print(PrintWriter err, Path repo, List<InputError> errors) {
    for (InputError error : errors) {
      err.println("error: " + error.describe());
      String source = repo == null ? null : sourceLine(repo.resolve(error.file()), error.line());
      if (source != null) {
        String gutter = String.valueOf(error.line());
        err.println("  " + gutter + " | " + source);
        int indent = source.length() - source.stripLeading().length();
        err.println("  " + " ".repeat(gutter.length()) + " | " + " ".repeat(indent) + "^");
      }
    }
    err.flush();
  }

  private static String sourceLine(Path file, int line) {
    if (line <= 0 || !Files.isRegularFile(file)) {
      return null;
    }
    try (var lines = Files.lines(file)) {
      return lines.skip(line - 1L).findFirst().orElse(null);
    } catch (IOException | java.io.UncheckedIOException e) {
      return null;
    }
  }

  /**
   * Bad arguments: one line saying what is wrong (with the closest command or option when one was
   * mistyped), the usage line, and where to read more. A missing command shows the whole help.
   */
  static int onBadArguments(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    if (ex instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()) {
      String arg = unmatched.getUnmatched().get(0);
      if (!arg.startsWith("-") && !cl.getSubcommands().isEmpty()) {
        String closest = closest(arg, cl.getSubcommands().keySet());
        err.println(
            "error: '"
                + arg
                + "' is not a "
                + name
                + " command"
                + (closest == null
                    ? "; run '" + name + " --help' for the list"
                    : "; did you mean '" + name + " " + closest + "'?"));
        err.flush();
        return ExitCodes.BAD_INPUT;
      }
      if (arg.startsWith("-")) {
        String option = arg.split("=", 2)[0];
        List<String> names = new java.util.ArrayList<>();
        cl.getCommandSpec().options().forEach(o -> names.addAll(List.of(o.names())));
        String closest = closest(option, names);
        err.println(
            "error: Unknown option: '"
                + option
                + "'"
                + (closest == null ? "" : "; did you mean '" + closest + "'?"));
        return usageLine(cl, err);
      }
    }
    err.println("error: " + ex.getMessage());
    if (!cl.getSubcommands().isEmpty() && ex.getMessage().startsWith("Missing a command")) {
      cl.usage(err, CommandLine.Help.Ansi.OFF);
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    return usageLine(cl, err);
  }

  private static int usageLine(CommandLine cl, PrintWriter err) {
    CommandLine.Help help = cl.getHelp();
    err.print(
        help.synopsisHeading()
            + cl.getHelpSectionMap()
                .get(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS)
                .render(help));
    err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }

  /**
   * The candidate closest to a mistyped {@code word}: within a third of its length in edits (at
   * least two), or starting with it; null when none is that close.
   */
  static String closest(String word, java.util.Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = c.startsWith(word) && word.length() >= 3 ? 1 : EditDistance.between(word, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= Math.max(2, word.length() / 3) ? best : null;
  }
}

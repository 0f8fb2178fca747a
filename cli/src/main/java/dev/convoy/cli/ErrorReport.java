package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.output.OutputFolder;
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
    if (outOfMemory(e) != null) {
      // Before the other kinds: a rule, a stream or a picocli wrapper may carry the Error.
      outOfMemory(err);
      code = ExitCodes.OUT_OF_MEMORY;
    } else if (e instanceof BadInputException bad) {
      print(err, null, bad.errors());
    } else if (e instanceof RuleCompileException rce) {
      for (RuleCompileException.Problem p : rce.problems()) {
        err.println(
            "error: " + p.file() + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.message());
      }
      err.println("hint: fix the DRL file; nothing was rendered or committed.");
    } else if (e instanceof RuleExecutionException rex) {
      err.println("error: " + rex.getMessage());
    } else if (outputFolderProblem(e) != null) {
      // A symlinked or locked output folder: nothing was written.
      err.println("error: " + outputFolderProblem(e).getMessage());
    } else if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
      // The machine, not the input or Convoy: a file that cannot be read or written.
      Throwable io = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
      err.println("error: input/output failed: " + io.getMessage());
    } else {
      internalError(err, parsed.subcommands().isEmpty() ? "convoy" : commandName(parsed));
      code = ExitCodes.INTERNAL_ERROR;
    }
    if (trace) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static OutputFolder.OutputFolderException outputFolderProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutputFolder.OutputFolderException problem) {
        return problem;
      }
    }
    return null;
  }

  /**
   * The one line for a failure that is Convoy's fault, not the input's: no exception class, no
   * stack trace unless asked for.
   */
  static void internalError(PrintWriter err, String command) {
    err.println(
        "error: internal error in Convoy while running '"
            + command
            + "' (a bug, not a problem with your input); run again with --stacktrace for details");
    err.flush();
  }

  /** The OutOfMemoryError among the causes and suppressed exceptions of {@code t}, or null. */
  static OutOfMemoryError outOfMemory(Throwable t) {
    return outOfMemory(t, 0);
  }

  private static OutOfMemoryError outOfMemory(Throwable t, int depth) {
    for (int d = depth; t != null && d < 32; t = t.getCause(), d++) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        OutOfMemoryError found = outOfMemory(suppressed, d + 1);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /**
   * The one line for running out of heap: how much the JVM had and how to give it more. Made at
   * start-up (the heap size is fixed by then): printing it must not need the memory that ran out.
   */
  private static final String OUT_OF_MEMORY_LINE = outOfMemoryLine();

  /** Freed before the line is printed, so the printing itself has room. */
  @SuppressWarnings("unused")
  private static volatile byte[] reserve = new byte[1 << 20];

  private static final java.util.concurrent.atomic.AtomicBoolean OUT_OF_MEMORY_REPORTED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private static String outOfMemoryLine() {
    long mib = Runtime.getRuntime().maxMemory() >> 20;
    String more = mib * 2 >= 1024 ? (mib * 2 + 1023) / 1024 + "g" : mib * 2 + "m";
    return "error: out of memory: the Java heap of "
        + mib
        + " MiB was not enough for this repo; give it more, e.g. CONVOY_JAVA_OPTS=\"-Xmx"
        + more
        + "\" (replaces the launcher's JVM flags), or run on a machine or container with more"
        + " memory (the launcher gives the heap 75% of it)";
  }

  private static final byte[] OUT_OF_MEMORY_BYTES =
      (OUT_OF_MEMORY_LINE + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static final java.io.FileOutputStream STDERR =
      new java.io.FileOutputStream(java.io.FileDescriptor.err);

  /** Loads what reporting an out-of-memory error needs, while there is memory. */
  static void prepareForOutOfMemory() {
    OUT_OF_MEMORY_REPORTED.get();
  }

  /**
   * Prints the out-of-memory line straight to the process's stderr, allocating nothing: for a
   * thread that ran out while others may still hold the heap.
   */
  static void outOfMemoryToStderr() {
    reserve = null;
    if (!OUT_OF_MEMORY_REPORTED.getAndSet(true)) {
      try {
        STDERR.write(OUT_OF_MEMORY_BYTES);
      } catch (IOException | RuntimeException | Error e) {
        // Nothing left to tell it with; the exit code still says it.
      }
    }
  }

  /** Prints the out-of-memory line, once per process even when several threads ran out. */
  static void outOfMemory(PrintWriter err) {
    reserve = null;
    if (!OUT_OF_MEMORY_REPORTED.getAndSet(true)) {
      err.println(OUT_OF_MEMORY_LINE);
    }
    err.flush();
  }

  private static String commandName(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult p = parsed;
    while (!p.subcommands().isEmpty()) {
      p = p.subcommands().get(p.subcommands().size() - 1);
    }
    return p.commandSpec().qualifiedName();
  }

  /** Prints input errors, with the offending source line when the file is at hand. */
  static void print(PrintWriter err, Path repo, List<InputError> errors) {
    print(err, "", errors, (file, line) -> repo == null ? null : sourceLine(repo, file, line));
  }

  /** A line of a file of the repo as it was read (a folder, a commit), or null. */
  @FunctionalInterface
  interface SourceLines {
    String line(String file, int line);
  }

  /**
   * Prints input errors with {@code label} before each (e.g. {@code "head: "}), taking source lines
   * from {@code sources}.
   */
  static void print(PrintWriter err, String label, List<InputError> errors, SourceLines sources) {
    for (InputError error : errors) {
      err.println("error: " + label + error.describe());
      String source = error.line() <= 0 ? null : sources.line(error.file(), error.line());
      if (source != null) {
        String gutter = String.valueOf(error.line());
        // The caret goes under the column when known, else under the line's first character;
        // a long line is cut to the part around it.
        int at =
            error.column() > 0
                ? Math.min(error.column() - 1, source.length())
                : source.length() - source.stripLeading().length();
        int from = Math.max(0, at - EXCERPT / 2);
        int to = Math.min(source.length(), from + EXCERPT);
        String shown =
            (from > 0 ? "..." : "")
                + source.substring(from, to)
                + (to < source.length() ? "..." : "");
        err.println("  " + gutter + " | " + shown);
        err.println(
            "  "
                + " ".repeat(gutter.length())
                + " | "
                + " ".repeat(at - from + (from > 0 ? 3 : 0))
                + "^");
      }
    }
    err.flush();
  }

  /** At most this many characters of a source line are shown. */
  private static final int EXCERPT = 120;

  /**
   * The line, read without holding more than a bounded part of it: a hostile file may have one line
   * of hundreds of megabytes (malformed UTF-8 shows as U+FFFD). Null when unreadable.
   */
  private static String sourceLine(Path repo, String path, int line) {
    Path file = repo.resolve(path);
    if (line <= 0 || !Files.isRegularFile(file) || !inside(repo, file)) {
      return null;
    }
    try (var in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      int current = 1;
      int b;
      while (current < line && (b = in.read()) >= 0) {
        if (b == '\n') {
          current++;
        }
      }
      if (current < line) {
        return null;
      }
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      while ((b = in.read()) >= 0 && b != '\n' && bytes.size() < 4096) {
        bytes.write(b);
      }
      String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
      return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException | java.io.UncheckedIOException e) {
      return null;
    }
  }

  /**
   * Whether the file, symlinks resolved, is inside the repo and outside its .git: a source line is
   * shown only from there (the loader refuses other links; this is the second lock on the door).
   */
  private static boolean inside(Path repo, Path file) {
    try {
      Path root = repo.toRealPath();
      Path real = file.toRealPath();
      return real.startsWith(root) && !real.startsWith(root.resolve(".git"));
    } catch (IOException e) {
      return false;
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

package dev.convoy.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code convoy}: the batch GitOps engine for sidecars. */
@Command(
    name = "convoy",
    mixinStandardHelpOptions = true,
    versionProvider = ConvoyCommand.Version.class,
    description =
        "Injects and orders sidecars in the Kubernetes manifests of a config repo, following the"
            + " repo's SidecarPolicy documents and Drools rules, and renders them for Argo CD or"
            + " Flux. Run 'convoy COMMAND --help' for a command's options; docs/reference.md has"
            + " them all.",
    subcommands = {
      RenderCommand.class,
      DiffCommand.class,
      ValidateCommand.class,
      ExplainCommand.class,
      TestCommand.class,
      ReconcileCommand.class,
      ReviewCommand.class,
      StatusCommand.class,
      VersionCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = ExitCodes.HELP)
public final class ConvoyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The secrets of this run; every command's output and error writer masks them. */
  final Redactor redactor = new Redactor();

  @CommandLine.Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      scope = CommandLine.ScopeType.INHERIT,
      defaultValue = "text",
      description =
          "Diagnostics on stderr as text (default) or json: one object per line with time, level,"
              + " message and, where they apply, target, workload, policy and code.")
  LogWriter.Format logFormat = LogWriter.Format.text;

  @CommandLine.Option(
      names = {"-q", "--quiet"},
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print only results (stdout) and errors: no warnings, notes or progress.")
  boolean quiet;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  /** The picocli command line with Convoy's exit codes and error handling. */
  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /** The command line for an environment ({@code NO_COLOR}, {@code TERM}); tests pass their own. */
  static CommandLine commandLine(Map<String, String> env) {
    ConvoyCommand root = new ConvoyCommand();
    CommandLine cl = new CommandLine(root);
    cl.setExitCodeExceptionMapper(new ErrorReport.ExitCodeMapper());
    cl.setExecutionExceptionHandler(new ErrorReport());
    cl.setParameterExceptionHandler(ErrorReport::onBadArguments);
    HelpLayout.apply(cl);
    // https://no-color.org and dumb terminals: no ANSI escapes in help and usage.
    if (!env.getOrDefault("NO_COLOR", "").isEmpty() || "dumb".equals(env.get("TERM"))) {
      cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    }
    // At execute time, after a caller (or a test) chose the writers: mask secrets in both, and
    // hand the commands that render the same redactor for commit messages and rendered files.
    // Diagnostics then go through LogWriter once the options say how (--log-format, --quiet).
    cl.setExecutionStrategy(
        parsed -> {
          root.redactor.addEnvironment(env);
          cl.setOut(root.redactor.wrap(cl.getOut()));
          PrintWriter original = cl.getErr();
          for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (CommandLine.Model.CommandSpec mixin : p.commandSpec().mixins().values()) {
              if (mixin.userObject() instanceof RenderOptions options) {
                options.redactor = root.redactor;
              }
            }
          }
          LogWriter log =
              LogWriter.of(root.redactor.wrap(original), root.logFormat, root.quiet, env);
          cl.setErr(log);
          try {
            return new CommandLine.RunLast().execute(parsed);
          } catch (CommandLine.ExecutionException e) {
            // Handled here, not by picocli after this returns, so errors go through the log too.
            if (e.getCause() instanceof Exception cause) {
              try {
                return cl.getExecutionExceptionHandler()
                    .handleExecutionException(cause, e.getCommandLine(), parsed);
              } catch (Exception handlerFailed) {
                throw new CommandLine.ExecutionException(
                    e.getCommandLine(), String.valueOf(handlerFailed), handlerFailed);
              }
            }
            throw e;
          } finally {
            log.flush();
            cl.setErr(original);
          }
        });
    return cl;
  }

  public static void main(String[] args) {
    // Rules may print to System.out/err themselves: mask secrets there too, before picocli picks
    // its writers.
    Redactor streams = new Redactor();
    streams.addEnvironment(System.getenv());
    System.setOut(
        new java.io.PrintStream(
            streams.wrap(new java.io.FileOutputStream(java.io.FileDescriptor.out)), true));
    System.setErr(
        new java.io.PrintStream(
            streams.wrap(new java.io.FileOutputStream(java.io.FileDescriptor.err)), true));
    ExitGuard.install(System.err);
    ErrorReport.prepareForOutOfMemory();
    // A thread that dies of a full heap outside the command's own stack (a pool, a rule's thread):
    // the same one line and exit code as on the main thread, not a stack trace per thread.
    Thread.UncaughtExceptionHandler uncaught = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof OutOfMemoryError || ErrorReport.outOfMemory(e) != null) {
            try {
              ErrorReport.outOfMemoryToStderr();
            } finally {
              Runtime.getRuntime().halt(ExitCodes.OUT_OF_MEMORY);
            }
          } else if (uncaught != null) {
            uncaught.uncaughtException(thread, e);
          } else if (!(e instanceof ThreadDeath)) {
            // What ThreadGroup.uncaughtException prints when no default handler is set (calling
            // it here would call this handler again).
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace(System.err);
          }
        });
    int code;
    try {
      code = commandLine().execute(args);
    } catch (Throwable t) {
      // An Error escaped picocli (stack overflow, linkage): still Convoy's fault, still one line.
      java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
      boolean oom = ErrorReport.outOfMemory(t) != null;
      if (oom) {
        ErrorReport.outOfMemory(err);
      } else {
        ErrorReport.internalError(err, "convoy");
      }
      if (java.util.Arrays.asList(args).contains("--stacktrace")) {
        t.printStackTrace(err);
      }
      code = oom ? ExitCodes.OUT_OF_MEMORY : ExitCodes.INTERNAL_ERROR;
    }
    ExitGuard.finished();
    System.exit(code);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {BuildInfo.line()};
    }
  }
}

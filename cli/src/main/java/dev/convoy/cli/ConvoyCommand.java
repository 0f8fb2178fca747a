package dev.convoy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code convoy}: the batch GitOps engine for sidecars. */
@Command(
    name = "convoy",
    mixinStandardHelpOptions = true,
    versionProvider = ConvoyCommand.Version.class,
    description = {
      "Injects and orders sidecars in the Kubernetes manifests of a config repo, following the",
      "repo's SidecarPolicy documents and Drools rules, and renders them for Argo CD or Flux."
    },
    subcommands = {
      RenderCommand.class,
      DiffCommand.class,
      ValidateCommand.class,
      ExplainCommand.class,
      TestCommand.class,
      ReconcileCommand.class,
      ReviewCommand.class,
      StatusCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = ExitCodes.HELP)
public final class ConvoyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The secrets of this run; every command's output and error writer masks them. */
  final Redactor redactor = new Redactor();

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  /** The picocli command line with Convoy's exit codes and error handling. */
  public static CommandLine commandLine() {
    ConvoyCommand convoy = new ConvoyCommand();
    CommandLine cl = new CommandLine(convoy);
    cl.setExitCodeExceptionMapper(new ErrorReport.ExitCodeMapper());
    cl.setExecutionExceptionHandler(new ErrorReport());
    cl.setParameterExceptionHandler(ErrorReport::onBadArguments);
    // At execute time, after a caller (or a test) chose the writers: mask secrets in both, and
    // hand the commands that render the same redactor for commit messages and rendered files.
    CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
    cl.setExecutionStrategy(
        parsed -> {
          convoy.redactor.addEnvironment(System.getenv());
          cl.setOut(convoy.redactor.wrap(cl.getOut()));
          cl.setErr(convoy.redactor.wrap(cl.getErr()));
          for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (CommandLine.Model.CommandSpec mixin : p.commandSpec().mixins().values()) {
              if (mixin.userObject() instanceof RenderOptions options) {
                options.redactor = convoy.redactor;
              }
            }
          }
          return run.execute(parsed);
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
    int code = commandLine().execute(args);
    ExitGuard.finished();
    System.exit(code);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ConvoyCommand.class.getPackage().getImplementationVersion();
      return new String[] {"convoy " + (v == null ? "dev" : v)};
    }
  }
}

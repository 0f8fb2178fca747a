package dev.convoy.cli;

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
      CommandLine.HelpCommand.class
    },
    footer = ExitCodes.HELP)
public final class ConvoyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  /** The picocli command line with Convoy's exit codes and error handling. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ConvoyCommand());
    cl.setExitCodeExceptionMapper(new ErrorReport.ExitCodeMapper());
    cl.setExecutionExceptionHandler(new ErrorReport());
    cl.setParameterExceptionHandler(ErrorReport::onBadArguments);
    HelpLayout.apply(cl);
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ConvoyCommand.class.getPackage().getImplementationVersion();
      return new String[] {"convoy " + (v == null ? "dev" : v)};
    }
  }
}

package dev.convoy.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convoy completion bash|zsh|fish}: a shell completion script on stdout. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    header = "Print a completion script for commands and options.",
    description =
        "Load it in the current shell, or save it where your shell loads completions from"
            + " (see the examples).",
    footer = {
      "%nExamples:",
      "  source <(convoy completion bash)",
      "  source <(convoy completion zsh)",
      "  convoy completion fish | source",
      "  convoy completion bash > /etc/bash_completion.d/convoy",
      "  convoy completion fish > ~/.config/fish/completions/convoy.fish",
      ExitCodes.HELP
    })
final class CompletionCommand implements Callable<Integer> {
  enum Shell {
    bash,
    zsh,
    fish
  }

  @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
  Shell shell;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    PrintWriter out = spec.commandLine().getOut();
    switch (shell) {
      // picocli's script carries its own zsh set-up (bashcompinit), so one script serves both.
      case bash, zsh -> out.print(AutoComplete.bash(root.getCommandName(), root));
      case fish -> out.print(fish(root));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** fish has no bash compatibility: one {@code complete} line per subcommand and option. */
  static String fish(CommandLine root) {
    String name = root.getCommandName();
    StringBuilder sb = new StringBuilder("# fish completion for ").append(name).append('\n');
    sb.append("complete -c ").append(name).append(" -f\n");
    options(sb, name, "__fish_use_subcommand", root.getCommandSpec().options());
    for (CommandLine sub : root.getSubcommands().values()) {
      String command = sub.getCommandName();
      sb.append("complete -c ")
          .append(name)
          .append(" -n __fish_use_subcommand -a ")
          .append(command)
          .append(" -d ")
          .append(quote(firstLine(sub.getCommandSpec().usageMessage().description())))
          .append('\n');
      options(
          sb,
          name,
          "'__fish_seen_subcommand_from " + command + "'",
          sub.getCommandSpec().options());
    }
    return sb.toString();
  }

  private static void options(
      StringBuilder sb, String name, String condition, List<OptionSpec> options) {
    for (OptionSpec o : options) {
      if (o.hidden()) {
        continue;
      }
      sb.append("complete -c ").append(name).append(" -n ").append(condition);
      for (String n : o.names()) {
        if (n.startsWith("--")) {
          sb.append(" -l ").append(n.substring(2));
        } else if (n.startsWith("-") && n.length() == 2) {
          sb.append(" -s ").append(n.substring(1));
        }
      }
      if (o.arity().max() > 0) {
        sb.append(" -r");
        if (o.completionCandidates() != null) {
          StringBuilder values = new StringBuilder();
          o.completionCandidates()
              .forEach(v -> values.append(values.length() == 0 ? "" : " ").append(v));
          sb.append(" -a ").append(quote(values.toString()));
        } else {
          sb.append(" -F");
        }
      }
      sb.append(" -d ").append(quote(firstLine(o.description()))).append('\n');
    }
  }

  private static String firstLine(String[] description) {
    return description.length == 0 ? "" : description[0].replace("${DEFAULT-VALUE}", "");
  }

  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}

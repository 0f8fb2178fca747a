package dev.convoy.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code convoy version}: this build and the versions of what it runs on. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    header = "Print Convoy's version and the commit it was built from.",
    description =
        "Also prints the Java runtime and the versions of Drools, JGit and the other libraries"
            + " a run uses. Tools this build does not include (kustomize, Helm) show as null in"
            + " JSON and '-' in text.",
    footer = ExitCodes.HELP)
final class VersionCommand implements Callable<Integer> {
  enum Format {
    text,
    json
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json.")
  Format output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, String> components = BuildInfo.components();
    if (output == Format.json) {
      out.println(
          JsonMapper.builder()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .build()
              .writeValueAsString(components));
    } else {
      out.println(BuildInfo.line());
      components.forEach(
          (name, version) -> {
            if (!name.equals("convoy") && !name.equals("commit")) {
              out.printf("  %-12s %s%n", name, version == null ? "-" : version);
            }
          });
    }
    out.flush();
    return ExitCodes.OK;
  }
}

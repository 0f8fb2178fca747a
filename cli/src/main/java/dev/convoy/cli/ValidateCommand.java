package dev.convoy.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code convoy validate}. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Check the config repo and report its violations.",
    description =
        "Parses every file, compiles the rules, renders every target in memory and prints the"
            + " violations and upgrade waves. Writes nothing.",
    footer = ExitCodes.HELP)
final class ValidateCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RepoRender r = RepoRender.run(repo, spec.commandLine().getErr());
    int errors = ViolationReport.print(r.result, out);
    WaveReport.print(r.result, out);
    if (r.result.violations().isEmpty()) {
      out.printf(
          "ok: %d workloads, %d policies, %d targets%n",
          r.repo.workloads().size(), r.repo.policies().size(), r.result.targets().size());
    }
    out.flush();
    return errors > 0 ? ExitCodes.VIOLATIONS : ExitCodes.OK;
  }
}

package dev.convoy.cli;

import dev.convoy.engine.load.ConfigRepo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convoy validate}. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Check the config repo and report its violations.",
    description =
        "Parses every file, compiles the rules, renders every target in memory and prints the"
            + " violations and upgrade waves. Writes nothing. Files under the source, policy and"
            + " rule folders that Convoy does not read (anything but .yaml, .yml and .json"
            + " manifests and .drl rules, hidden files and folders) are listed as 'skipped: PATH"
            + " (why)', one line each.",
    footer = ExitCodes.HELP)
final class ValidateCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;

  @Option(
      names = "--verbose",
      description = "Also print how many files were read and how many skipped.")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RepoRender r = RepoRender.run(repo, spec.commandLine().getErr());
    for (ConfigRepo.SkippedFile f : r.repo.skipped()) {
      out.println("skipped: " + f.path() + " (" + f.reason() + ")");
    }
    if (verbose) {
      out.printf("files: %d read, %d skipped%n", r.repo.filesRead(), r.repo.skipped().size());
    }
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

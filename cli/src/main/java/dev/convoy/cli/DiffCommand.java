package dev.convoy.cli;

import dev.convoy.engine.TargetRender;
import dev.convoy.engine.output.OutputDiff;
import dev.convoy.engine.output.OutputFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convoy diff}. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Show what 'convoy render' would change in the rendered output.",
    description =
        "Prints, as a unified diff, how each target's output folder on disk differs from what"
            + " 'convoy render' would write, and how many files would change. Writes nothing.",
    footer = ExitCodes.HELP)
final class DiffCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;

  @Mixin RemovalGuardOptions removal;

  @Option(
      names = "--exit-code",
      description =
          "Exit 1 when something would change (as git diff --exit-code and kubectl diff"
              + " do); violations exit 1 as always. Without it, 0 whether or not something would"
              + " change.")
  boolean exitCode;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RepoRender r = RepoRender.run(repo, err);
    int errors = ViolationReport.print(r.result, err);
    WaveReport.print(r.result, err);
    int changed = 0;
    List<ChangeSummary> summaries = new ArrayList<>();
    for (TargetRender target : r.result.targets()) {
      Path dir = RepoRender.outputDir(r.dir, target.target());
      String prefix = RepoRender.display(r.dir, dir) + "/";
      SortedMap<String, byte[]> previous = new OutputFolder(dir).read();
      summaries.add(ChangeSummary.of(target, previous));
      List<OutputDiff.FileChange> changes = OutputDiff.between(previous, target.files(), prefix);
      for (OutputDiff.FileChange c : changes) {
        out.print(c.unifiedDiff());
      }
      changed += changes.size();
      err.printf(
          "%s: %s%n",
          target.target().name(),
          changes.isEmpty() ? "no changes" : changes.size() + " file(s) would change");
    }
    out.flush();
    err.flush();
    // The same guard as reconcile's: show here that the push would be refused.
    List<ChangeSummary> refused = removal.refused(summaries);
    if (!refused.isEmpty()) {
      return RemovalGuardOptions.report(
          refused, "convoy reconcile would refuse to push this change", err);
    }
    return errors > 0 || (exitCode && changed > 0) ? ExitCodes.VIOLATIONS : ExitCodes.OK;
  }
}

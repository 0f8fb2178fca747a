package dev.convoy.cli;

import dev.convoy.engine.TargetRender;
import dev.convoy.engine.decide.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convoy review}: the pull-request bot. */
@Command(
    name = "review",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Review a change: what the head commit renders differently.",
    description = {
      "Renders the base and the head commit in-process, both read from git objects (nothing is"
          + " checked out; the work tree, the index and the refs are left alone), and compares"
          + " what every target renders, by meaning: sidecars added, removed and upgraded,"
          + " changed container fields, start and stop order, effective requests and limits, the"
          + " upgrade wave the head would start, the violations it adds and fixes, and the other"
          + " objects it changes. Formatting, comments and key order never show. Secret values"
          + " never appear. Prints a Markdown pull-request comment (or JSON); writes nothing"
          + " else, needs no cluster and no network.",
      "%nThe head's rules/*.drl are compiled (to report errors) but not run unless"
          + " --trust-head-rules is given: the base's rules decide both sides. The head renders"
          + " over the base's rendered output, as the first reconcile after merging would."
    },
    footer = {
      "%nExamples:",
      "  convoy review --base origin/main --head HEAD",
      "  convoy review --base \"$BASE\" --head \"$HEAD\" --full-report full.md > comment.md",
      "  convoy review --base main --head feature -o json | jq '.summary'",
      "%nExit codes:%n"
          + "  0  the head adds no error violation%n"
          + "  1  the head adds error violations (listed)%n"
          + "  2  bad input in either commit (YAML, schema, DRL, arguments)%n"
          + "  3  git failure (not a repository, a revision that does not exist)%n"
    })
final class ReviewCommand implements Callable<Integer> {
  /** Output formats of {@code --output}. */
  enum Format {
    markdown,
    json
  }

  /** GitHub's limit is 65,536 characters per comment; leave room for an edit. */
  static final int DEFAULT_MAX_CHARS = 60_000;

  static final int MIN_MAX_CHARS = 2_000;

  @Option(
      names = "--base",
      required = true,
      paramLabel = "REF",
      description = "The commit the change is made against: a branch, tag or commit id.")
  String base;

  @Option(
      names = "--head",
      paramLabel = "REF",
      defaultValue = "HEAD",
      description = "The changed commit. Default: ${DEFAULT-VALUE}.")
  String head;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "The config repo: a folder in a git work tree (or a bare repository), where convoy.yaml"
              + " is in the commits. Default: the current folder.")
  Path dir;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "markdown",
      description = "markdown (default, a pull-request comment) or json (for tools).")
  Format output;

  @Option(
      names = "--max-chars",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_MAX_CHARS,
      description =
          "Keep the Markdown within N characters (default ${DEFAULT-VALUE}; GitHub allows"
              + " 65,536): past it, workload details collapse into <details> blocks, then what"
              + " does not fit is left out with a count. JSON is never cut.")
  int maxChars;

  @Option(
      names = "--full-report",
      paramLabel = "FILE",
      description =
          "Also write the complete report, uncut, to FILE (Markdown, or JSON with -o json).")
  Path fullReport;

  @Option(
      names = "--trust-head-rules",
      description =
          "Run the head's rules/*.drl on the head's side. DRL is code: only for heads you"
              + " trust (not for pull requests from forks). Default: the base's rules run on both"
              + " sides.")
  boolean trustHeadRules;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "NAME",
      split = ",",
      description =
          "Only these targets (repeatable or comma-separated); the comment's marker names them, so"
              + " each target set keeps its own comment. Default: every target.")
  List<String> targets = List.of();

  @Option(
      names = "--now",
      paramLabel = "INSTANT",
      description =
          "The time upgrade waves are planned at, e.g. 2026-11-24T03:00:00Z. Default: the head"
              + " commit's time, so the same refs always give the same report.")
  Instant now;

  @Option(
      names = "--fire-limit",
      paramLabel = "N",
      description = "Stop a rule session after N rule firings (a rule that loops forever).")
  Long fireLimit;

  @Mixin KustomizeCommandOption kustomize = new KustomizeCommandOption();

  @Option(names = "--timings", description = "Print how long each phase took, on stderr.")
  boolean timings;

  @Option(names = "--stacktrace", description = "Print stack traces of errors.")
  boolean stacktrace;

  @Mixin RemovalGuardOptions removal;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (maxChars < MIN_MAX_CHARS) {
      err.println("error: --max-chars must be at least " + MIN_MAX_CHARS);
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    ReviewRender.Result r =
        ReviewRender.run(
            new ReviewRender.Options(
                dir,
                base,
                head,
                targets,
                trustHeadRules,
                now,
                fireLimit,
                timings,
                kustomize.command),
            err);
    String report;
    if (output == Format.json) {
      report = ReviewJson.of(r);
      if (fullReport != null) {
        write(fullReport, report);
      }
    } else {
      String full = ReviewMarkdown.full(r, targets);
      if (fullReport != null) {
        write(fullReport, full);
      }
      report =
          ReviewMarkdown.sized(
              r, targets, maxChars, fullReport == null ? null : fullReport.toString());
    }
    // reconcile's mass-removal guard, judged on the head against the base's output.
    List<ChangeSummary> refused = removal.refused(removals(r));
    if (!refused.isEmpty() && output != Format.json) {
      StringBuilder guard =
          new StringBuilder("\n#### Reconcile would refuse to push this change\n\n");
      refused.forEach(c -> guard.append("- ").append(c.removalMessage()).append('\n'));
      report = report + guard;
    }
    out.print(report);
    out.flush();
    if (!refused.isEmpty()) {
      return RemovalGuardOptions.report(
          refused, "convoy reconcile would refuse to push this change after the merge", err);
    }
    List<Violation> errors = r.review().violations().addedErrors();
    if (!errors.isEmpty()) {
      err.printf("the head adds %d error violation(s):%n", errors.size());
      errors.forEach(v -> err.println("  " + v.describe()));
      err.flush();
      return ExitCodes.VIOLATIONS;
    }
    err.flush();
    return ExitCodes.OK;
  }

  /** Per target of the head, what its output removes from the base's. */
  private static List<ChangeSummary> removals(ReviewRender.Result r) {
    List<ChangeSummary> out = new ArrayList<>();
    for (TargetRender head : r.headResult().targets()) {
      r.baseResult().targets().stream()
          .filter(b -> b.target().name().equals(head.target().name()))
          .findFirst()
          .ifPresent(b -> out.add(ChangeSummary.of(head, b.files())));
    }
    return out;
  }

  /** Written beside and renamed into place, so a reader never sees half a report. */
  private static void write(Path file, String text) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

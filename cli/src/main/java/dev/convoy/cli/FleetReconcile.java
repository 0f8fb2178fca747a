package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code reconcile --repos FILE}: reconciles this shard's repos one after the other, each exactly
 * as {@code reconcile --repo URL} would (with the same options), then prints one line per repo.
 *
 * <p>The exit code is the highest of the repos' exit codes (0 all fine, 1 violations somewhere, 2 a
 * repo with bad input, 3 a git failure, 4 an internal error), so a Job fails when any of its repos
 * failed, and the per-repo lines and metrics say which.
 */
final class FleetReconcile {
  /** Options of the fleet run that a single repo's run does not take, or takes per repo. */
  private static final Set<String> FLEET_ONLY =
      Set.of(
          "--repos",
          "--shard-index",
          "--shard-count",
          "--repo",
          "--branch",
          "--work-dir",
          "--metrics-file",
          "--pushgateway",
          "--pushgateway-job",
          "--pushgateway-instance");

  /** One repo's outcome. */
  record Outcome(RepoList.Entry repo, int exitCode, String result) {}

  private final ReconcileCommand fleet;
  private final PrintWriter out;
  private final PrintWriter err;

  FleetReconcile(ReconcileCommand fleet, PrintWriter out, PrintWriter err) {
    this.fleet = fleet;
    this.out = out;
    this.err = err;
  }

  int call() {
    ShardOptions shards = fleet.shards;
    Integer index = shards.index;
    if (index == null) {
      String fromJob = fleet.environment.get(ShardOptions.JOB_COMPLETION_INDEX);
      try {
        index = fromJob == null || fromJob.isBlank() ? 0 : Integer.parseInt(fromJob.strip());
      } catch (NumberFormatException e) {
        err.println(
            "error: " + ShardOptions.JOB_COMPLETION_INDEX + "='" + fromJob + "' is not a number");
        return ExitCodes.BAD_INPUT;
      }
    }
    if (shards.count < 1 || index < 0 || index >= shards.count) {
      err.println(
          "error: --shard-index must be 0 to --shard-count - 1 (got "
              + index
              + " of "
              + shards.count
              + ")");
      return ExitCodes.BAD_INPUT;
    }
    if (fleet.repo != null) {
      err.println("error: give --repo URL or --repos FILE, not both");
      return ExitCodes.BAD_INPUT;
    }
    RepoList list;
    try {
      byte[] bytes = Files.readAllBytes(shards.repos);
      list = RepoList.parse(new InputFile(shards.repos.toString(), bytes));
    } catch (IOException e) {
      err.println("error: cannot read --repos " + shards.repos + ": " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (BadInputException e) {
      ErrorReport.print(err, null, e.errors());
      err.println("nothing reconciled");
      return ExitCodes.BAD_INPUT;
    }
    List<RepoList.Entry> mine = list.shard(index, shards.count);
    err.printf(
        "shard %d of %d: %d of %d repos%n", index, shards.count, mine.size(), list.repos().size());
    RunMetrics metrics = new RunMetrics();
    List<Outcome> outcomes = new ArrayList<>();
    for (RepoList.Entry entry : mine) {
      outcomes.add(reconcile(entry, metrics));
    }
    int worst = ExitCodes.OK;
    out.println("shard " + index + " of " + shards.count + ":");
    for (Outcome o : outcomes) {
      out.printf(
          "  %-60s exit %d  %s%n",
          o.repo().shown() + " " + o.repo().branch(), o.exitCode(), o.result());
      worst = Math.max(worst, o.exitCode());
    }
    long failed = outcomes.stream().filter(o -> o.exitCode() >= ExitCodes.BAD_INPUT).count();
    out.printf(
        "%d repo(s): %d ok, %d with violations, %d failed%n",
        outcomes.size(),
        outcomes.stream().filter(o -> o.exitCode() == ExitCodes.OK).count(),
        outcomes.stream().filter(o -> o.exitCode() == ExitCodes.VIOLATIONS).count(),
        failed);
    out.flush();
    if (fleet.metrics.enabled()) {
      fleet.metrics.report(metrics, "shard-" + index, err);
    }
    err.flush();
    return worst;
  }

  private Outcome reconcile(RepoList.Entry entry, RunMetrics metrics) {
    List<String> args =
        new ArrayList<>(List.of("reconcile", "--repo", entry.url(), "--branch", entry.branch()));
    if (fleet.workDir != null) {
      args.add("--work-dir");
      args.add(
          RemoteUrls.defaultWorkDir(
                  entry.shown(), Map.of("XDG_CACHE_HOME", fleet.workDir.toString()))
              .toString());
    }
    CommandLine.ParseResult parsed = fleet.spec.commandLine().getParseResult();
    boolean ownCredentials = !entry.credentials().isEmpty();
    for (OptionSpec o : parsed.matchedOptions()) {
      String name = o.longestName();
      if (FLEET_ONLY.contains(name) || (ownCredentials && isCredentialOption(o))) {
        continue;
      }
      if (o.arity().max() == 0) {
        args.add(name);
      } else {
        for (String v : o.originalStringValues()) {
          args.add(name);
          args.add(v);
        }
      }
    }
    entry
        .credentials()
        .forEach(
            (key, value) -> {
              args.add(RepoList.CREDENTIAL_OPTIONS.get(key));
              args.add(value);
            });
    err.println("repo " + entry.shown() + " (" + entry.branch() + "):");
    err.flush();
    RunMetrics.Repo recorded = metrics.repo(entry.shown());
    CommandLine cl = ConvoyCommand.commandLine(fleet.environment);
    cl.setOut(out);
    cl.setErr(err);
    CommandLine sub = cl.getSubcommands().get("reconcile");
    ReconcileCommand one = sub.getCommand();
    one.environment = fleet.environment;
    one.initialBackoff = fleet.initialBackoff;
    one.recorded = recorded;
    int code;
    String result;
    CommandLine.ParseResult oneParsed;
    try {
      oneParsed = cl.parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      err.println("error: " + e.getMessage());
      recorded.exit(ExitCodes.BAD_INPUT, java.time.Instant.now());
      return new Outcome(entry, ExitCodes.BAD_INPUT, "bad options: " + e.getMessage());
    }
    try {
      code = one.call();
    } catch (Exception e) {
      try {
        code = cl.getExecutionExceptionHandler().handleExecutionException(e, sub, oneParsed);
      } catch (Exception unhandled) {
        err.println("error: " + unhandled);
        code = new ErrorReport.ExitCodeMapper().getExitCode(unhandled);
      }
    }
    result = one.lastResult != null ? one.lastResult : describe(code);
    err.flush();
    return new Outcome(entry, code, result);
  }

  private static boolean isCredentialOption(OptionSpec o) {
    return RepoList.CREDENTIAL_OPTIONS.containsValue(o.longestName())
        || o.longestName().equals("--insecure-skip-host-key-check");
  }

  private static String describe(int code) {
    return switch (code) {
      case ExitCodes.OK -> "ok";
      case ExitCodes.VIOLATIONS -> "violations";
      case ExitCodes.BAD_INPUT -> "bad input or configuration";
      case ExitCodes.GIT_FAILURE -> "git or network failure";
      case ExitCodes.OUT_OF_MEMORY -> "out of memory";
      default -> "internal error";
    };
  }
}

package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigParser;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.git.AuthenticationFailedException;
import dev.convoy.git.Author;
import dev.convoy.git.Checkout;
import dev.convoy.git.Credentials;
import dev.convoy.git.ForeignWorkDirException;
import dev.convoy.git.GitSync;
import dev.convoy.git.GitSyncException;
import dev.convoy.git.InvalidConfigurationException;
import dev.convoy.git.PublishResult;
import dev.convoy.git.PublishedCommit;
import dev.convoy.git.PushRejectedException;
import dev.convoy.git.RenderFailedException;
import dev.convoy.git.RetriesExhaustedException;
import dev.convoy.git.UnknownHostKeyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convoy reconcile}: the CronJob. Clone or fetch, render, commit, push. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Render the config repo from git, commit what changed and push it.",
    description = {
      "Clones the config repo (or fetches into the reused work folder), renders every target,"
          + " commits what changed with the author and message of convoy.yaml, and pushes, never"
          + " forcing. A lost push race is retried by re-rendering from the new head. Nothing to"
          + " change: no commit. A run that fails anywhere pushes nothing. Workloads with"
          + " violations keep their last rendered version and the rest is pushed (exit 1); with"
          + " --strict nothing is pushed.",
      "Credentials: --git-token-env, --git-username with --git-password-env,"
          + " --git-credentials-dir, --ssh-key with --known-hosts, or CONVOY_GIT_TOKEN, or"
          + " CONVOY_GIT_USERNAME + CONVOY_GIT_PASSWORD. See docs/reconcile.md."
    },
    footer = ExitCodes.HELP)
final class ReconcileCommand implements Callable<Integer> {
  @Option(
      names = "--repo",
      paramLabel = "URL",
      description =
          "The config repo: file://, a local path, git://, http(s):// or ssh:// (or user@host:path).")
  String repo;

  @Option(
      names = "--branch",
      paramLabel = "NAME",
      defaultValue = "main",
      description =
          "The source branch (rendered folders are committed to it). Default: ${DEFAULT-VALUE}.")
  String branch;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "The work folder, reused between runs (fetch and hard reset). Default:"
              + " $XDG_CACHE_HOME/convoy/reconcile/<hash of URL>, or .convoy-work/<hash of URL>.")
  Path workDir;

  @Mixin GitCredentialOptions credentials;

  @Option(
      names = "--take-over-work-dir",
      description =
          "Use a --work-dir that holds a clone of another remote (or a repository without one):"
              + " its remote is rewritten and its local changes and untracked files are deleted.")
  boolean takeOverWorkDir;

  @Option(
      names = "--signing-key-dir",
      paramLabel = "DIR",
      description =
          "The folder with the keys commit.sign of convoy.yaml may name (key.file,"
              + " passphrase.file), e.g. a mounted Kubernetes secret. See docs/reconcile.md.")
  Path signingKeyDir;

  @Option(
      names = "--dry-run",
      description = "Do everything but push; print the commit that would be pushed.")
  boolean dryRun;

  @Option(names = "--strict", description = "Push nothing when any workload has an error.")
  boolean strict;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "Re-render and push again at most N times after losing a push race. Default: ${DEFAULT-VALUE}.")
  int maxRetries;

  @Option(
      names = "--git-timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "Network timeout of each git connection. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  @Mixin RenderOptions render;

  @Mixin RemovalGuardOptions removal;

  @Mixin ShardOptions shards;

  @Mixin MetricsOptions metrics;

  @Spec CommandSpec spec;

  /** Where this run's metrics go: set by a fleet run (--repos), else made by {@link #call}. */
  RunMetrics.Repo recorded;

  /** One line on what the last run did, for a fleet run's summary. */
  String lastResult;

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(16);

  /** Where credential variables are read from; tests replace it. */
  Map<String, String> environment = System.getenv();

  /** Back-off between push attempts; tests shorten it. */
  Duration initialBackoff = Duration.ofMillis(500);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (shards.repos != null) {
      GitEnvironment.isolate();
      return new FleetReconcile(this, out, err).call();
    }
    if (repo == null) {
      err.println("error: give --repo URL (one repo) or --repos FILE (a shard of many)");
      return ExitCodes.BAD_INPUT;
    }
    RunMetrics own = recorded == null && metrics.enabled() ? new RunMetrics() : null;
    if (own != null) {
      recorded = own.repo(RemoteUrls.withoutUserInfo(repo));
    }
    long started = System.nanoTime();
    int code = ExitCodes.BAD_INPUT;
    try {
      code = reconcileRepo(out, err);
      return code;
    } catch (Exception e) {
      code = new ErrorReport.ExitCodeMapper().getExitCode(e);
      throw e;
    } finally {
      if (recorded != null) {
        recorded.duration(Duration.ofNanos(System.nanoTime() - started));
        recorded.exit(code, java.time.Instant.now());
      }
      if (own != null) {
        metrics.report(own, RemoteUrls.withoutUserInfo(repo), err);
      }
    }
  }

  private int reconcileRepo(PrintWriter out, PrintWriter err) throws Exception {
    GitEnvironment.isolate();
    render.progress = err;
    render.metrics = recorded;
    // The CronJob owns the rollout's clock: only it (or --advance-waves) moves waves.
    render.advanceWaves = true;
    if (maxRetries < 0 || timeoutSeconds <= 0) {
      err.println("error: --max-retries must be >= 0 and --git-timeout > 0");
      return ExitCodes.BAD_INPUT;
    }
    String shownUri = RemoteUrls.withoutUserInfo(repo);
    Redactor redactor = render.redactor;
    redactor.addEnvironment(environment);
    redactor.addUrl(repo);
    Credentials creds;
    try {
      creds = credentials.resolve(environment, err);
      redactor.addCredentials(creds);
    } catch (GitCredentialOptions.Invalid | InvalidConfigurationException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    Path work = workDir != null ? workDir : RemoteUrls.defaultWorkDir(shownUri, environment);
    if (RemoteUrls.isLocal(repo) && !GitSync.localPushRunsGit()) {
      err.println(
          "warning: git is not installed, so pushes to "
              + shownUri
              + " run in-process: the remote's hooks do not run; use file:// remotes for tests only");
    }
    try (WorkDirLock lock = WorkDirLock.acquire(work)) {
      return reconcile(shownUri, creds, work, out, err);
    } catch (WorkDirLock.Busy e) {
      err.println("error: " + e.getMessage());
      err.println(
          "hint: run one reconcile per work folder (CronJob concurrencyPolicy: Forbid), or give each its own --work-dir");
      err.flush();
      return ExitCodes.GIT_FAILURE;
    }
  }

  private int reconcile(
      String shownUri, Credentials creds, Path work, PrintWriter out, PrintWriter err)
      throws Exception {
    long t0 = System.nanoTime();
    ReconcileRenderer renderer = new ReconcileRenderer(render, strict, removal);
    PublishResult result;
    try {
      // The commit author and message live in convoy.yaml on the branch: read them first.
      Checkout head =
          GitSync.sync()
              .setUri(repo)
              .setBranch(branch)
              .setWorkDir(work)
              .setCredentials(creds)
              .setTimeout(Duration.ofSeconds(timeoutSeconds))
              .setTakeOverWorkDir(takeOverWorkDir)
              .call();
      RepoRender.timing(render, err, "sync", t0);
      ConvoyConfig.CommitSettings commit = commitSettings(head, err);
      long t1 = System.nanoTime();
      try (SigningKey signing = signingKey(commit, work, err)) {
        result =
            GitSync.publish()
                .setUri(repo)
                .setBranch(branch)
                .setWorkDir(work)
                .setCredentials(creds)
                .setTimeout(Duration.ofSeconds(timeoutSeconds))
                .setTakeOverWorkDir(takeOverWorkDir)
                .setAuthor(new Author(commit.authorName(), commit.authorEmail()))
                .setMessageTemplate(render.redactor.redact(commit.message()))
                .setMaxRetries(maxRetries)
                .setBackoff(
                    initialBackoff,
                    initialBackoff.compareTo(MAX_BACKOFF) > 0 ? initialBackoff : MAX_BACKOFF)
                .setDryRun(dryRun)
                .setSigner(signing.signer())
                .setRenderer(renderer)
                .call();
      }
      RepoRender.timing(render, err, "publish", t1);
    } catch (RenderFailedException e) {
      return renderFailed(e, renderer, err);
    } catch (InvalidConfigurationException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    } catch (ForeignWorkDirException e) {
      err.println("error: " + e.getMessage());
      err.println(
          "hint: give reconcile a folder of its own with --work-dir, or pass --take-over-work-dir"
              + " if this folder may be reset and cleaned");
      err.flush();
      return ExitCodes.BAD_INPUT;
    } catch (GitSyncException e) {
      err.println("error: " + e.getMessage());
      hint(e, err);
      if (render.stacktrace) {
        e.printStackTrace(err);
      }
      err.flush();
      return ExitCodes.GIT_FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted; nothing was pushed");
      err.flush();
      return ExitCodes.GIT_FAILURE;
    }
    err.print(renderer.lastDiagnostics());
    if (recorded != null) {
      recorded.pushRetries(result.attempts() - 1);
      if (renderer.lastRender() != null) {
        recorded.render(renderer.lastRender().result);
      } else if (renderer.inputsUnchanged()) {
        recorded.renderSkipped();
      }
    }
    int errors =
        renderer.lastRender() != null
            ? ViolationReport.print(renderer.lastRender().result, err)
            : recordedViolations(renderer.recordedViolations(), err);
    if (renderer.lastRender() != null) {
      WaveReport.print(renderer.lastRender().result, err);
    }
    report(result, renderer, shownUri, out);
    out.flush();
    if (renderer.lastRender() != null
        && RepoRender.failOnUnaskedGates(render, renderer.lastRender(), err)) {
      return ExitCodes.GIT_FAILURE;
    }
    err.flush();
    return errors > 0 ? ExitCodes.VIOLATIONS : ExitCodes.OK;
  }

  /** Prints what the skipped render's commit recorded; returns the number of errors among them. */
  private static int recordedViolations(List<String> lines, PrintWriter err) {
    int errors = 0;
    for (String line : lines) {
      err.println(line);
      if (line.contains(": error[")) {
        errors++;
      }
    }
    if (!lines.isEmpty()) {
      err.printf(
          "%d error(s), %d warning(s), as recorded by the last render%n",
          errors, lines.stream().filter(l -> l.contains(": warning[")).count());
    }
    return errors;
  }

  private ConvoyConfig.CommitSettings commitSettings(Checkout head, PrintWriter err) {
    try {
      byte[] bytes = Files.readAllBytes(head.workTree().resolve(ConvoyConfig.FILE_NAME));
      ConvoyConfig config = ConfigParser.parse(new InputFile(ConvoyConfig.FILE_NAME, bytes));
      return config.commit() == null ? ConvoyConfig.CommitSettings.DEFAULT : config.commit();
    } catch (NoSuchFileException e) {
      err.println(
          "error: "
              + ConvoyConfig.FILE_NAME
              + ": not found on branch "
              + branch
              + " of "
              + RemoteUrls.withoutUserInfo(repo)
              + ": is this a Convoy config repo?");
    } catch (IOException e) {
      err.println("error: " + ConvoyConfig.FILE_NAME + ": cannot read: " + e.getMessage());
    } catch (BadInputException e) {
      ErrorReport.print(err, head.workTree(), e.errors());
      err.println("nothing pushed");
    }
    throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
  }

  /** The key of commit.sign, tested; a missing or wrong one ends the run with exit 2. */
  private SigningKey signingKey(ConvoyConfig.CommitSettings commit, Path work, PrintWriter err) {
    try {
      SigningKey key =
          SigningKey.open(
              commit.sign(), signingKeyDir, environment, work.toAbsolutePath().getParent());
      if (key.signer() != null) {
        err.println("signing commits with " + key.signer().description());
      }
      return key;
    } catch (SigningKey.Invalid e) {
      err.println("error: " + ConvoyConfig.FILE_NAME + ": " + e.getMessage());
      err.println("nothing pushed");
      err.flush();
      throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
    }
  }

  /**
   * The renderer failed: bad input (2), rules that do not compile (2), or --strict violations (1).
   */
  private int renderFailed(RenderFailedException e, ReconcileRenderer renderer, PrintWriter err)
      throws Exception {
    err.print(renderer.lastDiagnostics());
    Throwable cause = e.getCause();
    if (cause instanceof ReconcileRenderer.StrictViolations) {
      ViolationReport.print(renderer.lastRender().result, err);
      err.println("nothing pushed (--strict)");
      err.flush();
      return ExitCodes.VIOLATIONS;
    }
    if (cause instanceof ReconcileRenderer.MassRemoval mass) {
      RemovalGuardOptions.report(
          mass.refused, "nothing pushed: Argo CD or Flux would prune them from the cluster", err);
      return ExitCodes.BAD_INPUT;
    }
    if (cause instanceof ErrorReport.Reported reported) {
      err.println("nothing pushed");
      err.flush();
      return reported.exitCode;
    }
    err.flush();
    // Rule compile and execution errors have their own reporting in ErrorReport.
    if (cause instanceof Exception ex) {
      throw ex;
    }
    throw e;
  }

  private static void hint(GitSyncException e, PrintWriter err) {
    if (e instanceof AuthenticationFailedException) {
      err.println(
          "hint: check the credentials (--git-token-env, --git-username/--git-password-env,"
              + " --git-credentials-dir, --ssh-key, or CONVOY_GIT_TOKEN)");
    } else if (e instanceof UnknownHostKeyException) {
      err.println(
          "hint: add the server's host key to the --known-hosts file (ssh-keyscan), after checking its fingerprint");
    } else if (e instanceof PushRejectedException) {
      err.println(
          "hint: the server refused the push (a hook or a protected branch; its own words are the"
              + " remote: lines above); nothing was forced");
    } else if (e instanceof RetriesExhaustedException) {
      err.println(
          "hint: other writers kept pushing first; nothing was pushed and the next run starts over");
    }
  }

  private void report(
      PublishResult result, ReconcileRenderer renderer, String shownUri, PrintWriter out) {
    String source = result.source().commitId().substring(0, 12);
    lastResult =
        switch (result.outcome()) {
          case UP_TO_DATE -> "up to date at " + source;
          case PUSHED ->
              "pushed "
                  + result.commits().stream()
                      .map(c -> c.commitId().substring(0, 12) + " to " + c.branch())
                      .reduce((a, b) -> a + ", " + b)
                      .orElse("");
          case DRY_RUN -> "dry run: would push " + result.commits().size() + " commit(s)";
        };
    switch (result.outcome()) {
      case UP_TO_DATE ->
          out.printf(
              "nothing to change: %s at %s is up to date in %s%s%n",
              branch,
              source,
              shownUri,
              renderer.inputsUnchanged()
                  ? " (inputs unchanged since the last render: not rendered again)"
                  : "");
      case PUSHED -> {
        for (PublishedCommit c : result.commits()) {
          out.printf(
              "pushed %s to %s of %s (rendered from %s%s)%n",
              c.commitId().substring(0, 12),
              c.branch(),
              shownUri,
              source,
              result.attempts() > 1
                  ? ", after " + (result.attempts() - 1) + " lost push race(s)"
                  : "");
        }
        renderer.lastSummaries().stream()
            .filter(ChangeSummary::changed)
            .forEach(s -> out.println("  " + s));
      }
      case DRY_RUN -> {
        out.printf(
            "dry run: nothing pushed; would push %d commit(s) to %s, rendered from %s:%n",
            result.commits().size(), shownUri, source);
        for (PublishedCommit c : result.commits()) {
          out.printf("%ncommit %s%n", c.commitId());
          out.printf("branch %s%n", c.branch());
          c.parentId().ifPresent(p -> out.printf("parent %s%n", p));
          out.println();
          for (String line : c.message().strip().split("\n", -1)) {
            out.println("    " + line);
          }
          out.println();
          for (PublishedCommit.PathChange change : c.changes()) {
            out.printf(
                "  %s %s%n",
                switch (change.kind()) {
                  case ADDED -> "A";
                  case MODIFIED -> "M";
                  case DELETED -> "D";
                },
                change.path());
          }
        }
      }
    }
  }
}

package dev.convoy.cli;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.RenderRun;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.review.CompareRenders;
import dev.convoy.engine.review.Review;
import dev.convoy.git.Commit;
import dev.convoy.git.CommitReader;
import dev.convoy.git.GitSyncException;
import dev.convoy.rules.DroolsPolicyRules;
import dev.convoy.rules.RuleCompileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The wiring of {@code convoy review}: read two commits from git objects, render each in-process
 * with the same pipeline as {@code render}, and compare.
 *
 * <p>The head is untrusted input. It goes through the same loader checks as any repo ({@link
 * HeadLoader} reuses the base's parse of the files it does not change), and its rules are not run
 * unless the operator trusts them: by default the base's rules decide on both sides and the head's
 * DRL is only compiled, so that a broken rule file is still reported.
 */
final class ReviewRender {

  /** What the review needs from the command line. */
  record Options(
      Path dir,
      String baseRef,
      String headRef,
      List<String> targets,
      boolean trustHeadRules,
      Instant now,
      Long fireLimit,
      boolean timings,
      String kustomizeCommand) {}

  /**
   * Both renders and their comparison.
   *
   * @param headRulesDiffer whether the head's rule files differ from the base's
   * @param now the time both sides' upgrade waves were planned at
   */
  record Result(
      String baseRef,
      Commit base,
      String headRef,
      Commit head,
      RenderResult baseResult,
      RenderResult headResult,
      Review review,
      boolean headRulesRun,
      boolean headRulesDiffer,
      Instant now) {}

  private ReviewRender() {}

  /**
   * Runs the review; explains failures on {@code err} and throws {@link ErrorReport.Reported} with
   * the contract's exit code (2 bad input in either commit, 3 git).
   */
  static Result run(Options o, PrintWriter err) {
    GitEnvironment.isolate();
    long t0 = System.nanoTime();
    CommitRepo base;
    CommitRepo head;
    try (CommitReader git = CommitReader.open(o.dir())) {
      Commit b = git.resolve(o.baseRef());
      Commit h = git.resolve(o.headRef());
      base = read(git, b, "base", o, true, err);
      head = read(git, h, "head", o, false, err);
    } catch (GitSyncException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      throw new ErrorReport.Reported(ExitCodes.GIT_FAILURE);
    }
    timing(o, err, "read", t0);
    boolean rulesDiffer = !sameFiles(base.inputs().rules(), head.inputs().rules());

    long t1 = System.nanoTime();
    DroolsPolicyRules.Compiling baseRules = compile(base.inputs().rules(), o);
    // Untrusted head rules are compiled to report their errors, never run: DRL is code.
    DroolsPolicyRules.Compiling headRules =
        rulesDiffer ? compile(head.inputs().rules(), o) : baseRules;
    // The head renders on a thread of its own beside the base, so its session needs a rule base
    // of its own: two sessions of one rule base firing at once failed inside Drools' truth
    // maintenance (a NullPointerException on an equality key, 1 of 2 reviews at 10,000).
    boolean headRunsItsOwnRules = o.trustHeadRules() && rulesDiffer;
    DroolsPolicyRules.Compiling baseRulesForHead =
        headRunsItsOwnRules ? null : compile(base.inputs().rules(), o);
    // Targets that read different files (their own sources:, a chart per Kubernetes version) load
    // and render as groups, each side's groups merged before the comparison.
    Map<List<Target>, ConfigRepo> baseGroups = base.inputs().byInputs();
    Map<List<Target>, LoadedRepo> baseRepos = new LinkedHashMap<>();
    baseGroups.forEach((targets, group) -> baseRepos.put(targets, load(group, base, "base", err)));
    Map<List<Target>, LoadedRepo> headRepos = new LinkedHashMap<>();
    for (Map.Entry<List<Target>, ConfigRepo> g : head.inputs().byInputs().entrySet()) {
      ConfigRepo baseGroup = baseGroups.get(g.getKey());
      try {
        headRepos.put(
            g.getKey(),
            baseGroup == null
                ? RepoLoader.load(g.getValue())
                : HeadLoader.load(g.getValue(), baseGroup, baseRepos.get(g.getKey())));
      } catch (BadInputException e) {
        ErrorReport.print(
            err, "head " + head.commit().shortId() + ": ", e.errors(), head::sourceLine);
        err.flush();
        throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
      }
    }
    timing(o, err, "load", t1);
    DroolsPolicyRules rulesForBase = rules(baseRules, "base", base, err);
    DroolsPolicyRules checkedHead = rules(headRules, "head", head, err);
    DroolsPolicyRules rulesForHead =
        headRunsItsOwnRules ? checkedHead : rules(baseRulesForHead, "base", base, err);
    timing(o, err, "compile-rules", t1);

    // Both sides render over the output committed at the base, as the next reconcile after the
    // merge would: an upgrade wave the head starts shows as it will roll out, and a rollout
    // already under way moves the same on both sides. The two renders are independent: the head
    // renders on a second thread while the base renders (each rule session uses one core).
    Instant now = o.now() != null ? o.now() : head.commit().time();
    long t2 = System.nanoTime();
    CompletableFuture<RenderResult> headRender =
        CompletableFuture.supplyAsync(
            () -> render(headRepos, rulesForHead, now, head, base.previous(), o, err),
            RENDER_THREAD);
    RenderResult baseResult = render(baseRepos, rulesForBase, now, base, base.previous(), o, err);
    RenderResult headResult = join(headRender);
    timing(o, err, "render-both", t2);
    long t3 = System.nanoTime();
    Review review = CompareRenders.between(baseResult, headResult);
    timing(o, err, "compare", t3);
    return new Result(
        o.baseRef(),
        base.commit(),
        o.headRef(),
        head.commit(),
        baseResult,
        headResult,
        review,
        o.trustHeadRules() && rulesDiffer,
        rulesDiffer,
        now);
  }

  /** One daemon thread for the head's render: nothing else runs on it. */
  private static final java.util.concurrent.Executor RENDER_THREAD =
      runnable -> {
        Thread t = new Thread(runnable, "convoy-review-head");
        t.setDaemon(true);
        t.start();
      };

  private static RenderResult join(CompletableFuture<RenderResult> render) {
    try {
      return render.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private static CommitRepo read(
      CommitReader git,
      Commit commit,
      String side,
      Options o,
      boolean withPrevious,
      PrintWriter err)
      throws GitSyncException {
    try {
      CommitRepo repo =
          CommitRepo.readToRender(git, commit, o.targets(), withPrevious, o.kustomizeCommand());
      repo.skipped()
          .forEach(
              (path, why) ->
                  err.println("warning: " + side + ": " + path + ": " + why + ", not read"));
      return repo;
    } catch (BadInputException e) {
      ErrorReport.print(err, side + " " + commit.shortId() + ": ", e.errors(), (f, l) -> null);
      err.flush();
      throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
    }
  }

  private static DroolsPolicyRules.Compiling compile(List<InputFile> files, Options o) {
    DroolsPolicyRules.Builder builder = DroolsPolicyRules.builder();
    for (InputFile f : files) {
      builder.addRuleFile(f.path(), f.bytes());
    }
    if (o.fireLimit() != null) {
      builder.setFireLimit(o.fireLimit());
    }
    return builder.setRecordFirings(false).buildInBackground();
  }

  private static DroolsPolicyRules rules(
      DroolsPolicyRules.Compiling compiling, String side, CommitRepo repo, PrintWriter err) {
    try {
      return compiling.get();
    } catch (RuleCompileException e) {
      for (RuleCompileException.Problem p : e.problems()) {
        err.println(
            "error: "
                + side
                + " "
                + repo.commit().shortId()
                + ": "
                + p.file()
                + (p.line() > 0 ? ":" + p.line() : "")
                + ": "
                + p.message());
      }
      err.println(
          "hint: fix the DRL file"
              + (side.equals("head") ? " (the head's rules were compiled, not run)" : "")
              + "; nothing was reviewed.");
      err.flush();
      throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
    }
  }

  private static LoadedRepo load(ConfigRepo group, CommitRepo repo, String side, PrintWriter err) {
    try {
      return RepoLoader.load(group);
    } catch (BadInputException e) {
      ErrorReport.print(
          err, side + " " + repo.commit().shortId() + ": ", e.errors(), repo::sourceLine);
      err.flush();
      throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
    }
  }

  /** Renders each group of one side's targets, merged in convoy.yaml's target order. */
  private static RenderResult render(
      Map<List<Target>, LoadedRepo> groups,
      DroolsPolicyRules rules,
      Instant now,
      CommitRepo side,
      Map<String, ? extends Map<String, byte[]>> previous,
      Options o,
      PrintWriter err) {
    List<RenderResult> parts = new java.util.ArrayList<>();
    for (LoadedRepo group : groups.values()) {
      parts.add(render(group, rules, now, previous, o, err));
    }
    return parts.size() == 1
        ? parts.get(0)
        : RenderResult.merge(parts, side.inputs().config().targets());
  }

  private static RenderResult render(
      LoadedRepo repo,
      DroolsPolicyRules rules,
      Instant now,
      Map<String, ? extends Map<String, byte[]>> previous,
      Options o,
      PrintWriter err) {
    RenderRun run =
        RenderRun.of(repo)
            .setRules(rules)
            .setNow(now)
            .setListener(
                (phase, took) -> {
                  if (o.timings()) {
                    err.printf("timing: %-14s %6d ms%n", phase, took.toMillis());
                  }
                });
    for (Target t : repo.config().targets()) {
      Map<String, byte[]> files = previous.get(t.name());
      run.setPreviousOutput(t.name(), files == null ? Map.of() : files);
    }
    return run.call();
  }

  private static boolean sameFiles(List<InputFile> a, List<InputFile> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).path().equals(b.get(i).path())
          || !Arrays.equals(a.get(i).bytes(), b.get(i).bytes())) {
        return false;
      }
    }
    return true;
  }

  private static void timing(Options o, PrintWriter err, String phase, long since) {
    if (o.timings()) {
      err.printf("timing: %-14s %6d ms%n", phase, (System.nanoTime() - since) / 1_000_000);
    }
  }
}

package dev.convoy.cli;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.RenderRun;
import dev.convoy.engine.TargetRender;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigParser;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.ConvoyConfig.CommitSettings;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.output.OutputDiff;
import dev.convoy.engine.output.OutputFolder;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.rules.DroolsPolicyRules;
import dev.convoy.rules.RuleExecutionException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convoy test}: runs the rule test fixtures of a config repo, like {@code kyverno test}. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Run the config repo's test cases in tests/<case>/.",
    description =
        "Each folder tests/<case>/ holds input manifests/, optional extra policies/, and the"
            + " expected rendered output expected/<target>/ or the expected violations"
            + " expected-violations.yaml, or both. Each case renders with the repo's targets (or"
            + " the case's own convoy.yaml, whose sources: may name a kustomization or a Helm"
            + " chart inside the case), the repo's policies plus the case's, and the repo's"
            + " rules, compiled once. Prints 'PASS <case>' or 'FAIL <case>: <reason>' per case and"
            + " a closing 'N passed, N failed' line. See docs/convoy-test.md.",
    footer = {
      "%nExamples:",
      "  convoy test samples/config-repo",
      "  convoy test . --case force-logging-in-pci --diff",
      "  convoy test . --update   # record what each case renders now",
      "%nExit codes:%n"
          + "  0  every case passed%n"
          + "  1  a case failed%n"
          + "  2  bad input or configuration (convoy.yaml, DRL, no tests/ folder)%n"
    })
final class TestCommand implements Callable<Integer> {
  /** The folder under the config repo that holds the cases. */
  static final String TESTS = "tests";

  static final String EXPECTED = "expected";
  static final String PREVIOUS = "previous";
  static final String CASE_FILE = "case.yaml";
  static final String EXPECTED_VIOLATIONS = "expected-violations.yaml";

  @Mixin RepoOptions repo;

  @Option(
      names = "--case",
      paramLabel = "NAME",
      split = ",",
      description = "Only these cases (repeatable or comma-separated).")
  List<String> only = List.of();

  @Option(
      names = "--diff",
      description = "After a failing case's line, print the unified diff of its rendered output.")
  boolean diff;

  @Option(
      names = "--update",
      description =
          "Write each case's rendered output and violations as its new expectation (review with git diff).")
  boolean update;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = repo.dir.toAbsolutePath().normalize();
    ConfigRepo base;
    try {
      base = ConfigRepo.read(dir);
      RepoRender.recoverOutputs(dir, base.config());
    } catch (BadInputException e) {
      ErrorReport.print(err, dir, e.errors());
      return ExitCodes.BAD_INPUT;
    }
    List<Path> cases = cases(dir.resolve(TESTS));
    if (cases.isEmpty()) {
      err.println(
          "error: no test cases: "
              + TESTS
              + "/<case>/ folders with manifests/ in "
              + dir.getFileName()
              + " (see docs/convoy-test.md)");
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    for (String name : only) {
      if (cases.stream().noneMatch(c -> c.getFileName().toString().equals(name))) {
        err.println("error: no test case named '" + name + "' in " + TESTS + "/");
        err.flush();
        return ExitCodes.BAD_INPUT;
      }
    }
    long t0 = System.nanoTime();
    DroolsPolicyRules.Builder builder = DroolsPolicyRules.builder();
    for (InputFile f : base.rules()) {
      err.println("rules: loaded " + f.path() + " sha256:" + RepoRender.sha256(f.bytes()));
      builder.addRuleFile(f.path(), f.bytes());
    }
    if (repo.fireLimit != null) {
      builder.setFireLimit(repo.fireLimit);
    }
    builder.setTimeout(repo.ruleTimeout(base.config()));
    DroolsPolicyRules rules = builder.build(); // once for every case
    RepoRender.timing(repo, err, "compile-rules", t0);
    err.flush();

    int passed = 0;
    int failed = 0;
    for (Path c : cases) {
      String name = c.getFileName().toString();
      if (!only.isEmpty() && !only.contains(name)) {
        continue;
      }
      long t1 = System.nanoTime();
      Outcome outcome = runCase(base, c, rules);
      if (outcome.failure == null) {
        out.println((outcome.updated() ? "UPDATED " : "PASS ") + name);
        passed++;
      } else {
        out.println("FAIL " + name + ": " + outcome.failure);
        if (diff && !outcome.diff.isEmpty()) {
          out.print(outcome.diff);
        }
        failed++;
      }
      RepoRender.timing(repo, err, "case " + name, t1);
    }
    out.println(passed + " passed, " + failed + " failed");
    out.flush();
    err.flush();
    return failed > 0 ? ExitCodes.VIOLATIONS : ExitCodes.OK;
  }

  /**
   * A case's result: {@code failure} is null when it passed.
   *
   * @param updated true when {@code --update} rewrote what the case expects
   */
  record Outcome(String failure, String diff, boolean updated) {
    static final Outcome PASS = new Outcome(null, "", false);
    static final Outcome UPDATED = new Outcome(null, "", true);

    static Outcome fail(String failure) {
      return new Outcome(failure, "", false);
    }
  }

  /** Case folders: every folder directly under tests/, sorted by name. */
  static List<Path> cases(Path tests) throws IOException {
    if (!Files.isDirectory(tests)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(tests)) {
      return list.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
  }

  private Outcome runCase(ConfigRepo base, Path c, DroolsPolicyRules rules) throws IOException {
    String casePath = TESTS + "/" + c.getFileName();
    Path expectedDir = c.resolve(EXPECTED);
    Path expectedViolations = c.resolve(EXPECTED_VIOLATIONS);
    if (!update && !Files.isDirectory(expectedDir) && !Files.isRegularFile(expectedViolations)) {
      return Outcome.fail(
          "nothing to check: add "
              + EXPECTED
              + "/<target>/ or "
              + EXPECTED_VIOLATIONS
              + " (or run with --update)");
    }
    RenderResult result;
    try {
      // The case's own convoy.yaml names its targets and its sources (paths inside the case, so a
      // case can hold a kustomization or a chart); without one it reads manifests/ as it is.
      ConvoyConfig own =
          Files.isRegularFile(c.resolve(ConvoyConfig.FILE_NAME))
              ? ConfigParser.parse(
                  new InputFile(
                      casePath + "/" + ConvoyConfig.FILE_NAME,
                      Files.readAllBytes(c.resolve(ConvoyConfig.FILE_NAME))))
              : new ConvoyConfig(
                  List.of("manifests"),
                  List.of(),
                  List.of(),
                  base.config().targets(),
                  CommitSettings.DEFAULT);
      ConvoyConfig config = base.config().withSourcesAndTargetsOf(own);
      if (!repo.targets.isEmpty()) {
        List<Target> selected =
            config.targets().stream().filter(t -> repo.targets.contains(t.name())).toList();
        config = config.withTargets(selected);
      }
      // Sources keep paths relative to the case, so expected/<target>/ mirrors the case's layout.
      List<InputFile> sources = new ArrayList<>();
      for (String folder : config.sources()) {
        if (!Files.isDirectory(c.resolve(folder))) {
          return Outcome.fail("no " + folder + "/ folder: a case needs input manifests");
        }
        sources.addAll(read(c, folder, ""));
      }
      List<InputFile> policies = new ArrayList<>(base.policies());
      policies.addAll(read(c, "policies", casePath + "/"));
      ConfigRepo inputs =
          SourceBuilds.run(
              c,
              ConfigRepo.ofTree(config, sources, policies, base.rules()),
              repo.kustomize.command);
      // Targets that read different built files (a chart per Kubernetes version) render apart.
      List<RenderResult> parts = new ArrayList<>();
      for (ConfigRepo group : inputs.byInputs().values()) {
        RenderRun run =
            RenderRun.of(RepoLoader.load(group))
                .setRules(rules)
                .setNow(repo.now != null ? repo.now : caseTime(c));
        // previous/<target>/ is the output an earlier run left: what upgrade waves move from.
        for (Target t : group.config().targets()) {
          Path previous = c.resolve(PREVIOUS).resolve(t.name());
          if (Files.isDirectory(previous)) {
            run.setPreviousOutput(t.name(), new OutputFolder(previous).read());
          }
        }
        parts.add(run.call());
      }
      result = RenderResult.merge(parts, config.targets());
    } catch (BadInputException e) {
      InputError first = e.errors().get(0);
      return Outcome.fail(
          "bad input: "
              + first.describe()
              + (e.errors().size() > 1 ? " (and " + (e.errors().size() - 1) + " more)" : ""));
    } catch (RuleExecutionException e) {
      return Outcome.fail("rule failed: " + e.getMessage());
    }
    boolean checksOutput = Files.isDirectory(expectedDir);
    boolean checksViolations = Files.isRegularFile(expectedViolations);
    List<String> problems = new ArrayList<>();
    StringBuilder diffs = new StringBuilder();
    if (checksOutput) {
      compareOutput(c, expectedDir, result, problems, diffs);
    }
    List<Map<String, Object>> expected =
        checksViolations ? ExpectedViolations.read(expectedViolations) : List.of();
    ExpectedViolations.compare(expected, result.violations(), problems);
    // --update rewrites only a case that fails, and only what it checks (a new case: both), so a
    // hand-written expected-violations.yaml of a passing case keeps its comments and its choices.
    if (update && (!problems.isEmpty() || !checksOutput && !checksViolations)) {
      boolean fresh = !checksOutput && !checksViolations;
      write(
          c,
          result,
          checksOutput || fresh,
          checksViolations || fresh && !result.violations().isEmpty());
      return Outcome.UPDATED;
    }
    if (problems.isEmpty()) {
      return Outcome.PASS;
    }
    String failure =
        problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
    return new Outcome(failure, diffs.toString(), false);
  }

  private static void compareOutput(
      Path c, Path expectedDir, RenderResult result, List<String> problems, StringBuilder diffs)
      throws IOException {
    List<String> rendered = result.targets().stream().map(t -> t.target().name()).toList();
    for (Path targetDir : cases(expectedDir)) {
      if (!rendered.contains(targetDir.getFileName().toString())) {
        problems.add(
            EXPECTED
                + "/"
                + targetDir.getFileName()
                + "/ names no target of this run (targets: "
                + String.join(", ", rendered)
                + ")");
      }
    }
    for (TargetRender target : result.targets()) {
      Path dir = expectedDir.resolve(target.target().name());
      if (!Files.isDirectory(dir)) {
        problems.add(
            "no "
                + EXPECTED
                + "/"
                + target.target().name()
                + "/ for target "
                + target.target().name());
        continue;
      }
      SortedMap<String, byte[]> want = new OutputFolder(dir).read();
      String prefix = EXPECTED + "/" + target.target().name() + "/";
      // The rollout state is Convoy's bookkeeping: compared only when a fixture spells it out.
      SortedMap<String, byte[]> got = new java.util.TreeMap<>(target.files());
      if (!want.containsKey(RolloutState.FILE)) {
        got.remove(RolloutState.FILE);
      }
      for (OutputDiff.FileChange change : OutputDiff.between(want, got, prefix)) {
        String path = prefix + change.path();
        problems.add(
            switch (change.change()) {
              case ADDED -> "rendered " + path + ", which is not expected";
              case REMOVED -> "expected " + path + ", which was not rendered";
              default ->
                  path
                      + " differs from the rendered output"
                      + firstDifference(want, target.files(), change.path());
            });
        diffs.append(change.unifiedDiff());
      }
    }
  }

  private static String firstDifference(
      Map<String, byte[]> want, Map<String, byte[]> got, String key) {
    if (!want.containsKey(key) || !got.containsKey(key)) {
      return "";
    }
    String[] a = new String(want.get(key), StandardCharsets.UTF_8).split("\n", -1);
    String[] b = new String(got.get(key), StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "<end of file>";
      String y = i < b.length ? b[i] : "<end of file>";
      if (!x.equals(y)) {
        return " at line "
            + (i + 1)
            + ": expected '"
            + x.strip()
            + "', rendered '"
            + y.strip()
            + "'";
      }
    }
    return "";
  }

  /**
   * The time a case renders at: {@code now:} of its optional case.yaml (cases about upgrade waves
   * need one to be reproducible), else the clock.
   */
  static Instant caseTime(Path c) throws IOException, BadInputException {
    Path file = c.resolve(CASE_FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Object now = ExpectedViolations.document(file) instanceof Map<?, ?> map ? map.get("now") : null;
    try {
      // An unquoted timestamp loads as written (a PlainScalar): its text is the instant.
      return now == null ? null : Instant.parse(now.toString());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          file + ": now: must be an instant like 2026-11-24T08:00:00Z, found '" + now + "'");
    }
  }

  /**
   * The YAML and JSON files under the case's {@code folder}, named {@code prefix} + path in the
   * case.
   */
  private static List<InputFile> read(Path c, String folder, String prefix)
      throws IOException, BadInputException {
    return ConfigRepo.readFolder(c, folder, ".yaml", ".yml", ".json").stream()
        .map(f -> new InputFile(prefix + f.path(), f.bytes()))
        .toList();
  }

  /** {@code --update}: the rendered output and violations become the case's expectation. */
  private static void write(Path c, RenderResult result, boolean output, boolean violations)
      throws IOException {
    if (violations) {
      ExpectedViolations.write(c.resolve(EXPECTED_VIOLATIONS), result.violations());
    }
    if (!output) {
      return;
    }
    for (TargetRender target : result.targets()) {
      SortedMap<String, byte[]> files = new TreeMap<>(target.files());
      // A first render's rollout state only restates the policies; cases about waves keep it.
      if (!Files.isDirectory(c.resolve(PREVIOUS))) {
        files.remove(RolloutState.FILE);
      }
      new OutputFolder(c.resolve(EXPECTED).resolve(target.target().name())).write(files);
    }
  }
}

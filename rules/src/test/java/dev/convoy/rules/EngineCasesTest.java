package dev.convoy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.RenderRun;
import dev.convoy.engine.TargetRender;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.engine.output.OutputDiff;
import dev.convoy.engine.output.OutputFolder;
import dev.convoy.engine.upgrade.GateAnswer;
import dev.convoy.engine.upgrade.RolloutState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * The engine's golden cases, {@code engine/src/test/resources/cases/<case>/}: {@code in/} is a
 * config repo, {@code expected/} its single target's rendered folder (or {@code expected/<target>/}
 * per target when there are several). An optional {@code case.yaml} lists the exact violations
 * expected ({@code violations: [...]}, as {@code convoy} prints them); a case with violations may
 * omit {@code expected/}. Cases under {@code cases-invalid/<case>/} must fail to load with the
 * {@code errors:} of their case.yaml. A new case is a new folder.
 *
 * <p>They run here, not in the engine module, because they need the real built-in Drools rules and
 * Maven forbids the engine's tests from depending on the rules module that depends on it.
 *
 * <p>{@code -Dconvoy.case=NAME[,NAME]} runs only those cases; {@code -Dconvoy.update-golden=true}
 * writes what each case renders now as its expectation ({@code expected/}, and the {@code
 * violations:} or {@code errors:} of its case.yaml) before comparing: review the change with {@code
 * git diff} (CONTRIBUTING.md).
 */
class EngineCasesTest {
  /** Writes the expectations from the current behaviour instead of only comparing. */
  static final boolean UPDATE = Boolean.getBoolean("convoy.update-golden");

  /**
   * The time cases render at unless their case.yaml says {@code now:}; upgrade waves depend on it.
   */
  private static final Instant CASE_TIME = Instant.parse("2026-01-01T00:00:00Z");

  private static final Path ENGINE_RESOURCES =
      Path.of(System.getProperty("convoy.engineTestResources", "../engine/src/test/resources"));

  @TestFactory
  Stream<DynamicTest> rendersEveryCaseToItsExpectedOutput() throws IOException {
    return caseFolders("cases")
        .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> runCase(dir)));
  }

  /**
   * The same cases with a rule session per workload (the engine's fleet parts at their smallest):
   * rules that join within one workload decide the same in parts, upgrade waves included, so every
   * case renders its expected output byte for byte.
   */
  @TestFactory
  Stream<DynamicTest> rendersEveryCaseTheSameInPartsOfOneWorkload() throws IOException {
    return caseFolders("cases")
        .filter(dir -> !UPDATE)
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    dir.getFileName().toString(), () -> runCase(dir, ONE_WORKLOAD_PARTS)));
  }

  @TestFactory
  Stream<DynamicTest> rejectsEveryInvalidCaseWithItsExpectedErrors() throws IOException {
    return caseFolders("cases-invalid")
        .map(
            dir ->
                DynamicTest.dynamicTest(dir.getFileName().toString(), () -> runInvalidCase(dir)));
  }

  private static Stream<Path> caseFolders(String kind) throws IOException {
    Path root = ENGINE_RESOURCES.resolve(kind);
    assertThat(root).as("golden case folder").isDirectory();
    List<Path> dirs;
    try (Stream<Path> list = Files.list(root)) {
      dirs = list.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(dirs).as("cases under " + root).isNotEmpty();
    // -Dconvoy.case=NAME[,NAME]: only these cases (of either kind), e.g. while writing one.
    String only = System.getProperty("convoy.case", "");
    if (!only.isBlank()) {
      List<String> names = List.of(only.split(","));
      dirs = dirs.stream().filter(d -> names.contains(d.getFileName().toString())).toList();
    }
    return dirs.stream();
  }

  /** Workloads per rule session: the default, or one workload per part. */
  private static final int WHOLE = 0;

  private static final int ONE_WORKLOAD_PARTS = 1;

  private static final ThreadLocal<Integer> PART_SIZE = ThreadLocal.withInitial(() -> WHOLE);

  private static void runCase(Path dir) throws Exception {
    runCase(dir, WHOLE);
  }

  private static void runCase(Path dir, int partSize) throws Exception {
    PART_SIZE.set(partSize);
    try {
      runCaseAsSet(dir);
    } finally {
      PART_SIZE.remove();
    }
  }

  private static void runCaseAsSet(Path dir) throws Exception {
    Path in = dir.resolve("in");
    Path expected = dir.resolve("expected");
    Map<String, Object> spec = caseSpec(dir);
    @SuppressWarnings("unchecked")
    List<String> expectedViolations = (List<String>) spec.getOrDefault("violations", List.of());
    assertThat(in).as(dir + " needs in/").isDirectory();
    if (!UPDATE && !Files.isDirectory(expected) && expectedViolations.isEmpty()) {
      fail(dir + " has in/ but neither expected/ nor expected violations in case.yaml");
    }
    ConfigRepo repo = ConfigRepo.read(in);
    Instant now = spec.get("now") == null ? CASE_TIME : Instant.parse(spec.get("now").toString());
    Map<String, SortedMap<String, byte[]>> previous = new HashMap<>();
    Path previousDir = dir.resolve("previous");
    if (Files.isDirectory(previousDir)) {
      for (var t : repo.config().targets()) {
        Path folder =
            repo.config().targets().size() == 1 ? previousDir : previousDir.resolve(t.name());
        previous.put(t.name(), new OutputFolder(folder).read());
      }
    }
    RenderResult result = render(repo, previous, now, spec);
    List<String> violations = result.violations().stream().map(Violation::describe).toList();
    if (UPDATE && !violations.equals(expectedViolations)) {
      updateCaseList(dir, "violations", violations);
      expectedViolations = violations;
    }
    assertThat(violations)
        .as("violations of " + dir.getFileName())
        .containsExactlyElementsOf(expectedViolations);
    if (!Files.isDirectory(expected) && !(UPDATE && violations.isEmpty())) {
      return;
    }
    for (TargetRender target : result.targets()) {
      Path want =
          result.targets().size() == 1 ? expected : expected.resolve(target.target().name());
      if (UPDATE) {
        new OutputFolder(want).write(target.files());
      }
      assertSameFiles(
          dir.getFileName() + " target " + target.target().name(),
          new OutputFolder(want).read(),
          target.files());
    }
    // Rendering the rendered output again must change nothing: CronJob runs commit no noise.
    if (expectedViolations.isEmpty()) {
      for (TargetRender target : result.targets()) {
        List<InputFile> rendered = new ArrayList<>();
        target
            .files()
            .forEach(
                (path, bytes) -> {
                  if (!path.equals("kustomization.yaml") && !path.equals(RolloutState.FILE)) {
                    rendered.add(new InputFile(path, bytes));
                  }
                });
        ConfigRepo again = new ConfigRepo(repo.config(), rendered, repo.policies(), repo.rules());
        Map<String, SortedMap<String, byte[]>> own = new HashMap<>();
        result.targets().forEach(t -> own.put(t.target().name(), t.files()));
        TargetRender second =
            render(again, own, now, spec).targets().stream()
                .filter(t -> t.target().name().equals(target.target().name()))
                .findFirst()
                .orElseThrow();
        assertSameFiles(
            dir.getFileName() + " re-rendered over its own output", target.files(), second.files());
      }
    }
  }

  private static void runInvalidCase(Path dir) throws Exception {
    Map<String, Object> spec = caseSpec(dir);
    @SuppressWarnings("unchecked")
    List<String> expectedErrors = (List<String>) spec.getOrDefault("errors", List.of());
    if (!UPDATE) {
      assertThat(expectedErrors).as(dir + "/case.yaml must list errors").isNotEmpty();
    }
    List<String> actual = new ArrayList<>();
    try {
      ConfigRepo repo = ConfigRepo.read(dir.resolve("in"));
      render(repo);
      fail(dir.getFileName() + " rendered, but should have failed with " + expectedErrors);
    } catch (BadInputException e) {
      e.errors().stream().map(InputError::describe).forEach(actual::add);
    } catch (RuleCompileException e) {
      e.problems().stream()
          .map(p -> p.file() + ":" + p.line() + ": " + p.message())
          .forEach(actual::add);
    }
    if (UPDATE && !matchesPrefixes(actual, expectedErrors)) {
      updateCaseList(dir, "errors", actual);
      expectedErrors = actual;
    }
    assertThat(actual).as("errors of " + dir.getFileName()).hasSameSizeAs(expectedErrors);
    for (int i = 0; i < actual.size(); i++) {
      assertThat(actual.get(i))
          .as("error " + (i + 1) + " of " + dir.getFileName())
          .startsWith(expectedErrors.get(i));
    }
  }

  /**
   * Built once: most cases have no rules of their own, and a knowledge base costs about a second.
   */
  private static DroolsPolicyRules builtinOnly;

  static RenderResult render(ConfigRepo repo) throws BadInputException, RuleCompileException {
    return render(repo, Map.of(), CASE_TIME);
  }

  /**
   * Renders with each target's previous output (what the case's {@code previous/} holds) at a fixed
   * time.
   */
  static RenderResult render(
      ConfigRepo repo, Map<String, SortedMap<String, byte[]>> previous, Instant now)
      throws BadInputException, RuleCompileException {
    return render(repo, previous, now, Map.of());
  }

  /**
   * As above, with what a case's {@code case.yaml} says about the clock: {@code advanceWaves}
   * (default true, as reconcile) and {@code gates}, the gates' answers by {@code target/policy}
   * ({@code healthy}, {@code words}, {@code at}, {@code query}, {@code value}), as the command line
   * passes them in after evaluating the gates.
   */
  @SuppressWarnings("unchecked")
  static RenderResult render(
      ConfigRepo repo,
      Map<String, SortedMap<String, byte[]>> previous,
      Instant now,
      Map<String, Object> spec)
      throws BadInputException, RuleCompileException {
    var loaded = RepoLoader.load(repo);
    RenderRun run =
        RenderRun.of(loaded)
            .setRules(rulesFor(repo))
            .setNow(now)
            .setAdvanceWaves(!Boolean.FALSE.equals(spec.get("advanceWaves")));
    if (PART_SIZE.get() != WHOLE) {
      run.setFleetPartSize(PART_SIZE.get());
    }
    Map<String, Map<String, Object>> gates =
        (Map<String, Map<String, Object>>) spec.getOrDefault("gates", Map.of());
    gates.forEach(
        (rollout, g) ->
            run.setGateAnswer(
                rollout.substring(0, rollout.indexOf('/')),
                rollout.substring(rollout.indexOf('/') + 1),
                new GateAnswer(
                    Boolean.TRUE.equals(g.get("healthy")),
                    String.valueOf(g.get("words")),
                    g.get("at") == null ? null : Instant.parse(g.get("at").toString()),
                    g.get("query") == null ? null : g.get("query").toString(),
                    g.get("value") == null ? null : g.get("value").toString())));
    previous.forEach(run::setPreviousOutput);
    return run.call();
  }

  private static synchronized DroolsPolicyRules rulesFor(ConfigRepo repo)
      throws RuleCompileException {
    if (repo.rules().isEmpty()) {
      if (builtinOnly == null) {
        builtinOnly = DroolsPolicyRules.builder().build();
      }
      return builtinOnly;
    }
    DroolsPolicyRules.Builder rules = DroolsPolicyRules.builder();
    for (InputFile f : repo.rules()) {
      rules.addRuleFile(f.path(), f.bytes());
    }
    return rules.build();
  }

  private static Map<String, Object> caseSpec(Path dir) throws IOException {
    Path file = dir.resolve("case.yaml");
    if (!Files.exists(file)) {
      return Map.of();
    }
    Map<String, Object> spec = new Yaml().load(Files.readString(file));
    return spec == null ? Map.of() : spec;
  }

  private static boolean matchesPrefixes(List<String> actual, List<String> prefixes) {
    if (actual.size() != prefixes.size()) {
      return false;
    }
    for (int i = 0; i < actual.size(); i++) {
      if (!actual.get(i).startsWith(prefixes.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Replaces the top-level list {@code key} of the case's case.yaml with {@code items}, keeping
   * every other line (comments, {@code now:}); creates the file if needed.
   */
  private static void updateCaseList(Path dir, String key, List<String> items) throws IOException {
    Path file = dir.resolve("case.yaml");
    List<String> before = new ArrayList<>();
    List<String> after = new ArrayList<>();
    if (Files.exists(file)) {
      List<String> current = before;
      boolean inList = false;
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key + ":")) {
          inList = true;
          current = after;
        } else if (inList && (line.startsWith(" ") || line.startsWith("-"))) {
          continue;
        } else {
          inList = false;
          current.add(line);
        }
      }
    } else {
      before.add("# Expected " + key + ", exactly as convoy prints them.");
    }
    StringBuilder text = new StringBuilder();
    before.forEach(line -> text.append(line).append('\n'));
    text.append(key).append(items.isEmpty() ? ": []\n" : ":\n");
    for (String item : items) {
      text.append("  - \"").append(item.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
    }
    after.forEach(line -> text.append(line).append('\n'));
    Files.writeString(file, text);
  }

  private static void assertSameFiles(
      String what, SortedMap<String, byte[]> want, SortedMap<String, byte[]> got) {
    List<OutputDiff.FileChange> changes = OutputDiff.between(want, got, "");
    if (!changes.isEmpty()) {
      StringBuilder sb = new StringBuilder(what + ": rendered output differs from expected\n");
      changes.forEach(
          c ->
              sb.append(c.change())
                  .append(' ')
                  .append(c.path())
                  .append('\n')
                  .append(c.unifiedDiff()));
      fail(sb.toString());
    }
  }
}

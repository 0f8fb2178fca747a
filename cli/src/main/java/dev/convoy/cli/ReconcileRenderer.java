package dev.convoy.cli;

import dev.convoy.engine.TargetRender;
import dev.convoy.engine.WorkloadReport;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.output.OutputFolder;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.git.Checkout;
import dev.convoy.git.Output;
import dev.convoy.git.RenderedChange;
import dev.convoy.git.Renderer;
import dev.convoy.git.Trailer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders a checkout for {@code reconcile}: every selected target through the engine, each into its
 * folder on the source branch or into its own rendered branch, with a summary of what changed and
 * one trailer per applied policy revision.
 *
 * <p>git-sync calls it once per attempt (again after a lost push race), so it keeps only the last
 * attempt's render and diagnostics; the command prints them once, after the push.
 */
final class ReconcileRenderer implements Renderer {
  private final RenderOptions options;
  private final boolean strict;
  private RepoRender last;
  private boolean inputsUnchanged;
  private List<String> recordedViolations = List.of();

  /** A violation of the render a commit was made from, as {@code convoy} prints it. */
  static final String VIOLATION = "Convoy-Violation";

  /**
   * What a commit's upgrade wave moved, e.g. {@code prod/mesh -> f51b807711: wave 1 moves 2
   * workloads, 3 held (...)}.
   */
  static final String WAVE = "Convoy-Wave";

  /** Commit messages stay readable: past this many, the last trailer points at convoy validate. */
  static final int MAX_RECORDED_VIOLATIONS = 50;

  private List<ChangeSummary> lastSummaries = List.of();
  private StringWriter lastDiagnostics = new StringWriter();

  /**
   * Thrown from {@link #render} to stop the run when {@code --strict} and a workload has errors.
   */
  static final class StrictViolations extends Exception {
    private static final long serialVersionUID = 1L;

    StrictViolations() {
      super("violations found; --strict pushes nothing");
    }
  }

  /** Thrown from {@link #render} when a change would remove too many rendered workloads. */
  static final class MassRemoval extends Exception {
    private static final long serialVersionUID = 1L;

    final transient List<ChangeSummary> refused;

    MassRemoval(List<ChangeSummary> refused) {
      super("the change removes too many rendered workloads");
      this.refused = refused;
    }
  }

  private final RemovalGuardOptions removal;

  ReconcileRenderer(RenderOptions options, boolean strict, RemovalGuardOptions removal) {
    this.options = options;
    this.strict = strict;
    this.removal = removal;
  }

  @Override
  public RenderedChange render(Checkout checkout) throws Exception {
    StringWriter diagnostics = new StringWriter();
    lastDiagnostics = diagnostics;
    last = null;
    lastSummaries = List.of();
    PrintWriter err = new PrintWriter(diagnostics, true);
    Map<String, Map<String, byte[]>> previous = new HashMap<>();
    Path dir = checkout.workTree().toAbsolutePath().normalize();
    ConfigRepo inputs = RepoRender.read(dir, options, err);
    String fingerprint = InputFingerprint.of(inputs);
    List<Trailer> recorded = renderedFrom(checkout, inputs, fingerprint);
    // A rollout still moving workloads renders even with unchanged inputs: its next wave may be
    // due.
    if (recorded != null && !rolloutInProgress(checkout, dir, inputs)) {
      inputsUnchanged = true;
      recordedViolations =
          recorded.stream().filter(t -> t.key().equals(VIOLATION)).map(Trailer::value).toList();
      return new RenderedChange(List.of(), "inputs unchanged", List.of());
    }
    recordedViolations = List.of();
    inputsUnchanged = false;
    RepoRender r =
        RepoRender.render(
            dir,
            inputs,
            options,
            err,
            (d, target) -> {
              Map<String, byte[]> files = previousOutput(checkout, dir, target);
              previous.put(target.name(), files);
              return files;
            });
    last = r;
    if (strict && r.result.hasErrors()) {
      throw new StrictViolations();
    }
    List<Output> outputs = new ArrayList<>();
    // Targets sharing a rendered branch (in different folders) become one tree on that branch.
    Map<String, SortedMap<String, byte[]>> branches = new LinkedHashMap<>();
    List<ChangeSummary> summaries = new ArrayList<>();
    SortedSet<String> applied = new TreeSet<>();
    for (TargetRender t : r.result.targets()) {
      Target target = t.target();
      summaries.add(ChangeSummary.of(t, previous.getOrDefault(target.name(), Map.of())));
      if (target.branch().isPresent()) {
        SortedMap<String, byte[]> tree =
            branches.computeIfAbsent(target.branch().get(), b -> new TreeMap<>());
        t.files().forEach((path, bytes) -> tree.put(prefix(target.output()) + path, bytes));
      } else {
        outputs.add(new Output.Folder(target.output(), t.files()));
      }
      for (WorkloadReport w : t.workloads()) {
        w.revisions().forEach((policy, revision) -> applied.add(policy + "@" + revision));
      }
    }
    for (Map.Entry<String, SortedMap<String, byte[]>> b : branches.entrySet()) {
      SortedMap<String, byte[]> tree = b.getValue();
      // Keep what other folders of the branch hold (a target not selected with --target, a README).
      checkout
          .readBranch(b.getKey())
          .ifPresent(
              old ->
                  old.forEach(
                      (path, bytes) -> {
                        if (!ownedByRenderedTarget(path, b.getKey(), r)) {
                          tree.putIfAbsent(path, bytes);
                        }
                      }));
      outputs.add(new Output.Branch(b.getKey(), tree));
    }
    List<ChangeSummary> refused = removal.refused(summaries);
    if (!refused.isEmpty()) {
      lastSummaries = List.copyOf(summaries);
      throw new MassRemoval(refused);
    }
    List<Trailer> trailers = new ArrayList<>();
    // The fingerprint lets the next run with the same inputs skip rendering; the violations
    // recorded beside it let that run still report them (and exit 1) without rendering.
    trailers.add(new Trailer(InputFingerprint.TRAILER, fingerprint));
    // Rules write violation messages: one holding a secret must not reach the commit.
    List<String> violations =
        r.result.violations().stream().map(v -> options.redactor.redact(v.describe())).toList();
    violations.stream()
        .limit(MAX_RECORDED_VIOLATIONS)
        .forEach(v -> trailers.add(new Trailer(VIOLATION, v)));
    if (violations.size() > MAX_RECORDED_VIOLATIONS) {
      trailers.add(
          new Trailer(
              VIOLATION,
              "... and "
                  + (violations.size() - MAX_RECORDED_VIOLATIONS)
                  + " more: run convoy validate"));
    }
    WaveReport.lines(r.result)
        .forEach(
            line ->
                trailers.add(
                    new Trailer(
                        WAVE, options.redactor.redact(line.substring("upgrade ".length())))));
    for (String a : applied) {
      int at = a.lastIndexOf('@');
      trailers.add(Trailer.policy(a.substring(0, at), a.substring(at + 1)));
    }
    lastSummaries = List.copyOf(summaries);
    return new RenderedChange(
        outputs, options.redactor.redact(ChangeSummary.line(summaries)), trailers);
  }

  /**
   * True when the tip of every branch this run writes carries the same input fingerprint: the last
   * clean render saw exactly these inputs, so rendering again cannot change the output.
   */
  private static List<Trailer> renderedFrom(
      Checkout checkout, ConfigRepo inputs, String fingerprint) throws IOException {
    SortedSet<String> branches = new TreeSet<>();
    for (Target t : inputs.config().targets()) {
      branches.add(t.branch().orElse(checkout.branch()));
    }
    List<Trailer> first = null;
    for (String branch : branches) {
      List<Trailer> trailers = checkout.tipTrailers(branch);
      boolean same =
          trailers.stream()
              .anyMatch(
                  t -> t.key().equals(InputFingerprint.TRAILER) && t.value().equals(fingerprint));
      if (!same) {
        return null;
      }
      first = first == null ? trailers : first;
    }
    return first;
  }

  /** Whether some target's recorded rollout state still has workloads to move. */
  private static boolean rolloutInProgress(Checkout checkout, Path dir, ConfigRepo inputs)
      throws IOException {
    for (Target t : inputs.config().targets()) {
      byte[] state;
      if (t.branch().isEmpty()) {
        // Only the state file: reading the whole folder is what skipping saves at fleet scale.
        Path file = dir.resolve(t.output()).resolve(RolloutState.FILE);
        // Never through a symlink: a committed link must not make reconcile read the bot's files.
        state =
            Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? Files.readAllBytes(file)
                : null;
      } else {
        state = previousOutput(checkout, dir, t).get(RolloutState.FILE);
      }
      if (state != null && RolloutState.of(Map.of(RolloutState.FILE, state)).inProgress()) {
        return true;
      }
    }
    return false;
  }

  /** The violations the last render recorded, when this attempt skipped rendering. */
  List<String> recordedViolations() {
    return recordedViolations;
  }

  /** Whether the last attempt skipped rendering because the inputs were unchanged. */
  boolean inputsUnchanged() {
    return inputsUnchanged;
  }

  /** The last attempt's render; null when it failed before rendering. */
  RepoRender lastRender() {
    return last;
  }

  /** What changed per target in the last attempt. */
  List<ChangeSummary> lastSummaries() {
    return lastSummaries;
  }

  /** What the last attempt printed: rules loaded, timings, input errors. */
  String lastDiagnostics() {
    return lastDiagnostics.toString();
  }

  /**
   * The target's output as committed: its folder in the checkout, or its folder within its own
   * rendered branch (empty when the branch does not exist yet).
   */
  private static Map<String, byte[]> previousOutput(Checkout checkout, Path dir, Target target)
      throws IOException {
    if (target.branch().isEmpty()) {
      return new OutputFolder(dir.resolve(target.output())).read();
    }
    String prefix = prefix(target.output());
    SortedMap<String, byte[]> files = new TreeMap<>();
    checkout
        .readBranch(target.branch().get())
        .ifPresent(
            all ->
                all.forEach(
                    (path, bytes) -> {
                      if (path.startsWith(prefix)) {
                        files.put(path.substring(prefix.length()), bytes);
                      }
                    }));
    return files;
  }

  private static boolean ownedByRenderedTarget(String path, String branch, RepoRender r) {
    for (TargetRender t : r.result.targets()) {
      if (t.target().branch().filter(branch::equals).isPresent()) {
        String prefix = prefix(t.target().output());
        if (prefix.isEmpty() || path.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String prefix(String output) {
    String o = output.replaceAll("^/+|/+$", "");
    return o.isEmpty() ? "" : o + "/";
  }
}

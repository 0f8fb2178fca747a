package dev.convoy.cli;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.RenderRun;
import dev.convoy.engine.TargetRender;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.input.Sha256;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.load.OutputPaths;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.output.OutputFolder;
import dev.convoy.rules.DroolsPolicyRules;
import dev.convoy.rules.RuleCompileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The shared wiring of render, diff and validate: read, load, compile rules, render. */
final class RepoRender {
  final Path dir;
  final LoadedRepo repo;
  final RenderResult result;

  /** {@code target/policy: words} of each gate that could not be asked; the rollout holds. */
  final List<String> unaskedGates;

  private RepoRender(Path dir, LoadedRepo repo, RenderResult result, List<String> unaskedGates) {
    this.dir = dir;
    this.repo = repo;
    this.result = result;
    this.unaskedGates = List.copyOf(unaskedGates);
  }

  /**
   * With {@code --fail-on-unreachable-gate}: names each gate that could not be asked and returns
   * true, for the caller to exit 3 after writing or committing the held rollout as usual.
   */
  static boolean failOnUnaskedGates(RenderOptions options, RepoRender r, PrintWriter err) {
    if (!options.failOnUnreachableGate || r.unaskedGates.isEmpty()) {
      return false;
    }
    for (String gate : r.unaskedGates) {
      err.println("error: gate " + gate);
    }
    err.println("the rollout holds until the gate answers; exit 3 (--fail-on-unreachable-gate)");
    err.flush();
    return true;
  }

  /** Where a target's previous output comes from: its folder on disk, or a rendered branch. */
  @FunctionalInterface
  interface PreviousOutput {
    Map<String, byte[]> of(Path dir, Target target) throws IOException;
  }

  /**
   * Renders the repo in memory; explains bad input on {@code err} and throws {@link
   * ErrorReport.Reported}.
   */
  static RepoRender run(RepoOptions options, PrintWriter err) throws RuleCompileException {
    try {
      return run(options.dir, options, err, (dir, t) -> new OutputFolder(outputDir(dir, t)).read());
    } catch (IOException e) {
      // Unreachable in practice: OutputFolder.read reports I/O errors unchecked itself.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Renders the config repo in {@code dir}; each target's previous output (what workloads with
   * violations keep) comes from {@code previous}.
   */
  static RepoRender run(Path dir, RenderOptions options, PrintWriter err, PreviousOutput previous)
      throws RuleCompileException, IOException {
    dir = dir.toAbsolutePath().normalize();
    return render(dir, read(dir, options, err), options, err, previous);
  }

  /**
   * Reads the config repo's inputs with the selected targets; explains bad input and throws. First
   * of all it finishes any output swap a killed run left half done, so every command starts from
   * whole output folders.
   */
  static ConfigRepo read(Path dir, RenderOptions options, PrintWriter err) {
    try {
      ConfigRepo raw = ConfigRepo.read(dir);
      recoverOutputs(dir, raw.config());
      raw = raw.withConfig(selectTargets(raw.config(), options.targets, err));
      // kustomize and Helm sources are built first; the loader then reads what they printed.
      long t0 = System.nanoTime();
      List<String> warnings = new java.util.ArrayList<>();
      ConfigRepo built = SourceBuilds.run(dir, raw, options.kustomize.command, warnings);
      if (built != raw) {
        timing(options, err, "build", t0);
      }
      warnings.forEach(w -> err.println("warning: " + w));
      return built;
    } catch (BadInputException e) {
      ErrorReport.print(err, dir, e.errors());
      throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
    }
  }

  /**
   * Loads, compiles the rules and renders inputs read by {@link #read}: all targets at once, or,
   * when targets read different sources (their own {@code sources:}, a chart rendered per
   * Kubernetes version), each group of targets that reads the same files on its own.
   */
  static RepoRender render(
      Path dir, ConfigRepo raw, RenderOptions options, PrintWriter err, PreviousOutput previous)
      throws RuleCompileException, IOException {
    Map<List<Target>, ConfigRepo> groups = raw.byInputs();
    if (groups.size() == 1) {
      return renderGroup(dir, groups.values().iterator().next(), options, err, previous, raw);
    }
    List<RepoRender> parts = new java.util.ArrayList<>();
    for (ConfigRepo group : groups.values()) {
      parts.add(renderGroup(dir, group, options, err, previous, raw));
    }
    return merge(dir, raw, parts);
  }

  /** One render of groups rendered apart: targets in convoy.yaml's order. */
  private static RepoRender merge(Path dir, ConfigRepo raw, List<RepoRender> parts) {
    RenderResult merged =
        RenderResult.merge(parts.stream().map(p -> p.result).toList(), raw.config().targets());
    return new RepoRender(
        dir,
        parts.get(0).repo,
        merged,
        parts.stream().flatMap(p -> p.unaskedGates.stream()).toList());
  }

  private static RepoRender renderGroup(
      Path dir,
      ConfigRepo raw,
      RenderOptions options,
      PrintWriter err,
      PreviousOutput previous,
      ConfigRepo all)
      throws RuleCompileException, IOException {
    long t0 = System.nanoTime();
    // The rules compile on their own thread while the sources load: the rule files are known
    // once the repo is read, and compiling them costs most of a second in a fresh JVM.
    DroolsPolicyRules.Builder builder = DroolsPolicyRules.builder();
    for (InputFile f : raw.rules()) {
      builder.addRuleFile(f.path(), f.bytes());
    }
    if (options.fireLimit != null) {
      builder.setFireLimit(options.fireLimit);
    }
    builder.setTimeout(options.ruleTimeout(raw.config()));
    ExitGuard.ruleFiles(raw.rules().stream().map(InputFile::path).toList());
    // Hundreds of thousands of RuleFiring records at fleet scale, read only by explain.
    builder.setRecordFirings(options.recordFirings);
    DroolsPolicyRules.Compiling compiling = builder.buildInBackground();
    LoadedRepo repo;
    try {
      repo = RepoLoader.load(raw);
    } catch (BadInputException e) {
      ErrorReport.print(err, dir, BuiltOrigins.of(all).name(e.errors()));
      throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
    }
    for (String warning : dev.convoy.engine.load.Deployers.find(repo)) {
      err.println("warning: " + warning);
    }
    timing(options, err, "load", t0);
    progress(
        options,
        err,
        String.format(
            "load: %d workloads, %d policies, %d rule files from %d files",
            repo.workloads().size(),
            repo.policies().size(),
            repo.ruleFiles().size(),
            raw.sources().size() + raw.policies().size() + raw.rules().size()));
    long t1 = System.nanoTime();
    for (InputFile f : repo.ruleFiles()) {
      err.println("rules: loaded " + f.path() + " sha256:" + sha256(f.bytes()));
    }
    DroolsPolicyRules rules = compiling.get(); // what compiling has left once the load is done
    timing(options, err, "compile-rules", t1);
    int workloads = repo.workloads().size() * repo.config().targets().size();
    if (workloads > RenderRun.DEFAULT_FLEET_PART_SIZE) {
      // At fleet scale it matters where the memory goes: say why the fleet is not in parts.
      rules
          .ruleAcrossWorkloads()
          .ifPresent(
              rule ->
                  err.println(
                      "rules: "
                          + rule
                          + " may join facts of two workloads, so all "
                          + workloads
                          + " workloads are decided in one rule session (rules that keep to one"
                          + " workload let Convoy decide "
                          + RenderRun.DEFAULT_FLEET_PART_SIZE
                          + " at a time; see rules/README.md)"));
    }
    RenderRun run =
        RenderRun.of(repo)
            .setRules(rules)
            .setNow(options.now)
            .setAdvanceWaves(options.advanceWaves)
            .setListener(
                (phase, took) -> {
                  phaseDone(options, err, phase, took);
                  progress(
                      options,
                      err,
                      String.format(
                          "%s: %d workloads x %d targets (%d ms)",
                          phase,
                          repo.workloads().size(),
                          repo.config().targets().size(),
                          took.toMillis()));
                });
    Gates gates = new Gates(dir, repo, options.now != null ? options.now : Instant.now());
    for (Target t : repo.config().targets()) {
      Map<String, byte[]> files = previous.of(dir, t);
      run.setPreviousOutput(t.name(), files);
      if (options.advanceWaves) {
        gates.evaluate(t, files, run, err);
      }
    }
    RenderResult result = run.call();
    refuseSecrets(dir, result, options.redactor, err);
    return new RepoRender(dir, repo, result, gates.unasked());
  }

  /**
   * Stops the run when a rendered file holds a value Convoy knows to be secret: it would be written
   * or pushed in the clear. Names the file and where the secret came from, never the value.
   */
  private static void refuseSecrets(
      Path dir, RenderResult result, Redactor redactor, PrintWriter err) {
    if (redactor.isEmpty()) {
      return;
    }
    boolean found = false;
    for (TargetRender target : result.targets()) {
      String prefix = OutputPaths.localFolder(target.target()) + "/";
      for (Map.Entry<String, byte[]> file : target.files().entrySet()) {
        var origin = redactor.originIn(file.getValue());
        if (origin.isPresent()) {
          err.println(
              "error: "
                  + prefix
                  + file.getKey()
                  + ": the rendered file holds a secret value ("
                  + origin.get()
                  + "); nothing written or pushed");
          found = true;
        }
      }
    }
    if (found) {
      err.println(
          "hint: remove the value from the source it is rendered from; secrets belong in"
              + " Kubernetes Secrets created outside Convoy");
      err.flush();
      throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
    }
  }

  /** Where a target renders locally: its output folder, or rendered/NAME for a branch target. */
  static Path outputDir(Path dir, Target t) {
    return dir.resolve(OutputPaths.localFolder(t));
  }

  /** Puts back output folders a run killed mid-swap left missing, and removes its leftovers. */
  static void recoverOutputs(Path dir, ConvoyConfig config) {
    for (Target t : config.targets()) {
      new OutputFolder(outputDir(dir, t)).recover();
    }
  }

  static ConvoyConfig selectTargets(ConvoyConfig config, List<String> names, PrintWriter err)
      throws BadInputException {
    if (names.isEmpty()) {
      return config;
    }
    List<String> known = config.targets().stream().map(Target::name).toList();
    for (String n : names) {
      if (!known.contains(n)) {
        throw new BadInputException(
            new dev.convoy.engine.input.InputError(
                ConvoyConfig.FILE_NAME,
                0,
                0,
                null,
                "no target named '" + n + "' (targets: " + String.join(", ", known) + ")"));
      }
    }
    return config.withTargets(
        config.targets().stream().filter(t -> names.contains(t.name())).toList());
  }

  static void timing(RenderOptions options, PrintWriter err, String phase, long since) {
    phaseDone(options, err, phase, Duration.ofNanos(System.nanoTime() - since));
  }

  /** A phase finished: --timings prints it, metrics record it. */
  static void phaseDone(RenderOptions options, PrintWriter err, String phase, Duration took) {
    if (options.metrics != null) {
      options.metrics.phase(phase, took);
    }
    if (options.timings) {
      LogWriter.timing(err, phase, took);
    }
  }

  /** A progress line, shown on a terminal only (see {@link LogWriter#progress}). */
  static void progress(RenderOptions options, PrintWriter err, String message) {
    LogWriter.progress(options.progress != null ? options.progress : err, message);
  }

  /** A folder as users think of it: relative to the repo when inside it, absolute otherwise. */
  static String display(Path repo, Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    return abs.startsWith(repo) ? repo.relativize(abs).toString() : abs.toString();
  }

  /** The short content hash printed for rule files and used in work-folder names. */
  static String sha256(byte[] bytes) {
    return Sha256.hex(bytes).substring(0, 16);
  }
}

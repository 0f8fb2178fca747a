package dev.convoy.cli;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.RenderRun;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.input.Sha256;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.LoadedRepo;
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
import java.util.List;
import java.util.Map;

/** The shared wiring of render, diff and validate: read, load, compile rules, render. */
final class RepoRender {
  final Path dir;
  final LoadedRepo repo;
  final RenderResult result;

  private RepoRender(Path dir, LoadedRepo repo, RenderResult result) {
    this.dir = dir;
    this.repo = repo;
    this.result = result;
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

  /** Reads the config repo's inputs with the selected targets; explains bad input and throws. */
  static ConfigRepo read(Path dir, RenderOptions options, PrintWriter err) {
    try {
      ConfigRepo raw = ConfigRepo.read(dir);
      return new ConfigRepo(
          selectTargets(raw.config(), options.targets, err),
          raw.sources(),
          raw.policies(),
          raw.rules());
    } catch (BadInputException e) {
      ErrorReport.print(err, dir, e.errors());
      throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
    }
  }

  /** Loads, compiles the rules and renders inputs read by {@link #read}. */
  static RepoRender render(
      Path dir, ConfigRepo raw, RenderOptions options, PrintWriter err, PreviousOutput previous)
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
    // Hundreds of thousands of RuleFiring records at fleet scale, read only by explain.
    builder.setRecordFirings(options.recordFirings);
    DroolsPolicyRules.Compiling compiling = builder.buildInBackground();
    LoadedRepo repo;
    try {
      repo = RepoLoader.load(raw);
    } catch (BadInputException e) {
      ErrorReport.print(err, dir, e.errors());
      throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
    }
    timing(options, err, "load", t0);
    long t1 = System.nanoTime();
    for (InputFile f : repo.ruleFiles()) {
      err.println("rules: loaded " + f.path() + " sha256:" + sha256(f.bytes()));
    }
    DroolsPolicyRules rules = compiling.get(); // what compiling has left once the load is done
    timing(options, err, "compile-rules", t1);
    RenderRun run =
        RenderRun.of(repo)
            .setRules(rules)
            .setNow(options.now)
            .setListener(
                (phase, took) -> {
                  if (options.timings) {
                    err.printf("timing: %-14s %6d ms%n", phase, took.toMillis());
                  }
                });
    for (Target t : repo.config().targets()) {
      run.setPreviousOutput(t.name(), previous.of(dir, t));
    }
    RenderResult result = run.call();
    return new RepoRender(dir, repo, result);
  }

  /** Where a target renders locally: its output folder, or rendered/NAME for a branch target. */
  static Path outputDir(Path dir, Target t) {
    return dir.resolve(t.output().isEmpty() ? "rendered/" + t.name() : t.output());
  }

  private static ConvoyConfig selectTargets(
      ConvoyConfig config, List<String> names, PrintWriter err) throws BadInputException {
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
    return new ConvoyConfig(
        config.sources(),
        config.policies(),
        config.rules(),
        config.targets().stream().filter(t -> names.contains(t.name())).toList(),
        config.commit());
  }

  static void timing(RenderOptions options, PrintWriter err, String phase, long since) {
    if (options.timings) {
      err.printf(
          "timing: %-14s %6d ms%n", phase, Duration.ofNanos(System.nanoTime() - since).toMillis());
    }
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

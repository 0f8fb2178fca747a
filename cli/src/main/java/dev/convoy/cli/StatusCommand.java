package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.engine.upgrade.RolloutStatus;
import dev.convoy.git.Commit;
import dev.convoy.git.CommitReader;
import dev.convoy.git.Credentials;
import dev.convoy.git.GitSync;
import dev.convoy.git.GitSyncException;
import dev.convoy.git.InvalidConfigurationException;
import dev.convoy.git.Trailer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code convoy status}: where each upgrade rollout stands. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Show where each upgrade rollout stands, per target and policy.",
    description =
        "Prints the revision each rollout moves to, waves done, when the last wave moved, when"
            + " the next is due, and how many workloads are held and why (paused, partition,"
            + " minWaveInterval, waiting for their turn in upgrade order). Read from each"
            + " target's .convoy/rollout.yaml and the Convoy-Wave trailers of the commits"
            + " reconcile made; nothing is rendered or written. With --repo, the remote is read"
            + " into memory (no work folder, no checkout).",
    footer = {
      "%nExamples:",
      "  convoy status",
      "  convoy status --repo https://git.example.com/platform/config.git -o json",
      ExitCodes.HELP
    })
final class StatusCommand implements Callable<Integer> {
  /** Output formats of {@code --output}. */
  enum Format {
    text,
    json
  }

  /** How far back the trailers of the last wave are looked for. */
  static final int HISTORY = 1000;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "The config repo folder (ignored with --repo). Default: the current folder.")
  Path dir;

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "Read the remote instead: file://, a local path, git://, http(s):// or ssh://.")
  String repo;

  @Option(
      names = "--branch",
      paramLabel = "NAME",
      defaultValue = "main",
      description = "With --repo: the source branch. Default: ${DEFAULT-VALUE}.")
  String branch;

  @Mixin GitCredentialOptions credentials;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "NAME",
      split = ",",
      description = "Only these targets (repeatable or comma-separated). Default: every target.")
  List<String> targets = List.of();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json.")
  Format output;

  @Option(
      names = "--now",
      paramLabel = "INSTANT",
      description = "The time to tell due waves by. Default: the clock.")
  Instant now;

  @Option(
      names = "--git-timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "With --repo: network timeout. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  @Option(names = "--stacktrace", description = "Print stack traces of errors.")
  boolean stacktrace;

  @Spec CommandSpec spec;

  /** Where credential variables are read from; tests replace it. */
  Map<String, String> environment = System.getenv();

  /** The inputs of one run: the config, and per target its state and the last wave's lines. */
  private record Source(
      ConvoyConfig config,
      List<SidecarPolicy> policies,
      Map<String, RolloutState> states,
      Map<String, List<WaveReport.Line>> waves) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GitEnvironment.isolate();
    Source source;
    try {
      Credentials creds = Credentials.none();
      if (repo != null) {
        try {
          creds = credentials.resolve(environment, err);
        } catch (GitCredentialOptions.Invalid e) {
          err.println("error: " + e.getMessage());
          err.flush();
          return ExitCodes.BAD_INPUT;
        }
      }
      source = repo != null ? remote(creds) : local(err);
    } catch (BadInputException e) {
      ErrorReport.print(err, repo != null ? null : dir, e.errors());
      return ExitCodes.BAD_INPUT;
    } catch (GitSyncException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return e instanceof InvalidConfigurationException
          ? ExitCodes.BAD_INPUT
          : ExitCodes.GIT_FAILURE;
    }
    Instant at = now != null ? now : Instant.now();
    Map<String, SidecarPolicy> byName = new HashMap<>();
    source.policies().forEach(p -> byName.put(p.name(), p));
    List<RolloutStatus> statuses = new ArrayList<>();
    for (Target t : source.config().targets()) {
      RolloutState state = source.states().getOrDefault(t.name(), RolloutState.EMPTY);
      List<WaveReport.Line> lines = source.waves().getOrDefault(t.name(), List.of());
      state
          .policies()
          .forEach(
              (policy, rollout) -> {
                SidecarPolicy p = byName.get(policy);
                Map<String, Integer> recorded =
                    lines.stream()
                        .filter(
                            l ->
                                l.policy().equals(policy)
                                    && l.revision().equals(rollout.revision()))
                        .findFirst()
                        .map(WaveReport.Line::heldBy)
                        .orElse(null);
                statuses.add(
                    RolloutStatus.of(
                        t.name(), policy, rollout, p == null ? null : p.update(), recorded, at));
              });
    }
    if (output == Format.json) {
      out.println(json(statuses, at));
    } else {
      text(statuses, at, out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** From a folder: state files on disk (rendered branches from its git repository). */
  private Source local(PrintWriter err) throws BadInputException, GitSyncException {
    Path root = dir.toAbsolutePath().normalize();
    ConfigRepo raw = ConfigRepo.read(root);
    ConvoyConfig config = RepoRender.selectTargets(raw.config(), targets, err);
    List<SidecarPolicy> policies =
        RepoLoader.load(new ConfigRepo(config, List.of(), raw.policies(), List.of())).policies();
    Map<String, RolloutState> states = new LinkedHashMap<>();
    Map<String, List<WaveReport.Line>> waves = new LinkedHashMap<>();
    CommitReader git = null;
    try {
      try {
        git = CommitReader.open(root);
      } catch (GitSyncException e) {
        // Not in a git repository: the state files alone, without the waves' reasons.
      }
      for (Target t : config.targets()) {
        if (t.branch().isEmpty()) {
          Path file = RepoRender.outputDir(root, t).resolve(RolloutState.FILE);
          states.put(t.name(), state(Files.isRegularFile(file) ? read(file) : null));
          if (git != null) {
            try {
              waves.put(t.name(), lastWaves(git, git.resolve("HEAD"), t.name()));
            } catch (GitSyncException e) {
              // A repository without commits: nothing recorded yet.
            }
          }
        } else if (git != null) {
          Optional<Commit> tip = git.branch(t.branch().get());
          if (tip.isPresent()) {
            states.put(t.name(), branchState(git, tip.get(), t));
            waves.put(t.name(), lastWaves(git, tip.get(), t.name()));
          }
        }
      }
    } finally {
      if (git != null) {
        git.close();
      }
    }
    return new Source(config, policies, states, waves);
  }

  /** From a remote, fetched into memory. */
  private Source remote(Credentials creds) throws BadInputException, GitSyncException {
    try (CommitReader git =
        GitSync.readRemote()
            .setUri(repo)
            .setCredentials(creds)
            .setTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds)))
            .call()) {
      Commit tip =
          git.branch(branch)
              .orElseThrow(
                  () ->
                      new BadInputException(
                          new InputError(
                              ConvoyConfig.FILE_NAME,
                              0,
                              0,
                              null,
                              "no branch " + branch + " in " + RemoteUrls.withoutUserInfo(repo))));
      CommitRepo source = CommitRepo.read(git, tip, targets, false);
      ConvoyConfig config = source.inputs().config();
      List<SidecarPolicy> policies =
          RepoLoader.load(new ConfigRepo(config, List.of(), source.inputs().policies(), List.of()))
              .policies();
      Map<String, RolloutState> states = new LinkedHashMap<>();
      Map<String, List<WaveReport.Line>> waves = new LinkedHashMap<>();
      for (Target t : config.targets()) {
        if (t.branch().isEmpty()) {
          byte[] bytes =
              git.files(tip, List.of(folder(t.output()) + RolloutState.FILE))
                  .files()
                  .get(folder(t.output()) + RolloutState.FILE);
          states.put(t.name(), state(bytes));
          waves.put(t.name(), lastWaves(git, tip, t.name()));
        } else {
          Optional<Commit> rendered = git.branch(t.branch().get());
          if (rendered.isPresent()) {
            states.put(t.name(), branchState(git, rendered.get(), t));
            waves.put(t.name(), lastWaves(git, rendered.get(), t.name()));
          }
        }
      }
      return new Source(config, policies, states, waves);
    }
  }

  private static RolloutState branchState(CommitReader git, Commit tip, Target t)
      throws GitSyncException {
    String path = folder(t.output()) + RolloutState.FILE;
    return state(git.filesFromRoot(tip, List.of(path)).files().get(path));
  }

  /**
   * The {@code Convoy-Wave} lines of the newest commit that has any for {@code target}: what the
   * last reconcile that planned a wave there recorded.
   */
  private static List<WaveReport.Line> lastWaves(CommitReader git, Commit tip, String target)
      throws GitSyncException {
    for (Commit c : git.history(tip, HISTORY)) {
      List<WaveReport.Line> lines = new ArrayList<>();
      for (Trailer t : c.trailers()) {
        if (t.key().equals(ReconcileRenderer.WAVE)) {
          WaveReport.parse(t.value()).filter(l -> l.target().equals(target)).ifPresent(lines::add);
        }
      }
      if (!lines.isEmpty()) {
        return lines;
      }
    }
    return List.of();
  }

  private static RolloutState state(byte[] bytes) {
    return bytes == null ? RolloutState.EMPTY : RolloutState.of(Map.of(RolloutState.FILE, bytes));
  }

  private static byte[] read(Path file) throws BadInputException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadInputException(
          new InputError(file.toString(), 0, 0, null, "cannot read: " + e.getMessage()));
    }
  }

  private static String folder(String output) {
    String o = output.replaceAll("^(\\./)+", "").replaceAll("^/+|/+$", "");
    return o.isEmpty() ? "" : o + "/";
  }

  private static void text(List<RolloutStatus> statuses, Instant now, PrintWriter out) {
    if (statuses.isEmpty()) {
      out.println(
          "no rollouts recorded (no target has a .convoy/rollout.yaml yet: run convoy render or reconcile)");
      return;
    }
    String[] header = {
      "TARGET", "POLICY", "REVISION", "PHASE", "WAVES", "LAST WAVE", "NEXT WAVE", "HELD"
    };
    List<String[]> rows = new ArrayList<>();
    for (RolloutStatus s : statuses) {
      rows.add(
          new String[] {
            s.target(),
            s.policy(),
            s.revision(),
            phase(s),
            String.valueOf(s.wave()),
            s.lastWave() == null ? "-" : s.lastWave().toString(),
            next(s, now),
            String.valueOf(s.held())
          });
    }
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
      for (String[] r : rows) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    out.println(row(header, width));
    for (int i = 0; i < rows.size(); i++) {
      out.println(row(rows.get(i), width));
      for (RolloutStatus.Held h : statuses.get(i).heldBy()) {
        out.printf(
            "    %d held (%s): %s%n",
            h.count(), h.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'), h.detail());
      }
      RolloutStatus st = statuses.get(i);
      if (st.gate() != null) {
        out.println("    gate: " + st.gate());
        if (st.lastGate() != null) {
          out.println(
              "    last evaluation: "
                  + (st.lastGate().healthy() ? "passed" : "failed")
                  + (st.lastGate().at() == null ? "" : " at " + st.lastGate().at())
                  + ": "
                  + st.lastGate().words());
        }
      }
      if (st.perGroup() != null) {
        out.println("    budget per group: " + st.perGroup());
      }
      if (st.nextWindow() != null) {
        out.println("    next window: " + st.nextWindow());
      }
    }
  }

  private static String row(String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      sb.append(i == 0 ? "" : "  ")
          .append(i == cells.length - 1 ? cells[i] : pad(cells[i], width[i]));
    }
    return sb.toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  private static String phase(RolloutStatus s) {
    return s.phase().name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String next(RolloutStatus s, Instant now) {
    return switch (s.phase()) {
      case COMPLETE, ROLLED_BACK -> "-";
      case PAUSED -> "paused";
      case ON_DELETE -> "on delete";
      case POLICY_REMOVED -> "-";
      case ROLLING, ROLLING_BACK ->
          s.nextWaveDue() == null || !now.isBefore(s.nextWaveDue())
              ? "due now"
              : s.nextWaveDue().toString();
    };
  }

  private static String json(List<RolloutStatus> statuses, Instant now) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("apiVersion", ReviewJson.API_VERSION);
    root.put("kind", "RolloutStatusList");
    root.put("now", now.toString());
    List<Object> items = new ArrayList<>();
    for (RolloutStatus s : statuses) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target", s.target());
      m.put("policy", s.policy());
      m.put("revision", s.revision());
      m.put("phase", phase(s));
      m.put("wave", s.wave());
      m.put("lastWave", s.lastWave() == null ? null : s.lastWave().toString());
      m.put("nextWaveDue", s.nextWaveDue() == null ? null : s.nextWaveDue().toString());
      m.put(
          "due",
          (s.phase() == RolloutStatus.Phase.ROLLING
                  || s.phase() == RolloutStatus.Phase.ROLLING_BACK)
              && (s.nextWaveDue() == null || !now.isBefore(s.nextWaveDue())));
      m.put("held", s.held());
      List<Object> held = new ArrayList<>();
      for (RolloutStatus.Held h : s.heldBy()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("reason", h.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        x.put("count", h.count());
        x.put("detail", h.detail());
        held.add(x);
      }
      m.put("heldBy", held);
      m.put("olderRevisions", List.copyOf(s.olderRevisions()));
      if (s.gate() != null) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("gate", s.gate());
        if (s.lastGate() != null) {
          g.put("healthy", s.lastGate().healthy());
          g.put("words", s.lastGate().words());
          g.put("at", s.lastGate().at() == null ? null : s.lastGate().at().toString());
          g.put("query", s.lastGate().query());
          g.put("value", s.lastGate().value());
        }
        m.put("gate", g);
      }
      if (s.perGroup() != null) {
        m.put("perGroup", s.perGroup());
      }
      if (s.nextWindow() != null) {
        m.put("nextWindow", s.nextWindow().toString());
      }
      items.add(m);
    }
    root.put("rollouts", items);
    return JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build()
        .writeValueAsString(root);
  }
}

package dev.convoy.engine;

import dev.convoy.engine.decide.PolicyRules;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.upgrade.GateAnswer;
import dev.convoy.engine.upgrade.WaveRun;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders every target of a loaded config repo, in four steps: {@link BuildFacts} (what the rules
 * read), {@link Decide} (a rule session per part of the fleet: injections, edges, violations, the
 * upgrade wave), {@link RenderTargets} (each workload's start order rendered for its target's
 * sidecar mode) and {@link WriteTarget} (the output files and rollout state). A pure function of
 * the repo, the rules, the previous output and the time: no I/O.
 *
 * <pre>{@code
 * RenderResult result = RenderRun.of(repo).setRules(rules).setPreviousOutput("prod", files).call();
 * }</pre>
 */
public final class RenderRun {
  private final LoadedRepo repo;
  private PolicyRules rules;
  private final Map<String, Map<String, byte[]>> previousOutput = new HashMap<>();
  private RenderListener listener = RenderListener.NONE;
  private Instant now;
  private boolean advanceWaves = true;
  private final Map<String, GateAnswer> gates = new HashMap<>();
  private int partSize = DEFAULT_FLEET_PART_SIZE;

  /** Workloads per rule session by default, when the rules allow parts. */
  public static final int DEFAULT_FLEET_PART_SIZE = FleetPart.SIZE;

  private RenderRun(LoadedRepo repo) {
    this.repo = repo;
  }

  public static RenderRun of(LoadedRepo repo) {
    return new RenderRun(repo);
  }

  public RenderRun setRules(PolicyRules rules) {
    this.rules = rules;
    return this;
  }

  /**
   * The files a target rendered last time (relative to its output folder). A workload with errors
   * keeps its document from there; without it, its source document is passed through.
   */
  public RenderRun setPreviousOutput(String target, Map<String, byte[]> files) {
    previousOutput.put(target, files);
    return this;
  }

  /**
   * The time upgrade waves are planned at ({@code minWaveInterval}); the clock when not set.
   * Callers that must reproduce a run pass the time it ran at.
   */
  public RenderRun setNow(Instant now) {
    this.now = now;
    return this;
  }

  /**
   * Whether this run may move a wave (default true). A run that does not own the clock (a local
   * render, a review) renders every rollout as it stands and says what the next wave would move.
   */
  public RenderRun setAdvanceWaves(boolean advanceWaves) {
    this.advanceWaves = advanceWaves;
    return this;
  }

  /**
   * What a policy's gate answered for a target's moved workloads, evaluated by the caller before
   * this run (the engine runs no gate). A gated rollout without an answer holds.
   */
  public RenderRun setGateAnswer(String target, String policy, GateAnswer answer) {
    gates.put(WaveRun.key(target, policy), answer);
    return this;
  }

  /**
   * Workloads per rule session (default 2,000) when no rule joins facts of two workloads: a run
   * holds one part's rule memory at a time, and the result is the same for any size. For tests and
   * measurements.
   */
  public RenderRun setFleetPartSize(int workloads) {
    if (workloads < 1) {
      throw new IllegalArgumentException("a part holds at least one workload: " + workloads);
    }
    this.partSize = workloads;
    return this;
  }

  public RenderRun setListener(RenderListener listener) {
    this.listener = listener;
    return this;
  }

  public RenderResult call() {
    if (rules == null) {
      throw new IllegalStateException("setRules(..) first");
    }
    Instant runAt = now != null ? now : Instant.now();
    return new RenderSteps(
            repo,
            rules,
            previousOutput,
            listener,
            new WaveRun(runAt, advanceWaves, gates),
            partSize,
            false)
        .run();
  }
}

package dev.convoy.engine;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.PolicyRules;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.upgrade.GateAnswer;
import dev.convoy.engine.upgrade.Revisions;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.engine.upgrade.WaveRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders every target of a loaded config repo, in four steps: {@link BuildFacts} (what the rules
 * read), {@link Decide} (one rule session: injections, edges, violations, the upgrade wave), {@link
 * RenderTargets} (each workload's start order rendered for its target's sidecar mode) and {@link
 * WriteTarget} (the output files and rollout state). A pure function of the repo, the rules, the
 * previous output and the time: no I/O.
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

  public RenderRun setListener(RenderListener listener) {
    this.listener = listener;
    return this;
  }

  public RenderResult call() {
    if (rules == null) {
      throw new IllegalStateException("setRules(..) first");
    }
    long t0 = System.nanoTime();
    List<Target> targets = repo.config().targets();
    // Injections from an earlier run are removed first, so rendered output renders to itself.
    List<Map<String, Object>> cleanTemplates =
        repo.workloads().parallelStream().map(PodTemplates::clean).toList();
    Map<String, SidecarPolicy> policies = new LinkedHashMap<>();
    repo.policies().forEach(p -> policies.put(p.name(), p));
    Instant runAt = now != null ? now : Instant.now();
    Map<String, RolloutState> states = new HashMap<>();
    for (Target target : targets) {
      states.put(target.name(), RolloutState.of(previous(target)));
    }
    Revisions revisions = Revisions.of(policies, states.values());
    WaveRun waveRun = new WaveRun(runAt, advanceWaves, gates);
    List<Violation> stateProblems =
        HeldByState.violations(
            targets, repo.workloads(), this::previous, states, revisions, policies);
    Facts facts = new BuildFacts(repo, cleanTemplates, revisions).build(states, previousOutput);
    long t1 = phase("facts", t0);

    Decisions decisions;
    List<Violation> violations;
    List<List<WorkloadRendering>> perTarget;
    try (Decide decide = Decide.open(rules, facts)) {
      decisions = decide.first(facts, states, revisions, waveRun);
      long t2 = phase("rules", t1);
      violations = new ArrayList<>(decisions.violations());
      violations.addAll(stateProblems);
      RenderTargets render =
          new RenderTargets(
              repo,
              cleanTemplates,
              revisions,
              decisions,
              RenderTargets.failing(violations),
              this::previous);
      List<Object> late = new ArrayList<>();
      perTarget = render.all(violations, late);
      long t3 = phase("render", t2);
      // Rules see what rendering did (resources, the kubelet's order); an error they raise keeps
      // the workload as it was.
      if (!late.isEmpty()) {
        List<Violation> raised = decide.afterRender(late);
        violations.addAll(raised);
        render.keep(perTarget, RenderTargets.failing(raised));
        t3 = phase("late rules", t3);
      }
      decisions = decide.decisions();
      t1 = t3;
    }
    // Printing needs no rules: the session (hundreds of MB of Rete memory at 10,000 workloads)
    // is closed first so it is not live while the output is built.
    WriteTarget write = new WriteTarget(repo, revisions, waveRun);
    List<TargetRender> renders = new ArrayList<>();
    for (int t = 0; t < targets.size(); t++) {
      Target target = targets.get(t);
      renders.add(
          write.write(
              target,
              perTarget.get(t),
              previous(target),
              states.get(target.name()),
              decisions.waves()));
    }
    phase("output", t1);
    violations.sort(Violation.REPORT_ORDER);
    return new RenderResult(renders, violations, decisions, revisions);
  }

  private Map<String, byte[]> previous(Target target) {
    return previousOutput.getOrDefault(target.name(), Map.of());
  }

  private long phase(String name, long since) {
    long t = System.nanoTime();
    listener.phaseFinished(name, Duration.ofNanos(t - since));
    return t;
  }
}

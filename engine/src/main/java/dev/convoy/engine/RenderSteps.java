package dev.convoy.engine;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.PolicyRules;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.facts.DeployedRevision;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.WorkloadFact;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.upgrade.Revisions;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.engine.upgrade.UpgradeWaves;
import dev.convoy.engine.upgrade.WaveRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The four steps of a {@link RenderRun}, in order, with what one step hands the next: {@link
 * BuildFacts}, {@link Decide}, {@link RenderTargets} and {@link WriteTarget}.
 *
 * @param previousOutput each target's previous output by target name
 * @param waveRun the time, whether waves may move, and the gates' answers
 * @param partSize workloads per rule session when the rules allow parts ({@link FleetPart})
 * @param planFirst whether to plan the upgrade wave over every part even with nothing deployed
 */
record RenderSteps(
    LoadedRepo repo,
    PolicyRules rules,
    Map<String, Map<String, byte[]>> previousOutput,
    RenderListener listener,
    WaveRun waveRun,
    int partSize,
    boolean planFirst) {

  RenderResult run() {
    long t0 = System.nanoTime();
    List<Target> targets = repo.config().targets();
    // Injections from an earlier run are removed first, so rendered output renders to itself.
    List<Map<String, Object>> cleanTemplates =
        repo.workloads().parallelStream().map(PodTemplates::clean).toList();
    Map<String, SidecarPolicy> policies = new LinkedHashMap<>();
    repo.policies().forEach(p -> policies.put(p.name(), p));
    Map<String, RolloutState> states = new HashMap<>();
    for (Target target : targets) {
      states.put(target.name(), RolloutState.of(previous(target)));
    }
    Revisions revisions = Revisions.of(policies, states.values());
    List<Violation> stateProblems =
        HeldByState.violations(
            targets, repo.workloads(), this::previous, states, revisions, policies);
    BuildFacts build = new BuildFacts(repo, cleanTemplates, revisions);
    List<DeployedRevision> deployed = build.deployed(states, previousOutput);
    List<FleetPart> parts =
        FleetPart.of(
            repo.workloads().size(), rules.joinsWithinWorkloads() ? partSize : Integer.MAX_VALUE);
    Phases phases = new Phases();
    phases.add("facts", t0);
    // Over several parts, the upgrade wave is cut from every part's candidates before any part
    // renders: a first pass decides each part and keeps only its decisions.
    List<WaveDecision> waves = null;
    if (parts.size() > 1 && (planFirst || !deployed.isEmpty() || !waveRun.gates().isEmpty())) {
      waves = planWaves(build, parts, deployed, states, revisions, phases);
    }
    List<Decisions> partDecisions = new ArrayList<>();
    Set<Violation> ruleViolations = new LinkedHashSet<>();
    Set<Violation> lateViolations = new LinkedHashSet<>();
    List<List<Violation>> renderViolations = new ArrayList<>();
    WriteTarget write = new WriteTarget(repo, revisions, waveRun);
    List<WriteTarget.Output> outputs = new ArrayList<>();
    for (Target target : targets) {
      renderViolations.add(new ArrayList<>());
      outputs.add(write.open(target, previous(target)));
    }
    Set<String> failingByState = RenderTargets.failing(stateProblems);
    for (FleetPart part : parts) {
      long t1 = System.nanoTime();
      Facts facts = build.build(part, deployed);
      t1 = phases.add("facts", t1);
      // The part's session (Rete memory, tens of MB per thousand workloads) is closed before its
      // files are printed and the next part opens.
      List<List<WorkloadRendering>> rendered;
      try (Decide decide = Decide.open(rules, facts)) {
        Decisions decisions = decide.decisions();
        if (waves != null) {
          decisions =
              decide.withWaves(
                  BuildFacts.ofWorkloads(waves, WaveDecision::workload, facts.workloads()));
        } else if (Decide.plansWaves(decisions, !waveRun.gates().isEmpty())) {
          if (parts.size() > 1) {
            // Candidates without a deployed revision (a rule made them): plan over the whole
            // fleet first, as above.
            return withWavesPlanned();
          }
          decisions = decide.withWaves(plan(decisions, facts.workloads(), states, revisions));
        }
        t1 = phases.add("rules", t1);
        ruleViolations.addAll(decisions.violations());
        Set<String> failing = RenderTargets.failing(decisions.violations());
        failing.addAll(failingByState);
        RenderTargets render =
            new RenderTargets(repo, cleanTemplates, revisions, decisions, failing, this::previous);
        List<Object> late = new ArrayList<>();
        rendered = render.part(part, renderViolations, late);
        t1 = phases.add("render", t1);
        // Rules see what rendering did (resources, the kubelet's order); an error they raise keeps
        // the workload as it was.
        if (!late.isEmpty()) {
          List<Violation> raised = decide.afterRender(late);
          lateViolations.addAll(raised);
          render.keep(rendered, RenderTargets.failing(raised));
          phases.add("late rules", t1);
        }
        partDecisions.add(decide.decisions());
      }
      // Printed now, so the rendered trees of this part only are ever alive.
      t1 = System.nanoTime();
      for (int t = 0; t < targets.size(); t++) {
        outputs.get(t).add(rendered.get(t));
      }
      phases.add("output", t1);
    }
    long t1 = System.nanoTime();
    Decisions decisions = Decisions.merge(partDecisions);
    // In the order one session gave: the rules', the rollout state's, each target's, then what the
    // rules raised after rendering.
    List<Violation> violations = new ArrayList<>(ruleViolations);
    violations.addAll(stateProblems);
    Map<String, List<Injection>> injections =
        RenderTargets.group(decisions.injections(), Injection::workload);
    for (int t = 0; t < targets.size(); t++) {
      violations.addAll(RenderTargets.acrossTarget(repo, revisions, targets.get(t), injections));
      violations.addAll(renderViolations.get(t));
    }
    violations.addAll(lateViolations);
    List<TargetRender> renders = new ArrayList<>();
    for (int t = 0; t < targets.size(); t++) {
      renders.add(outputs.get(t).finish(states.get(targets.get(t).name()), decisions.waves()));
    }
    phases.add("output", t1);
    phases.report(listener);
    violations.sort(Violation.REPORT_ORDER);
    return new RenderResult(renders, violations, decisions, revisions);
  }

  /** This run again, with the upgrade wave planned over every part before any part renders. */
  private RenderResult withWavesPlanned() {
    return new RenderSteps(repo, rules, previousOutput, listener, waveRun, partSize, true).run();
  }

  /** The first pass over several parts: each part's first decisions, then one wave for all. */
  private List<WaveDecision> planWaves(
      BuildFacts build,
      List<FleetPart> parts,
      List<DeployedRevision> deployed,
      Map<String, RolloutState> states,
      Revisions revisions,
      Phases phases) {
    List<Decisions> first = new ArrayList<>();
    List<List<WorkloadFact>> workloads = new ArrayList<>();
    for (FleetPart part : parts) {
      long t = System.nanoTime();
      Facts facts = build.build(part, deployed);
      t = phases.add("facts", t);
      try (Decide decide = Decide.open(rules, facts)) {
        first.add(decide.decisions());
      }
      workloads.add(facts.workloads());
      phases.add("rules", t);
    }
    Decisions merged = Decisions.merge(first);
    if (!Decide.plansWaves(merged, !waveRun.gates().isEmpty())) {
      return List.of();
    }
    // Target by target, as one part lists them.
    List<WorkloadFact> all = new ArrayList<>();
    for (Target target : repo.config().targets()) {
      for (List<WorkloadFact> part : workloads) {
        part.stream().filter(w -> w.target().equals(target.name())).forEach(all::add);
      }
    }
    return plan(merged, all, states, revisions);
  }

  private List<WaveDecision> plan(
      Decisions decisions,
      List<WorkloadFact> workloads,
      Map<String, RolloutState> states,
      Revisions revisions) {
    Map<String, PolicyFact> policyFacts = new HashMap<>();
    // The policies' facts are the same in every part's session.
    BuildFacts.policyFacts(repo).forEach(p -> policyFacts.put(p.name(), p));
    return UpgradeWaves.plan(decisions, policyFacts, states, workloads, revisions, waveRun);
  }

  private Map<String, byte[]> previous(Target target) {
    return previousOutput.getOrDefault(target.name(), Map.of());
  }

  /** Each phase's time summed over the parts, reported once per run in the order first seen. */
  private static final class Phases {
    private final Map<String, Long> nanos = new LinkedHashMap<>();

    /** Adds the time since {@code since} to {@code name}; returns now. */
    long add(String name, long since) {
      long t = System.nanoTime();
      nanos.merge(name, t - since, Long::sum);
      return t;
    }

    void report(RenderListener listener) {
      nanos.forEach((name, n) -> listener.phaseFinished(name, Duration.ofNanos(n)));
    }
  }
}

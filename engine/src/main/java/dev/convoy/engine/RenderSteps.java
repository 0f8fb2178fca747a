package dev.convoy.engine;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.PolicyRules;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.upgrade.Revisions;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.engine.upgrade.WaveRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four steps of a {@link RenderRun}, in order, with what one step hands the next: {@link
 * BuildFacts}, {@link Decide}, {@link RenderTargets} and {@link WriteTarget}.
 *
 * @param previousOutput each target's previous output by target name
 * @param waveRun the time, whether waves may move, and the gates' answers
 */
record RenderSteps(
    LoadedRepo repo,
    PolicyRules rules,
    Map<String, Map<String, byte[]>> previousOutput,
    RenderListener listener,
    WaveRun waveRun) {

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

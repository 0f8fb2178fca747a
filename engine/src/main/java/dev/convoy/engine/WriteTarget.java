package dev.convoy.engine;

import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.output.OutputFiles;
import dev.convoy.engine.render.InjectionRecord;
import dev.convoy.engine.upgrade.Revisions;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.engine.upgrade.WaveRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Step 4 of a run, per target: the output files (the source layout with every workload as rendered,
 * a {@code kustomization.yaml}) and the rollout state after this run's wave.
 */
final class WriteTarget {
  private final LoadedRepo repo;
  private final Revisions revisions;
  private final WaveRun run;

  WriteTarget(LoadedRepo repo, Revisions revisions, WaveRun run) {
    this.repo = repo;
    this.revisions = revisions;
    this.run = run;
  }

  TargetRender write(
      Target target,
      List<WorkloadRendering> rendered,
      Map<String, byte[]> previous,
      RolloutState before,
      List<WaveDecision> waves) {
    List<Map<String, Object>> objects = rendered.stream().map(WorkloadRendering::object).toList();
    SortedMap<String, byte[]> files = new OutputFiles(repo, previous).render(objects);
    RolloutState state =
        revisions.stateAfter(before, target.name(), inUse(repo.workloads(), objects), waves, run);
    // A state that cannot be trusted is kept as it was: writing it anew would forget the revisions
    // held workloads run (HeldByState).
    if ((before.broken() || !revisions.untrusted(before).isEmpty())
        && previous.containsKey(RolloutState.FILE)) {
      files.put(RolloutState.FILE, previous.get(RolloutState.FILE));
    } else if (!state.policies().isEmpty()) {
      files.put(RolloutState.FILE, state.print());
    }
    return new TargetRender(
        target,
        target.effectiveMode(),
        files,
        rendered.stream().map(WorkloadRendering::report).toList());
  }

  /** Policy name to the revisions each workload's rendered object carries. */
  private static List<SortedMap<String, String>> inUse(
      List<Workload> workloads, List<Map<String, Object>> objects) {
    List<SortedMap<String, String>> out = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      Map<String, Object> template = workloads.get(i).kind().podTemplateOf(objects.get(i));
      out.add(template == null ? new TreeMap<>() : InjectionRecord.revisions(template));
    }
    return out;
  }
}

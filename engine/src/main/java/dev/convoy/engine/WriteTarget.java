package dev.convoy.engine;

import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.Target;
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
 * a {@code kustomization.yaml}) and the rollout state after this run's wave. Files are printed as
 * the parts of the fleet are rendered, so the rendered trees of a part are dropped once printed.
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

  /** The output of {@code target}, to be given its workloads' renderings in repo order. */
  Output open(Target target, Map<String, byte[]> previous) {
    return new Output(target, previous);
  }

  /** One target's output while its workloads are rendered. */
  final class Output {
    private final Target target;
    private final Map<String, byte[]> previous;
    private final OutputFiles.Printing printing;
    private final List<WorkloadReport> reports = new ArrayList<>();
    // Policy name to the revision each workload's rendered object carries, in repo order.
    private final List<SortedMap<String, String>> inUse = new ArrayList<>();

    private Output(Target target, Map<String, byte[]> previous) {
      this.target = target;
      this.previous = previous;
      this.printing = new OutputFiles(repo, previous).printing();
    }

    /** The renderings of the next workloads in repo order. */
    void add(List<WorkloadRendering> rendered) {
      List<Map<String, Object>> objects = new ArrayList<>(rendered.size());
      for (WorkloadRendering r : rendered) {
        objects.add(r.object());
        reports.add(r.report());
        Map<String, Object> template = r.workload().kind().podTemplateOf(r.object());
        inUse.add(template == null ? new TreeMap<>() : InjectionRecord.revisions(template));
      }
      printing.add(objects);
    }

    /** Every file, with the rollout state after this run's wave. */
    TargetRender finish(RolloutState before, List<WaveDecision> waves) {
      SortedMap<String, byte[]> files = printing.finish();
      RolloutState state = revisions.stateAfter(before, target.name(), inUse, waves, run);
      // A state that cannot be trusted is kept as it was: writing it anew would forget the
      // revisions held workloads run (HeldByState).
      if ((before.broken() || !revisions.untrusted(before).isEmpty())
          && previous.containsKey(RolloutState.FILE)) {
        files.put(RolloutState.FILE, previous.get(RolloutState.FILE));
      } else if (!state.policies().isEmpty()) {
        files.put(RolloutState.FILE, state.print());
      }
      return new TargetRender(target, target.effectiveMode(), files, List.copyOf(reports));
    }
  }
}

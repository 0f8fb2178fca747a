package dev.convoy.engine;

import dev.convoy.engine.facts.DeployedRevision;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.output.OutputFiles;
import dev.convoy.engine.render.InjectionRecord;
import dev.convoy.engine.upgrade.Revisions;
import dev.convoy.engine.upgrade.RolloutState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Part of step 1 ({@link BuildFacts}): which older policy revision each workload runs today, the
 * facts upgrade waves rank and hold workloads by.
 *
 * @param repo the loaded repo
 * @param revisions every policy revision the run may render
 */
record DeployedRevisions(LoadedRepo repo, Revisions revisions) {

  /**
   * What each workload runs of the policies whose rollout may be in progress, from the previous
   * output's injection record. Only read while some older revision is still recorded, so a
   * steady-state run parses no previous output at all.
   */
  List<DeployedRevision> of(
      List<Target> targets,
      Map<String, RolloutState> states,
      Map<String, Map<String, byte[]>> previousOutput) {
    List<DeployedRevision> out = new ArrayList<>();
    for (Target target : targets) {
      Set<String> rolling = revisions.rolling(states.get(target.name()));
      if (rolling.isEmpty()) {
        continue;
      }
      Map<String, byte[]> previous = previousOutput.getOrDefault(target.name(), Map.of());
      out.addAll(
          repo.workloads().parallelStream()
              .flatMap(w -> deployed(target, w, previous, rolling))
              .toList());
    }
    return out;
  }

  private Stream<DeployedRevision> deployed(
      Target target, Workload w, Map<String, byte[]> previous, Set<String> rolling) {
    java.util.Optional<String> injected =
        OutputFiles.previousTemplateAnnotation(previous, w, InjectionRecord.INJECTED);
    if (injected.isEmpty()) {
      return Stream.empty();
    }
    return InjectionRecord.revisions(injected.get()).entrySet().stream()
        .filter(e -> rolling.contains(e.getKey()) && revisions.isOlder(e.getKey(), e.getValue()))
        .map(e -> new DeployedRevision(RenderTargets.id(target, w), e.getKey(), e.getValue()));
  }
}

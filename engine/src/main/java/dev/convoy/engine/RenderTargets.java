package dev.convoy.engine;

import dev.convoy.engine.check.FindPodProblems;
import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.WorkloadId;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.KubernetesVersion;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.upgrade.Revisions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Step 3 of a run, for every target: each workload through the target's {@link RenderWorkload}
 * transform, with the checks that span a target's workloads (host ports) and its mode. Rules that
 * run after rendering may then send workloads back to what their target kept ({@link #keep}).
 */
final class RenderTargets {
  private final LoadedRepo repo;
  private final List<Map<String, Object>> cleanTemplates;
  private final Revisions revisions;
  private final List<RenderWorkload> transforms = new ArrayList<>();

  /**
   * @param failing ids of workloads with an error violation so far: they keep their last output
   */
  RenderTargets(
      LoadedRepo repo,
      List<Map<String, Object>> cleanTemplates,
      Revisions revisions,
      Decisions decisions,
      Set<String> failing,
      Function<Target, Map<String, byte[]>> previous) {
    this.repo = repo;
    this.cleanTemplates = cleanTemplates;
    this.revisions = revisions;
    Map<String, List<Injection>> injections = group(decisions.injections(), Injection::workload);
    Map<String, List<Edge>> edges = group(decisions.edges(), Edge::workload);
    for (Target target : repo.config().targets()) {
      transforms.add(
          new RenderWorkload(
              target,
              revisions,
              injections,
              edges,
              failing,
              previous.apply(target),
              repo.services()));
    }
  }

  /**
   * Every target's renderings of one part of the fleet, in the order of the targets and of the
   * repo's workloads; adds the violations found on the way to the target's list in {@code
   * violations} and what rules read after rendering to {@code late}.
   */
  List<List<WorkloadRendering>> part(
      FleetPart part, List<List<Violation>> violations, List<Object> late) {
    List<List<WorkloadRendering>> perTarget = new ArrayList<>();
    for (int t = 0; t < transforms.size(); t++) {
      List<WorkloadRendering> rendered =
          transforms
              .get(t)
              .applyAll(
                  repo.workloads().subList(part.from(), part.to()),
                  cleanTemplates.subList(part.from(), part.to()));
      for (WorkloadRendering r : rendered) {
        violations.get(t).addAll(r.violations());
        late.addAll(r.lateFacts());
      }
      perTarget.add(rendered);
    }
    return perTarget;
  }

  /**
   * The checks that span a target's workloads: its mode against its Kubernetes version, and host
   * ports two workloads would both take.
   *
   * @param injections every workload's injections by workload id
   */
  static List<Violation> acrossTarget(
      LoadedRepo repo,
      Revisions revisions,
      Target target,
      Map<String, List<Injection>> injections) {
    List<Violation> out = new ArrayList<>();
    modeWarning(target).ifPresent(out::add);
    out.addAll(
        FindPodProblems.hostPortClashes(
            repo.workloads(),
            w ->
                injections.getOrDefault(id(target, w), List.of()).stream()
                    .map(i -> revisions.at(i.policy(), i.revision()))
                    .toList(),
            w -> id(target, w)));
    return out;
  }

  /** Replaces the renderings of {@code failing} workloads with what their target kept. */
  void keep(List<List<WorkloadRendering>> perTarget, Set<String> failing) {
    for (int t = 0; t < transforms.size() && !failing.isEmpty(); t++) {
      RenderWorkload render = transforms.get(t);
      perTarget
          .get(t)
          .replaceAll(r -> failing.contains(r.report().id()) ? render.keptInstead(r) : r);
    }
  }

  /** A workload's id in decisions and reports: {@code target/Kind/namespace/name}. */
  static String id(Target target, Workload w) {
    return WorkloadId.of(target.name(), w.ref()).toString();
  }

  /** Ids of the workloads with an error violation. */
  static Set<String> failing(List<Violation> violations) {
    Set<String> failing = new HashSet<>();
    for (Violation v : violations) {
      if (v.severity() == Severity.ERROR && v.workload() != null) {
        failing.add(v.workload());
      }
    }
    return failing;
  }

  /**
   * Native sidecars on a cluster too old for them: the kubelet would run them as init containers
   * that never finish.
   */
  static Optional<Violation> modeWarning(Target target) {
    return target
        .kubernetesVersion()
        .filter(v -> target.sidecarMode() == SidecarMode.NATIVE && !v.supportsNativeSidecars())
        .map(
            v ->
                Violation.warning(
                    "mode-version-mismatch",
                    "target "
                        + target.name()
                        + " asks for native sidecars on Kubernetes "
                        + v
                        + ", which has them from "
                        + KubernetesVersion.NATIVE_SIDECARS
                        + " only: pods would hang in Init (use sidecarMode: auto, legacy or universal)",
                    null,
                    null,
                    "convoy.yaml",
                    0));
  }

  static <T> Map<String, List<T>> group(List<T> items, Function<T, String> key) {
    Map<String, List<T>> out = new HashMap<>();
    for (T item : items) {
      out.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
    }
    return out;
  }
}

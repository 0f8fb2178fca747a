package dev.convoy.cli;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.TargetRender;
import dev.convoy.engine.WorkloadReport;
import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.RuleFiring;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.facts.PolicyMatch;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.Veto;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.PolicyInitContainer;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.order.OrderResult;
import dev.convoy.engine.order.PodContainer;
import dev.convoy.engine.order.StartOrder;
import dev.convoy.engine.render.InjectionRecord;
import dev.convoy.engine.upgrade.Revisions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why one workload renders the way it does for one target: what {@code convoy explain} shows. Built
 * from the public engine API only: the rules' {@link Decisions}, the target's {@link
 * WorkloadReport}, and the pod's start-order graph sorted again with {@link StartOrder}, which adds
 * the edges Kubernetes fixes itself and reports the default edges that gave way.
 *
 * @param target the target name
 * @param mode the sidecar mode the target renders with
 * @param ref {@code Kind/namespace/name}
 * @param file the source file
 * @param line the line where the workload's document starts
 * @param outcome injected, unchanged or kept (violations)
 * @param matches policies whose selectors accept the workload, with the terms that matched
 * @param vetoes policies kept out, with the reason
 * @param injections policies injected, with their revision and how they came in
 * @param firings rules that fired for this workload, in firing order
 * @param edges every ordering edge, including the ones Kubernetes fixes
 * @param dropped default edges that gave way because they would close a cycle
 * @param cycle the cycle of required edges, when the pod cannot be sorted; else empty
 * @param startOrder the containers in start order
 * @param stopOrder the containers in stop order, as groups stopping together
 * @param violations violations about this workload
 * @param waves this run's upgrade decisions for the workload: moves to a policy's new revision, or
 *     held
 */
record WorkloadExplanation(
    String target,
    SidecarMode mode,
    String ref,
    String file,
    int line,
    WorkloadReport.Outcome outcome,
    List<PolicyMatch> matches,
    List<Veto> vetoes,
    List<Applied> injections,
    List<RuleFiring> firings,
    List<ExplainedEdge> edges,
    List<ExplainedEdge> dropped,
    List<String> cycle,
    List<Step> startOrder,
    List<List<String>> stopOrder,
    List<Violation> violations,
    List<WaveDecision> waves) {

  /** An injected policy and whether its selectors matched or a rule forced it. */
  record Applied(String policy, String revision, boolean forced) {}

  /**
   * An ordering edge with what made it.
   *
   * @param source {@code rule}, {@code annotation}, {@code policy} or {@code kubernetes}
   */
  record ExplainedEdge(
      String first,
      String then,
      Edge.Strength strength,
      String source,
      String origin,
      String policy,
      String file,
      int line) {
    static ExplainedEdge of(Edge e) {
      return new ExplainedEdge(
          e.first(), e.then(), e.strength(), source(e), e.origin(), e.policy(), e.file(), e.line());
    }

    private static String source(Edge e) {
      String origin = e.origin() == null ? "" : e.origin();
      if (origin.startsWith("kubernetes")) {
        return "kubernetes";
      }
      if (origin.startsWith("annotation")) {
        return "annotation";
      }
      if (origin.startsWith("rule")) {
        return "rule";
      }
      return e.policy() != null ? "policy" : "rule";
    }
  }

  /** One container of the start order: its role and the policy that injected it, if any. */
  record Step(String name, Role role, String policy) {}

  /** Builds the explanation of workload {@code w} for one rendered target. */
  static WorkloadExplanation of(
      LoadedRepo repo, RenderResult result, TargetRender target, Workload w) {
    String id = target.target().name() + "/" + w.ref();
    Decisions d = result.decisions();
    WorkloadReport report =
        target.workloads().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    List<PolicyMatch> matches = d.matches().stream().filter(m -> m.workload().equals(id)).toList();
    List<Veto> vetoes = d.vetoes().stream().filter(v -> v.workload().equals(id)).toList();
    List<Injection> injections =
        d.injections().stream().filter(i -> i.workload().equals(id)).toList();
    List<Applied> applied =
        injections.stream()
            .map(
                i ->
                    new Applied(
                        i.policy(),
                        i.revision(),
                        matches.stream().noneMatch(m -> m.policy().equals(i.policy()))))
            .toList();
    List<RuleFiring> firings =
        d.firings().stream().filter(f -> f.workloads().contains(id)).toList();
    List<Edge> ruleEdges = d.edges().stream().filter(e -> e.workload().equals(id)).toList();
    List<Violation> violations =
        result.violations().stream().filter(v -> id.equals(v.workload())).toList();

    List<PodContainer> containers = containers(result.revisions(), w, injections);
    OrderResult order = StartOrder.sort(id, containers, ruleEdges);
    List<ExplainedEdge> edges;
    List<ExplainedEdge> dropped = List.of();
    List<String> cycle = List.of();
    List<Step> start = List.of();
    List<List<String>> stop = List.of();
    if (order instanceof OrderResult.Sorted sorted) {
      edges = sorted.edges().stream().map(ExplainedEdge::of).sorted(EDGE_ORDER).toList();
      dropped = sorted.dropped().stream().map(ExplainedEdge::of).sorted(EDGE_ORDER).toList();
      start = sorted.order().stream().map(c -> new Step(c.name(), c.role(), c.policy())).toList();
      stop = stopOrder(start);
    } else {
      OrderResult.Cycle c = (OrderResult.Cycle) order;
      cycle = c.path();
      edges = ruleEdges.stream().map(ExplainedEdge::of).sorted(EDGE_ORDER).toList();
    }
    // Edges whose ends are not containers of the pod never reach the sort; show them anyway.
    List<ExplainedEdge> all = new ArrayList<>(edges);
    for (Edge e : ruleEdges) {
      ExplainedEdge x = ExplainedEdge.of(e);
      if (!all.contains(x) && !dropped.contains(x)) {
        all.add(x);
      }
    }
    all.sort(EDGE_ORDER);
    return new WorkloadExplanation(
        target.target().name(),
        target.mode(),
        w.ref(),
        w.file(),
        w.line(),
        report == null ? null : report.outcome(),
        matches,
        vetoes,
        applied,
        firings,
        List.copyOf(all),
        dropped,
        cycle,
        start,
        stop,
        violations,
        d.waves().stream().filter(x -> x.workload().equals(id)).toList());
  }

  private static final Comparator<ExplainedEdge> EDGE_ORDER =
      Comparator.comparing((ExplainedEdge e) -> sourceRank(e.source()))
          .thenComparing(ExplainedEdge::first)
          .thenComparing(ExplainedEdge::then)
          .thenComparing(e -> Objects.toString(e.origin(), ""));

  private static int sourceRank(String source) {
    return switch (source) {
      case "rule" -> 0;
      case "annotation" -> 1;
      case "policy" -> 2;
      default -> 3;
    };
  }

  /**
   * Kubernetes stops the regular containers (app containers and post sidecars) together first, then
   * the sidecars that started before them, in reverse start order; one-shot init containers have
   * long finished. Native mode gets this from kubelet, legacy and universal mode from the rendered
   * {@code preStop} hooks.
   */
  static List<List<String>> stopOrder(List<Step> start) {
    List<List<String>> stop = new ArrayList<>();
    List<String> regular =
        start.stream()
            .filter(s -> s.role() == Role.APP || s.role() == Role.POST)
            .map(Step::name)
            .toList();
    if (!regular.isEmpty()) {
      stop.add(regular);
    }
    for (int i = start.size() - 1; i >= 0; i--) {
      if (start.get(i).role() == Role.PRE) {
        stop.add(List.of(start.get(i).name()));
      }
    }
    return stop;
  }

  /** The pod's containers as the engine sorts them: the source's, then each injected policy's. */
  private static List<PodContainer> containers(
      Revisions revisions, Workload w, List<Injection> injections) {
    Map<String, Object> template = Trees.copy(w.podTemplate());
    InjectionRecord.strip(template);
    Map<String, Object> spec = Trees.map(template, "spec");
    List<PodContainer> out = new ArrayList<>();
    List<Map<String, Object>> inits = Trees.mapList(spec, "initContainers");
    for (int i = 0; i < inits.size(); i++) {
      out.add(
          new PodContainer(
              Trees.string(inits.get(i), "name"), Role.INIT, i, null, 0, inits.get(i), null));
    }
    List<Map<String, Object>> apps = Trees.mapList(spec, "containers");
    for (int i = 0; i < apps.size(); i++) {
      out.add(
          new PodContainer(
              Trees.string(apps.get(i), "name"), Role.APP, i, null, 0, apps.get(i), null));
    }
    for (Injection injection : injections) {
      // At the revision rendered: an upgrade wave may hold the workload on an older one.
      SidecarPolicy p = revisions.at(injection.policy(), injection.revision());
      for (PolicyInitContainer c : p.initContainers()) {
        out.add(
            new PodContainer(c.name(), Role.INIT, -1, p.name(), p.priority(), c.container(), null));
      }
      for (PolicySidecar s : p.sidecars()) {
        out.add(
            new PodContainer(
                s.name(),
                Role.of(s.position()),
                -1,
                p.name(),
                p.priority(),
                s.container(),
                s.ready()));
      }
    }
    // A name clash is a violation; keep the first so the graph stays well-formed.
    List<String> seen = new ArrayList<>();
    out.removeIf(
        c -> {
          boolean dup = seen.contains(c.name());
          seen.add(c.name());
          return dup;
        });
    return out;
  }
}

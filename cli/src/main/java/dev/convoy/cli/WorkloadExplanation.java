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
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.order.KubeletOrder;
import dev.convoy.engine.order.PodOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Why one workload renders the way it does for one target: what {@code convoy explain} shows. Built
 * from the public engine API only: the rules' {@link Decisions} and the target's {@link
 * WorkloadReport}, whose {@link PodOrder} is what rendering did: the sorted graph (with the edges
 * Kubernetes fixes itself and the default edges that gave way) and how the kubelet runs the
 * rendered pod on each kind of node.
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
 * @param startOrder the containers in sorted start order
 * @param stopOrder the containers in stop order on the first kind of node, as groups stopping
 *     together (empty when the pod was not rendered)
 * @param kubelet how the kubelet runs the rendered pod, per kind of node the mode renders for: its
 *     start order, stop order and the edges it cannot honour (empty when not rendered)
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
    List<KubeletOrder> kubelet,
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
  static WorkloadExplanation of(RenderResult result, TargetRender target, Workload w) {
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

    PodOrder order = report == null ? PodOrder.NONE : report.order();
    List<ExplainedEdge> edges =
        (order.cycle().isEmpty() ? order.edges() : ruleEdges)
            .stream().map(ExplainedEdge::of).sorted(EDGE_ORDER).toList();
    List<ExplainedEdge> dropped =
        order.dropped().stream().map(ExplainedEdge::of).sorted(EDGE_ORDER).toList();
    List<Step> start =
        order.sorted().stream().map(c -> new Step(c.name(), c.role(), c.policy())).toList();
    List<List<String>> stop = order.kubelet().isEmpty() ? List.of() : order.kubelet().get(0).stop();
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
        order.cycle(),
        start,
        stop,
        order.kubelet(),
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
}

package dev.convoy.engine.order;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.Role;
import java.util.List;

/**
 * A workload's order as decided and as rendered: the sorted graph (or its cycle) and how the
 * kubelet runs the rendered pod on each kind of node its target may have.
 *
 * @param sorted every container of the graph in sorted start order (empty when there is a cycle)
 * @param edges the edges that hold in the graph, including those Kubernetes fixes
 * @param dropped default edges that gave way because they would close a cycle
 * @param cycle the cycle of required edges (first container repeated at the end), else empty
 * @param kubelet one entry per kind of node the mode renders for (two in universal mode); empty
 *     when the pod was not rendered
 */
public record PodOrder(
    List<Container> sorted,
    List<Edge> edges,
    List<Edge> dropped,
    List<String> cycle,
    List<KubeletOrder> kubelet) {

  /** A container of the graph: its role and the policy that injected it, if any. */
  public record Container(String name, Role role, String policy) {}

  /** No order: the workload was not looked at. */
  public static final PodOrder NONE =
      new PodOrder(List.of(), List.of(), List.of(), List.of(), List.of());

  public PodOrder {
    sorted = List.copyOf(sorted);
    edges = List.copyOf(edges);
    dropped = List.copyOf(dropped);
    cycle = List.copyOf(cycle);
    kubelet = List.copyOf(kubelet);
  }

  /** The order of a sorted graph, not (yet) rendered. */
  public static PodOrder of(OrderResult order) {
    if (order instanceof OrderResult.Cycle c) {
      return new PodOrder(List.of(), List.of(), List.of(), c.path(), List.of());
    }
    OrderResult.Sorted s = (OrderResult.Sorted) order;
    return new PodOrder(
        s.order().stream().map(c -> new Container(c.name(), c.role(), c.policy())).toList(),
        s.edges(),
        s.dropped(),
        List.of(),
        List.of());
  }

  /** The same graph, rendered. */
  public PodOrder withKubelet(List<KubeletOrder> rendered) {
    return new PodOrder(sorted, edges, dropped, cycle, rendered);
  }
}

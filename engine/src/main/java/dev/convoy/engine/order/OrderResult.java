package dev.convoy.engine.order;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Violation;
import java.util.List;

/** The outcome of sorting one pod's containers. */
public sealed interface OrderResult {

  /**
   * Containers in start order.
   *
   * @param order every container, sorted
   * @param edges the edges that hold, required and default
   * @param dropped default edges that gave way because they would close a cycle
   */
  record Sorted(List<PodContainer> order, List<Edge> edges, List<Edge> dropped)
      implements OrderResult {
    public Sorted {
      order = List.copyOf(order);
      edges = List.copyOf(edges);
      dropped = List.copyOf(dropped);
    }

    public List<String> names() {
      return order.stream().map(PodContainer::name).toList();
    }
  }

  /**
   * Required edges form a cycle.
   *
   * @param path the containers of the cycle, first one repeated at the end ({@code proxy ->
   *     cert-init -> proxy})
   * @param edges the edges along the path
   */
  record Cycle(List<String> path, List<Edge> edges) implements OrderResult {
    public Cycle {
      path = List.copyOf(path);
      edges = List.copyOf(edges);
    }

    public String describe() {
      return String.join(" -> ", path);
    }

    /**
     * The error for workload {@code id}, blamed on the first edge written in a file (a policy or an
     * annotation), else on the workload at {@code file:line}.
     */
    public Violation violation(String id, String file, int line) {
      Edge blame = edges.stream().filter(e -> e.file() != null).findFirst().orElse(null);
      String origins = edges.stream().map(Edge::toString).reduce((a, b) -> a + "; " + b).orElse("");
      return Violation.error(
          "cycle",
          "start order has a cycle: " + describe() + " [" + origins + "]",
          id,
          blame == null ? null : blame.policy(),
          blame == null ? file : blame.file(),
          blame == null ? line : blame.line());
    }
  }
}

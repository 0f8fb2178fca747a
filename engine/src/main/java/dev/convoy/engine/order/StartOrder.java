package dev.convoy.engine.order;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.Role;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Sorts a pod's containers topologically (docs/reference.md, Ordering).
 *
 * <p>Besides the given edges, Kubernetes itself fixes two kinds: the source's init containers run
 * in their list order (its native sidecars, {@code initContainers} entries too, among them), and
 * every init container finishes (a native sidecar: starts) before any app container starts. Default
 * edges are added after all required ones, each only if it does not close a cycle. Ties are broken
 * by source order, then policy priority (higher first), then name, so the same input always gives
 * the same order.
 */
public final class StartOrder {
  /** Source containers first in their order, then injected ones by priority and name. */
  static final Comparator<PodContainer> TIE_BREAK =
      Comparator.comparingInt((PodContainer c) -> c.injected() ? 1 : 0)
          .thenComparingInt(PodContainer::sourceIndex)
          .thenComparing(Comparator.comparingInt(PodContainer::priority).reversed())
          .thenComparing(PodContainer::name);

  private StartOrder() {}

  /**
   * @param workload the workload id, for the fixed edges' records
   * @param containers every container of the pod, each name once
   * @param edges edges between those containers (endpoints that are not containers are ignored; the
   *     rules report them)
   */
  public static OrderResult sort(String workload, List<PodContainer> containers, List<Edge> edges) {
    Map<String, PodContainer> byName = new LinkedHashMap<>();
    for (PodContainer c : containers) {
      byName.put(c.name(), c);
    }
    Graph graph = new Graph(byName);
    List<Edge> required = new ArrayList<>(fixedEdges(workload, containers));
    List<Edge> defaults = new ArrayList<>();
    for (Edge e : edges) {
      if (byName.containsKey(e.first())
          && byName.containsKey(e.then())
          && !e.first().equals(e.then())) {
        (e.strength() == Edge.Strength.REQUIRED ? required : defaults).add(e);
      }
    }
    for (Edge e : required) {
      graph.add(e);
    }
    List<String> cycle = graph.findCycle();
    if (cycle != null) {
      return new OrderResult.Cycle(cycle, graph.edgesAlong(cycle));
    }
    List<Edge> dropped = new ArrayList<>();
    defaults.sort(Comparator.comparing(Edge::first).thenComparing(Edge::then));
    for (Edge e : defaults) {
      if (graph.reaches(e.then(), e.first())) {
        dropped.add(e);
      } else {
        graph.add(e);
      }
    }
    return new OrderResult.Sorted(graph.kahn(), graph.edges, dropped);
  }

  private static List<Edge> fixedEdges(String workload, List<PodContainer> containers) {
    List<Edge> fixed = new ArrayList<>();
    PodContainer previousInit = null;
    for (PodContainer c : containers) {
      // The source's initContainers entries, its native sidecars among them, keep their order.
      if ((c.role() == Role.INIT || c.role() == Role.PRE)
          && !c.injected()
          && c.sourceIndex() >= 0) {
        if (previousInit != null) {
          fixed.add(
              Edge.required(
                  workload,
                  previousInit.name(),
                  c.name(),
                  "kubernetes: init containers run in list order",
                  null,
                  null,
                  0));
        }
        previousInit = c;
      }
    }
    for (PodContainer init : containers) {
      boolean sourceSidecar = init.role() == Role.PRE && !init.injected();
      if (init.role() != Role.INIT && !sourceSidecar) {
        continue;
      }
      for (PodContainer app : containers) {
        if (app.role() == Role.APP) {
          fixed.add(
              Edge.required(
                  workload,
                  init.name(),
                  app.name(),
                  sourceSidecar
                      ? "kubernetes: native sidecars start before app containers"
                      : "kubernetes: init containers complete before app containers",
                  null,
                  null,
                  0));
        }
      }
    }
    return fixed;
  }

  private static final class Graph {
    final Map<String, PodContainer> nodes;
    final Map<String, List<Edge>> out = new HashMap<>();
    final List<Edge> edges = new ArrayList<>();

    Graph(Map<String, PodContainer> nodes) {
      this.nodes = nodes;
      for (String n : nodes.keySet()) {
        out.put(n, new ArrayList<>());
      }
    }

    void add(Edge e) {
      out.get(e.first()).add(e);
      edges.add(e);
    }

    boolean reaches(String from, String to) {
      Deque<String> stack = new ArrayDeque<>(List.of(from));
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (!stack.isEmpty()) {
        String n = stack.pop();
        if (n.equals(to)) {
          return true;
        }
        if (seen.add(n)) {
          for (Edge e : out.get(n)) {
            stack.push(e.then());
          }
        }
      }
      return false;
    }

    /** A cycle through the graph, starting at its first node in tie-break order, or null. */
    List<String> findCycle() {
      Map<String, Integer> state = new HashMap<>();
      List<PodContainer> ordered = new ArrayList<>(nodes.values());
      ordered.sort(TIE_BREAK);
      for (PodContainer start : ordered) {
        List<String> path = new ArrayList<>();
        List<String> cycle = dfs(start.name(), state, path);
        if (cycle != null) {
          return rotate(cycle);
        }
      }
      return null;
    }

    private List<String> dfs(String n, Map<String, Integer> state, List<String> path) {
      Integer s = state.get(n);
      if (s != null && s == 2) {
        return null;
      }
      if (s != null && s == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(n), path.size()));
        cycle.add(n);
        return cycle;
      }
      state.put(n, 1);
      path.add(n);
      List<Edge> next = new ArrayList<>(out.get(n));
      next.sort(Comparator.comparing(e -> nodes.get(e.then()), TIE_BREAK));
      for (Edge e : next) {
        List<String> cycle = dfs(e.then(), state, path);
        if (cycle != null) {
          return cycle;
        }
      }
      path.remove(path.size() - 1);
      state.put(n, 2);
      return null;
    }

    /** Starts the cycle at its first member in tie-break order, so the message is stable. */
    private List<String> rotate(List<String> cycle) {
      List<String> members = cycle.subList(0, cycle.size() - 1);
      String first = members.stream().map(nodes::get).min(TIE_BREAK).orElseThrow().name();
      int at = members.indexOf(first);
      List<String> rotated = new ArrayList<>(members.subList(at, members.size()));
      rotated.addAll(members.subList(0, at));
      rotated.add(first);
      return rotated;
    }

    List<Edge> edgesAlong(List<String> path) {
      List<Edge> along = new ArrayList<>();
      for (int i = 0; i + 1 < path.size(); i++) {
        String from = path.get(i);
        String to = path.get(i + 1);
        out.get(from).stream().filter(e -> e.then().equals(to)).findFirst().ifPresent(along::add);
      }
      return along;
    }

    List<PodContainer> kahn() {
      Map<String, Integer> indegree = new HashMap<>();
      for (String n : nodes.keySet()) {
        indegree.put(n, 0);
      }
      for (Edge e : edges) {
        indegree.merge(e.then(), 1, Integer::sum);
      }
      PriorityQueue<PodContainer> ready = new PriorityQueue<>(TIE_BREAK);
      for (PodContainer c : nodes.values()) {
        if (indegree.get(c.name()) == 0) {
          ready.add(c);
        }
      }
      List<PodContainer> order = new ArrayList<>(nodes.size());
      while (!ready.isEmpty()) {
        PodContainer c = ready.poll();
        order.add(c);
        for (Edge e : out.get(c.name())) {
          if (indegree.merge(e.then(), -1, Integer::sum) == 0) {
            ready.add(nodes.get(e.then()));
          }
        }
      }
      return order;
    }
  }
}

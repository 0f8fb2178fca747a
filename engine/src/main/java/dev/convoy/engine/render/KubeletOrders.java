package dev.convoy.engine.render;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.order.KubeletOrder;
import dev.convoy.engine.order.KubeletOrder.Gate;
import dev.convoy.engine.order.KubeletOrder.Nodes;
import dev.convoy.engine.order.KubeletOrder.Phase;
import dev.convoy.engine.order.KubeletOrder.Runs;
import dev.convoy.engine.order.KubeletOrder.Step;
import dev.convoy.engine.order.KubeletOrder.Unhonoured;
import dev.convoy.engine.order.PodContainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the kubelet runs a rendered pod spec on one kind of node, read from the spec's lists (the
 * kubelet starts {@code initContainers} one by one, then {@code containers} one by one) plus what
 * the renderer knows of its hooks and markers, and compared with the sorted order.
 */
public final class KubeletOrders {
  private KubeletOrders() {}

  /** What the renderer knows of the containers it rendered. */
  static final class Facts {
    /** Rendered name of a copy to the container of the sorted order it stands for. */
    final Map<String, String> copies = new HashMap<>();

    /** Rendered containers that do nothing on one kind of node (universal mode's copies). */
    final Map<String, Nodes> idleOn = new HashMap<>();

    /** Regular containers whose blocking postStart hook holds the kubelet until they are ready. */
    final Set<String> gated = new HashSet<>();

    /** Pre sidecars' preStop waits: whom each waits for to stop. */
    final Map<String, List<String>> stopAfter = new HashMap<>();
  }

  /**
   * The orders of a pod passed through as it is (no policy applies), on each kind of node the mode
   * renders for: universal mode's pods run on nodes with and without native sidecars.
   */
  public static List<KubeletOrder> passThrough(
      List<PodContainer> order, List<Edge> edges, Map<String, Object> spec, SidecarMode mode) {
    List<Nodes> nodes =
        switch (mode) {
          case NATIVE -> List.of(Nodes.NATIVE_SIDECARS);
          case LEGACY -> List.of(Nodes.NO_NATIVE_SIDECARS);
          default -> List.of(Nodes.NATIVE_SIDECARS, Nodes.NO_NATIVE_SIDECARS);
        };
    return nodes.stream().map(n -> of(order, edges, spec, n, new Facts())).toList();
  }

  static KubeletOrder of(PodPlan plan, Map<String, Object> spec, Nodes nodes, Facts facts) {
    return of(plan.order(), plan.edges(), spec, nodes, facts);
  }

  private static KubeletOrder of(
      List<PodContainer> order,
      List<Edge> edges,
      Map<String, Object> spec,
      Nodes nodes,
      Facts facts) {
    Map<String, Role> roles = new HashMap<>();
    order.forEach(c -> roles.put(c.name(), c.role()));
    List<Step> steps = new ArrayList<>();
    for (Map<String, Object> m : Trees.mapList(spec, "initContainers")) {
      String name = Trees.string(m, "name");
      String of = facts.copies.getOrDefault(name, name);
      boolean sidecar =
          "Always".equals(Trees.string(m, "restartPolicy")) && nodes == Nodes.NATIVE_SIDECARS;
      Gate gate =
          !sidecar ? Gate.COMPLETED : m.containsKey("startupProbe") ? Gate.READY : Gate.STARTED;
      steps.add(
          new Step(
              name,
              of,
              roles.getOrDefault(of, Role.INIT),
              sidecar ? Runs.NATIVE_SIDECAR : Runs.INIT_CONTAINER,
              gate,
              facts.idleOn.get(name) == nodes));
    }
    for (Map<String, Object> m : Trees.mapList(spec, "containers")) {
      String name = Trees.string(m, "name");
      String of = facts.copies.getOrDefault(name, name);
      steps.add(
          new Step(
              name,
              of,
              roles.getOrDefault(of, Role.APP),
              Runs.REGULAR_CONTAINER,
              facts.gated.contains(name) ? Gate.READY : Gate.STARTED,
              facts.idleOn.get(name) == nodes));
    }
    List<Unhonoured> unhonoured = new ArrayList<>(startEdges(steps, edges));
    List<List<String>> stop;
    if (nodes == Nodes.NATIVE_SIDECARS) {
      stop = nativeStop(steps);
    } else {
      stop = regularStop(steps, facts);
      unhonoured.addAll(stopEdges(steps, order, facts));
    }
    return new KubeletOrder(nodes, steps, stop, unhonoured);
  }

  /** Edges of the sorted order the kubelet's order on these nodes reverses. */
  private static List<Unhonoured> startEdges(List<Step> steps, List<Edge> edges) {
    Map<String, Integer> at = acting(steps);
    List<Unhonoured> out = new ArrayList<>();
    for (Edge e : edges) {
      Integer a = at.get(e.first());
      Integer b = at.get(e.then());
      if (a == null || b == null || a < b) {
        continue;
      }
      Step first = steps.get(a);
      Step then = steps.get(b);
      String reason =
          first.runs() == Runs.REGULAR_CONTAINER && then.runs() == Runs.INIT_CONTAINER
              ? first.container()
                  + " runs as a regular container here, and the kubelet starts regular containers"
                  + " only after every init container"
              : "the rendered pod starts " + then.container() + " first";
      out.add(new Unhonoured(Phase.START, e.first(), e.then(), reason, e));
    }
    return out;
  }

  /**
   * Native sidecars: the regular containers stop first, together; then the native sidecars, one at
   * a time in reverse start order.
   */
  private static List<List<String>> nativeStop(List<Step> steps) {
    List<List<String>> stop = new ArrayList<>();
    List<String> regular =
        steps.stream()
            .filter(s -> s.runs() == Runs.REGULAR_CONTAINER)
            .map(Step::container)
            .toList();
    if (!regular.isEmpty()) {
      stop.add(regular);
    }
    List<Step> sidecars =
        new ArrayList<>(steps.stream().filter(s -> s.runs() == Runs.NATIVE_SIDECAR).toList());
    Collections.reverse(sidecars);
    sidecars.forEach(s -> stop.add(List.of(s.container())));
    return stop;
  }

  /**
   * Regular containers all get their preStop hook at once: a container stops after those its
   * preStop waits for, the others with the first group.
   */
  private static List<List<String>> regularStop(List<Step> steps, Facts facts) {
    Map<String, Integer> levels = new HashMap<>();
    TreeMap<Integer, List<String>> groups = new TreeMap<>();
    for (Step s : steps) {
      if (s.runs() == Runs.REGULAR_CONTAINER) {
        int level = s.idle() ? 0 : level(s.of(), facts, levels, new HashSet<>());
        groups.computeIfAbsent(level, k -> new ArrayList<>()).add(s.container());
      }
    }
    return new ArrayList<>(groups.values());
  }

  private static int level(String of, Facts facts, Map<String, Integer> levels, Set<String> path) {
    Integer known = levels.get(of);
    if (known != null) {
      return known;
    }
    int level = 0;
    if (path.add(of)) {
      for (String waited : facts.stopAfter.getOrDefault(of, List.of())) {
        level = Math.max(level, 1 + level(waited, facts, levels, path));
      }
    }
    levels.put(of, level);
    return level;
  }

  /**
   * Where regular pre sidecars do not stop as native sidecars would: after every app container,
   * post sidecar and pre sidecar started after them.
   */
  private static List<Unhonoured> stopEdges(
      List<Step> steps, List<PodContainer> order, Facts facts) {
    List<Unhonoured> out = new ArrayList<>();
    List<PodContainer> pres = order.stream().filter(c -> c.role() == Role.PRE).toList();
    for (Step s : steps) {
      if (s.runs() != Runs.REGULAR_CONTAINER || s.idle() || s.role() != Role.PRE) {
        continue;
      }
      List<String> waits = facts.stopAfter.getOrDefault(s.of(), List.of());
      List<String> expected = new ArrayList<>();
      order.stream()
          .filter(c -> c.role() == Role.APP || c.role() == Role.POST)
          .forEach(c -> expected.add(c.name()));
      int at = pres.stream().map(PodContainer::name).toList().indexOf(s.of());
      pres.subList(at + 1, pres.size()).forEach(c -> expected.add(c.name()));
      for (String x : expected) {
        if (!waits.contains(x)) {
          out.add(
              new Unhonoured(
                  Phase.STOP,
                  x,
                  s.of(),
                  s.container()
                      + " cannot see "
                      + x
                      + " exit (it has no explicit command or no shell to wrap), so they stop together",
                  null));
        }
      }
    }
    return out;
  }

  /** The index of the step that does the work of each container of the sorted order. */
  private static Map<String, Integer> acting(List<Step> steps) {
    Map<String, Integer> at = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      if (!steps.get(i).idle()) {
        at.putIfAbsent(steps.get(i).of(), i);
      }
    }
    return at;
  }
}

package dev.convoy.engine.render;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.order.PodContainer;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Everything a {@link SidecarRenderer} needs for one pod: the containers in start order, the edges
 * that produced it, and what the policies add besides containers.
 *
 * @param workload the workload id (for messages)
 * @param kind the workload kind
 * @param podRestartPolicy the pod's restartPolicy ({@code Always} unless the spec says otherwise)
 * @param order every container in start order
 * @param edges the edges that hold in that order
 * @param volumes policy volumes to merge by name (the workload's own volume of a name wins)
 * @param revisions applied policy name to revision, sorted by name
 * @param sidecars the policy sidecar behind each injected pre or post container, by name (its
 *     legacy-mode settings: wait command, timeout, how it waits for the app)
 * @param file the workload's source file (for violations)
 * @param line the workload's line in that file
 */
public record PodPlan(
    String workload,
    WorkloadKind kind,
    String podRestartPolicy,
    List<PodContainer> order,
    List<Edge> edges,
    List<Map<String, Object>> volumes,
    SortedMap<String, String> revisions,
    Map<String, PolicySidecar> sidecars,
    String file,
    int line) {

  public PodPlan {
    order = List.copyOf(order);
    edges = List.copyOf(edges);
    volumes = List.copyOf(volumes);
    sidecars = Map.copyOf(sidecars);
  }

  /** A plan whose sidecars all use the default legacy-mode settings. */
  public PodPlan(
      String workload,
      WorkloadKind kind,
      String podRestartPolicy,
      List<PodContainer> order,
      List<Edge> edges,
      List<Map<String, Object>> volumes,
      SortedMap<String, String> revisions) {
    this(workload, kind, podRestartPolicy, order, edges, volumes, revisions, Map.of(), null, 0);
  }

  public List<PodContainer> withRole(Role role) {
    return order.stream().filter(c -> c.role() == role).toList();
  }

  public boolean injectsAnything() {
    return !revisions.isEmpty();
  }

  /**
   * Whether the pod runs to completion: a Job or CronJob, or any pod whose restartPolicy is not
   * {@code Always}. Its sidecars must not keep it from completing.
   */
  public boolean runsToCompletion() {
    return kind.runsToCompletion(podRestartPolicy);
  }

  /** The policy settings of an injected sidecar, or the defaults when the plan has none. */
  public PolicySidecar sidecar(PodContainer c) {
    PolicySidecar s = sidecars.get(c.name());
    if (s != null) {
      return s;
    }
    return new PolicySidecar(
        c.name(),
        c.role() == Role.POST
            ? dev.convoy.engine.model.Position.POST
            : dev.convoy.engine.model.Position.PRE,
        List.of(),
        List.of(),
        c.ready(),
        c.spec(),
        0);
  }
}

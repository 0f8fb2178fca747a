package dev.convoy.engine.render;

import dev.convoy.engine.facts.Edge;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.order.PodContainer;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Everything a {@link SidecarRenderer} needs for one pod: the containers in start order, the
 * edges that produced it, and what the policies add besides containers.
 *
 * @param workload the workload id (for messages)
 * @param kind the workload kind
 * @param podRestartPolicy the pod's restartPolicy ({@code Always} unless the spec says otherwise)
 * @param order every container in start order
 * @param edges the edges that hold in that order
 * @param volumes policy volumes to merge by name (the workload's own volume of a name wins)
 * @param revisions applied policy name to revision, sorted by name
 */
public record PodPlan(
    String workload,
    WorkloadKind kind,
    String podRestartPolicy,
    List<PodContainer> order,
    List<Edge> edges,
    List<Map<String, Object>> volumes,
    SortedMap<String, String> revisions) {

  public PodPlan {
    order = List.copyOf(order);
    edges = List.copyOf(edges);
    volumes = List.copyOf(volumes);
  }

  public List<PodContainer> withRole(Role role) {
    return order.stream().filter(c -> c.role() == role).toList();
  }

  public boolean injectsAnything() {
    return !revisions.isEmpty();
  }
}

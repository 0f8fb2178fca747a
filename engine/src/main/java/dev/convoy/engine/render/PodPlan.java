package dev.convoy.engine.render;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.Position;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.order.PodContainer;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * @param noShell containers whose image has no {@code /bin/sh} ({@link ImageShells})
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
    Set<String> noShell,
    String file,
    int line) {

  public PodPlan {
    order = List.copyOf(order);
    edges = List.copyOf(edges);
    volumes = List.copyOf(volumes);
    sidecars = Map.copyOf(sidecars);
    noShell = Set.copyOf(noShell);
  }

  public List<PodContainer> withRole(Role role) {
    return order.stream().filter(c -> c.role() == role).toList();
  }

  /**
   * Whether the pod runs to completion: a Job or CronJob, or any pod whose restartPolicy is not
   * {@code Always}. Its sidecars must not keep it from completing.
   */
  public boolean runsToCompletion() {
    return kind.runsToCompletion(podRestartPolicy);
  }

  /**
   * The policy settings of a pre or post sidecar; the defaults for one the plan has none of (a
   * native sidecar of the source).
   */
  public PolicySidecar sidecar(PodContainer c) {
    PolicySidecar s = sidecars.get(c.name());
    if (s != null) {
      return s;
    }
    return new PolicySidecar(
        c.name(),
        c.role() == Role.POST ? Position.POST : Position.PRE,
        List.of(),
        List.of(),
        c.ready(),
        c.spec(),
        0);
  }

  /** Whether the container's image has {@code /bin/sh}, so a wrapper or hook can run in it. */
  public boolean hasShell(PodContainer c) {
    return !noShell.contains(c.name());
  }

  /** Whether a source container is a native sidecar ({@code restartPolicy: Always}). */
  static boolean sourceSidecar(PodContainer c) {
    return c.role() == Role.PRE && !c.injected();
  }

  /** The container's explicit command, or null when it has none (the image's entrypoint runs). */
  static List<?> command(Map<String, Object> container) {
    return container.get("command") instanceof List<?> l && !l.isEmpty() ? l : null;
  }

  /** The pod's terminationGracePeriodSeconds, Kubernetes' 30 when not set. */
  static int gracePeriod(Map<String, Object> podSpec) {
    return podSpec.get("terminationGracePeriodSeconds") instanceof Number n
        ? Math.max(0, n.intValue())
        : 30;
  }
}

package dev.convoy.engine;

import dev.convoy.engine.order.PodOrder;
import dev.convoy.engine.resources.ResourceChange;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What happened to one workload for one target.
 *
 * @param id the workload id ({@code target/Kind/namespace/name})
 * @param ref {@code Kind/namespace/name}
 * @param file the source file
 * @param outcome rendered with injections, unchanged (nothing applied), or kept at its last
 *     rendered version because of violations
 * @param startOrder container names in start order (empty when not rendered)
 * @param revisions applied policies and revisions
 * @param resources the pod's effective requests and limits before (source) and after (as rendered
 *     or kept) injection; empty when a quantity in the pod spec is not valid
 * @param order the sorted start order with its edges, and how the kubelet runs the rendered pod on
 *     each kind of node the mode renders for ({@link PodOrder#NONE} when not looked at)
 */
public record WorkloadReport(
    String id,
    String ref,
    String file,
    Outcome outcome,
    List<String> startOrder,
    SortedMap<String, String> revisions,
    Optional<ResourceChange> resources,
    PodOrder order) {

  public enum Outcome {
    INJECTED,
    UNCHANGED,
    KEPT
  }

  public WorkloadReport {
    startOrder = List.copyOf(startOrder);
    resources = resources == null ? Optional.empty() : resources;
    order = order == null ? PodOrder.NONE : order;
  }

  /** A report without resource figures. */
  public WorkloadReport(
      String id,
      String ref,
      String file,
      Outcome outcome,
      List<String> startOrder,
      SortedMap<String, String> revisions) {
    this(id, ref, file, outcome, startOrder, revisions, Optional.empty(), PodOrder.NONE);
  }

  /** The same report with resource figures. */
  public WorkloadReport withResources(Optional<ResourceChange> change) {
    return new WorkloadReport(id, ref, file, outcome, startOrder, revisions, change, order);
  }

  /** The same report with the pod's order. */
  public WorkloadReport withOrder(PodOrder podOrder) {
    return new WorkloadReport(id, ref, file, outcome, startOrder, revisions, resources, podOrder);
  }
}

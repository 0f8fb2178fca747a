package dev.convoy.engine;

import java.util.List;
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
 */
public record WorkloadReport(String id, String ref, String file, Outcome outcome, List<String> startOrder, SortedMap<String, String> revisions) {

  public enum Outcome {
    INJECTED,
    UNCHANGED,
    KEPT
  }

  public WorkloadReport {
    startOrder = List.copyOf(startOrder);
  }
}

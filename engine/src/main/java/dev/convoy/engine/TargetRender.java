package dev.convoy.engine;

import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.Target;
import java.util.List;
import java.util.SortedMap;

/**
 * One target's rendered output.
 *
 * @param target the target
 * @param mode the sidecar mode used ({@code auto} resolved)
 * @param files path relative to the output folder to content, sorted, including the generated
 *     {@code kustomization.yaml}
 * @param workloads one report per workload, in source order
 */
public record TargetRender(
    Target target,
    SidecarMode mode,
    SortedMap<String, byte[]> files,
    List<WorkloadReport> workloads) {
  public TargetRender {
    workloads = List.copyOf(workloads);
  }
}

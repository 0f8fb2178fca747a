package dev.convoy.engine.review;

import dev.convoy.engine.model.SidecarMode;
import java.util.List;

/**
 * What changes in one target's rendered output.
 *
 * @param target the target name
 * @param baseMode the sidecar mode the base renders it with, or {@code null} when the base has no
 *     such target
 * @param headMode the sidecar mode the head renders it with, or {@code null} when the head has no
 *     such target
 * @param workloads workloads added, removed or changed, by file then ref
 * @param objects other objects added, removed or changed, by file then ref
 * @param rollouts upgrade rollouts whose next wave the head changes, by policy
 */
public record TargetReview(
    String target,
    SidecarMode baseMode,
    SidecarMode headMode,
    List<WorkloadChange> workloads,
    List<ObjectChange> objects,
    List<RolloutChange> rollouts) {
  public TargetReview {
    workloads = List.copyOf(workloads);
    objects = List.copyOf(objects);
    rollouts = List.copyOf(rollouts);
  }

  /** True when the head renders this target exactly as the base does, in meaning. */
  public boolean isEmpty() {
    return workloads.isEmpty() && objects.isEmpty() && rollouts.isEmpty() && baseMode == headMode;
  }
}

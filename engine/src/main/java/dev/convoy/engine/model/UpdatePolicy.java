package dev.convoy.engine.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Duration;

/**
 * How workloads move to a policy's new revision (docs/upgrades.md).
 *
 * @param strategy {@code RollingUpdate} or {@code OnDelete}
 * @param maxUnavailable workloads moved per wave: a count ({@code 5}) or a percentage ({@code 25%})
 * @param partition this many selected workloads stay on the old revision
 * @param paused no wave moves while true
 * @param canary workloads moved first
 * @param minWaveInterval least time between two waves of this policy
 */
public record UpdatePolicy(
    String strategy,
    String maxUnavailable,
    int partition,
    boolean paused,
    LabelSelector canary,
    Duration minWaveInterval) {
  public static final UpdatePolicy DEFAULT =
      new UpdatePolicy("RollingUpdate", "25%", 0, false, null, Duration.ZERO);
}

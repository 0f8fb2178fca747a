package dev.convoy.engine.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Duration;
import java.util.List;

/**
 * How workloads move to a policy's new revision ({@code spec.update}).
 *
 * @param strategy {@code RollingUpdate} or {@code OnDelete}
 * @param maxUnavailable workloads moved per wave: a count ({@code 5}) or a percentage ({@code
 *     25%}); {@code 0} holds every wave
 * @param partition this many selected workloads stay on the old revision
 * @param paused no wave moves while true
 * @param canary workloads moved first
 * @param minWaveInterval least time between two waves of this policy
 * @param gate asked before each wave after the first whether the moved workloads are healthy;
 *     {@code null} for none
 * @param onFailure {@code hold} (the default) or {@code rollback} when the gate fails
 * @param perGroup at most this many workloads of one group per wave; {@code null} for no limit
 * @param stopAfterWaves no wave moves once this many have (a pause for a human); 0 for no limit
 * @param windows the times a wave may start; any time when empty
 */
public record UpdatePolicy(
    String strategy,
    String maxUnavailable,
    int partition,
    boolean paused,
    LabelSelector canary,
    Duration minWaveInterval,
    UpdateGate gate,
    String onFailure,
    PerGroup perGroup,
    int stopAfterWaves,
    List<UpdateWindow> windows) {
  public static final UpdatePolicy DEFAULT =
      new UpdatePolicy("RollingUpdate", "25%", 0, false, null, Duration.ZERO);

  public UpdatePolicy {
    onFailure = onFailure == null ? HOLD : onFailure;
    windows = windows == null ? List.of() : List.copyOf(windows);
  }

  /** Settings without a gate, budgets per group or windows. */
  public UpdatePolicy(
      String strategy,
      String maxUnavailable,
      int partition,
      boolean paused,
      LabelSelector canary,
      Duration minWaveInterval) {
    this(
        strategy,
        maxUnavailable,
        partition,
        paused,
        canary,
        minWaveInterval,
        null,
        HOLD,
        null,
        0,
        List.of());
  }

  public static final String HOLD = "hold";
  public static final String ROLLBACK = "rollback";

  /**
   * A budget per group of workloads in one wave.
   *
   * @param label the label key whose value names a workload's group; {@code null} to group by
   *     namespace
   * @param max workloads of one group moved per wave, at least 1
   */
  public record PerGroup(String label, int max) {
    /** The group a workload belongs to. */
    public String groupOf(String namespace, java.util.Map<String, String> labels) {
      if (label == null) {
        return "namespace " + namespace;
      }
      String v = labels == null ? null : labels.get(label);
      return label + "=" + (v == null ? "" : v);
    }

    @Override
    public String toString() {
      return (label == null ? "namespace" : "label " + label) + " max " + max;
    }
  }
}

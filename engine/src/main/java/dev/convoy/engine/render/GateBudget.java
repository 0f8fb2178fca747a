package dev.convoy.engine.render;

import java.util.Map;

/**
 * How long a ready gate may hold the kubelet: what its probe would allow as a {@code startupProbe},
 * with Kubernetes' defaults for what the probe leaves out ({@code initialDelaySeconds} 0, {@code
 * periodSeconds} 10, {@code failureThreshold} 3, {@code timeoutSeconds} 1), unless the policy sets
 * {@code readyTimeoutSeconds}.
 *
 * @param seconds the gate's bound in wall seconds
 * @param checkSeconds the bound of one check ({@code timeoutSeconds})
 */
record GateBudget(int seconds, int checkSeconds) {
  static final int PERIOD_SECONDS = 10;
  static final int FAILURE_THRESHOLD = 3;
  static final int TIMEOUT_SECONDS = 1;

  /**
   * @param probe the corev1 Probe the gate polls
   * @param override the policy's {@code readyTimeoutSeconds}, or 0 to follow the probe
   */
  static GateBudget of(Map<String, Object> probe, int override) {
    int check = positive(probe, "timeoutSeconds", TIMEOUT_SECONDS);
    if (override > 0) {
      return new GateBudget(override, check);
    }
    int delay = Math.max(0, number(probe, "initialDelaySeconds", 0));
    int period = positive(probe, "periodSeconds", PERIOD_SECONDS);
    int threshold = positive(probe, "failureThreshold", FAILURE_THRESHOLD);
    return new GateBudget(delay + period * threshold, check);
  }

  /** The larger bound of two, for a gate that waits for several probes. */
  GateBudget max(GateBudget other) {
    return new GateBudget(
        Math.max(seconds, other.seconds), Math.max(checkSeconds, other.checkSeconds));
  }

  private static int positive(Map<String, Object> probe, String key, int fallback) {
    int v = number(probe, key, fallback);
    return v > 0 ? v : fallback;
  }

  private static int number(Map<String, Object> probe, String key, int fallback) {
    return probe != null && probe.get(key) instanceof Number n ? n.intValue() : fallback;
  }
}

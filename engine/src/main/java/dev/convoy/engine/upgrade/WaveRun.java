package dev.convoy.engine.upgrade;

import java.time.Instant;
import java.util.Map;

/**
 * What a run plans its waves with besides the repo and the previous output: the time, whether this
 * run may advance a wave at all, and the gates' answers.
 *
 * @param now the time waves are planned at
 * @param advance true only for the run that owns the clock ({@code reconcile}, or {@code
 *     --advance-waves}); other runs render the rollout as it stands and say what the next wave
 *     would move
 * @param gates each gate's answer, by {@code target/policy}
 */
public record WaveRun(Instant now, boolean advance, Map<String, GateAnswer> gates) {
  public WaveRun {
    gates = Map.copyOf(gates);
  }

  /** The key of {@link #gates()}. */
  public static String key(String target, String policy) {
    return target + "/" + policy;
  }

  /** The answer for a rollout, or null. */
  public GateAnswer gate(String target, String policy) {
    return gates.get(key(target, policy));
  }
}

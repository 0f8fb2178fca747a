package dev.convoy.engine.decide;

import dev.convoy.engine.facts.WorkloadFact;

/**
 * An ordering edge: container {@code first} starts before container {@code then}.
 *
 * @param workload the {@link WorkloadFact#id()}
 * @param first the container that starts first
 * @param then the container that starts after it
 * @param strength {@link Strength#REQUIRED} or {@link Strength#DEFAULT}
 * @param origin what created the edge, e.g. {@code policy mesh: after}, {@code annotation
 *     convoy.dev/start-order}, {@code rule "payments: mysql after proxy"}
 * @param policy the policy the edge comes from, or {@code null}
 * @param file the file that declares the edge
 * @param line the line that declares the edge
 */
public record Edge(
    String workload,
    String first,
    String then,
    Strength strength,
    String origin,
    String policy,
    String file,
    int line) {

  /** How binding an edge is. */
  public enum Strength {
    /** Must hold; a conflict with another required edge is a cycle violation. */
    REQUIRED,
    /**
     * Holds unless it would close a cycle with required edges. Used for "a pre sidecar starts
     * before the existing init containers, unless an edge says otherwise" (docs/reference.md,
     * Ordering).
     */
    DEFAULT
  }

  public static Edge required(
      String workload,
      String first,
      String then,
      String origin,
      String policy,
      String file,
      int line) {
    return new Edge(workload, first, then, Strength.REQUIRED, origin, policy, file, line);
  }

  @Override
  public String toString() {
    return first + " -> " + then + " (" + origin + ")";
  }
}

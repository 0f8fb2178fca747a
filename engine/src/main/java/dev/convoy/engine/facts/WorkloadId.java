package dev.convoy.engine.facts;

/**
 * A workload's id in facts, decisions and reports: {@code target/Kind/namespace/name}, unique
 * across the targets of a run. Facts carry it as the string ({@link WorkloadFact#id()}), which
 * rules join on; this is the one place that builds and splits it.
 *
 * @param target the target the workload is rendered for
 * @param ref {@code Kind/namespace/name}, as in the manifest ({@link WorkloadFact#ref()})
 */
public record WorkloadId(String target, String ref) {

  public static WorkloadId of(String target, String ref) {
    return new WorkloadId(target, ref);
  }

  /** Splits an id made by {@link #toString()}. */
  public static WorkloadId parse(String id) {
    int slash = id.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("not a workload id (target/Kind/namespace/name): " + id);
    }
    return new WorkloadId(id.substring(0, slash), id.substring(slash + 1));
  }

  /** {@code target/Kind/namespace/name}. */
  @Override
  public String toString() {
    return target + "/" + ref;
  }
}

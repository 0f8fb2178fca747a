package dev.convoy.engine.resources;

import java.util.Map;
import java.util.StringJoiner;

/**
 * A pod's effective resources before and after Convoy's injection, for the per-workload report.
 *
 * <p>{@link #toString()} names only what changed, e.g. {@code requests cpu 250m -> 350m, memory
 * 128Mi -> 192Mi; limits memory 256Mi -> unbounded}, or {@code unchanged}.
 *
 * @param before the source pod spec's effective resources
 * @param after the rendered pod spec's effective resources
 */
public record ResourceChange(EffectiveResources before, EffectiveResources after) {

  public ResourceChange {
    if (before == null || after == null) {
      throw new IllegalArgumentException("before and after must not be null");
    }
  }

  /**
   * The change between two pod specs; empty when either is missing or a quantity is invalid (the
   * checks report that elsewhere).
   */
  public static java.util.Optional<ResourceChange> between(
      Map<String, ?> before, Map<String, ?> after) {
    if (before == null || after == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(of(before, after));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** The change between two pod specs as SnakeYAML loads them. */
  public static ResourceChange of(Map<String, ?> before, Map<String, ?> after) {
    return new ResourceChange(EffectiveResources.of(before), EffectiveResources.of(after));
  }

  /** Whether any effective request or limit differs. */
  public boolean changed() {
    return !before.equals(after);
  }

  @Override
  public String toString() {
    StringJoiner parts = new StringJoiner("; ");
    describe("requests", before.requests(), after.requests(), parts);
    describe("limits", before.limits(), after.limits(), parts);
    return parts.length() == 0 ? "unchanged" : parts.toString();
  }

  private static void describe(
      String label, ResourceFigures from, ResourceFigures to, StringJoiner parts) {
    StringJoiner changes = new StringJoiner(", ");
    for (ResourceName resource : ResourceName.values()) {
      if (!from.get(resource).equals(to.get(resource))) {
        changes.add(resource.key() + " " + from.format(resource) + " -> " + to.format(resource));
      }
    }
    if (changes.length() > 0) {
      parts.add(label + " " + changes);
    }
  }
}

package dev.convoy.engine.resources;

import java.util.StringJoiner;

/**
 * A pod's effective requests, or its effective limits, for cpu, memory and ephemeral-storage.
 *
 * <p>{@link #toString()} reads like a resource list: {@code cpu: 350m, memory: 192Mi}, leaving out
 * resources that are not set ({@code none} when nothing is).
 */
public record ResourceFigures(
    ResourceFigure cpu, ResourceFigure memory, ResourceFigure ephemeralStorage) {

  /** Nothing set. */
  public static final ResourceFigures NONE =
      new ResourceFigures(ResourceFigure.NOT_SET, ResourceFigure.NOT_SET, ResourceFigure.NOT_SET);

  public ResourceFigures {
    if (cpu == null || memory == null || ephemeralStorage == null) {
      throw new IllegalArgumentException("use ResourceFigure.NOT_SET, not null");
    }
  }

  /** The figure for one resource. */
  public ResourceFigure get(ResourceName resource) {
    return switch (resource) {
      case CPU -> cpu;
      case MEMORY -> memory;
      case EPHEMERAL_STORAGE -> ephemeralStorage;
    };
  }

  /**
   * The canonical text of one resource's figure, e.g. {@code 250m}, {@code unbounded}, {@code -}.
   */
  public String format(ResourceName resource) {
    return get(resource).format(resource);
  }

  @Override
  public String toString() {
    StringJoiner joiner = new StringJoiner(", ");
    for (ResourceName resource : ResourceName.values()) {
      if (!(get(resource) instanceof ResourceFigure.NotSet)) {
        joiner.add(resource.key() + ": " + format(resource));
      }
    }
    return joiner.length() == 0 ? "none" : joiner.toString();
  }
}

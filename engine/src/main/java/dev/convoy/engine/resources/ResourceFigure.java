package dev.convoy.engine.resources;

import java.util.Optional;

/**
 * A pod's effective request or limit for one resource: not set, an amount, or (limits only)
 * unbounded.
 */
public sealed interface ResourceFigure
    permits ResourceFigure.NotSet, ResourceFigure.Amount, ResourceFigure.Unbounded {

  /** No container of the pod (and no pod-level setting) declares the resource. */
  ResourceFigure NOT_SET = new NotSet();

  /**
   * Some containers declare a limit, but an app container does not, so the kubelet puts no
   * pod-level cap on the resource.
   */
  ResourceFigure UNBOUNDED = new Unbounded();

  /** The amount, when there is one. */
  Optional<ResourceQuantity> quantity();

  /** The canonical text: the formatted amount, {@code unbounded}, or {@code -} when not set. */
  String format(ResourceName resource);

  /** A figure that holds {@code quantity}. */
  static ResourceFigure of(ResourceQuantity quantity) {
    return new Amount(quantity);
  }

  /** See {@link ResourceFigure#NOT_SET}. */
  record NotSet() implements ResourceFigure {
    @Override
    public Optional<ResourceQuantity> quantity() {
      return Optional.empty();
    }

    @Override
    public String format(ResourceName resource) {
      return "-";
    }
  }

  /** A declared, bounded amount. */
  record Amount(ResourceQuantity value) implements ResourceFigure {
    public Amount {
      if (value == null) {
        throw new IllegalArgumentException("value must not be null");
      }
    }

    @Override
    public Optional<ResourceQuantity> quantity() {
      return Optional.of(value);
    }

    @Override
    public String format(ResourceName resource) {
      return value.format(resource);
    }
  }

  /** See {@link ResourceFigure#UNBOUNDED}. */
  record Unbounded() implements ResourceFigure {
    @Override
    public Optional<ResourceQuantity> quantity() {
      return Optional.empty();
    }

    @Override
    public String format(ResourceName resource) {
      return "unbounded";
    }
  }
}

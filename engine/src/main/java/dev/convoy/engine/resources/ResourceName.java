package dev.convoy.engine.resources;

import java.util.Optional;

/**
 * The compute resources Convoy reports for a pod, under their Kubernetes resource names.
 *
 * <p>Other resources (hugepages, extended resources such as {@code nvidia.com/gpu}) are not
 * affected by sidecar injection in ways Convoy reports, and are ignored.
 */
public enum ResourceName {
  CPU("cpu"),
  MEMORY("memory"),
  EPHEMERAL_STORAGE("ephemeral-storage");

  private final String key;

  ResourceName(String key) {
    this.key = key;
  }

  /** The key used in {@code resources.requests}, {@code resources.limits} and {@code overhead}. */
  public String key() {
    return key;
  }

  /** The resource with the given Kubernetes key, or empty for resources Convoy ignores. */
  public static Optional<ResourceName> ofKey(String key) {
    for (ResourceName name : values()) {
      if (name.key.equals(key)) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the kubelet caps this resource with the pod's cgroup. Only cpu and memory are: a
   * pod-level ephemeral-storage limit is enforced by eviction, from the plain sum of declared
   * limits (see {@link EffectiveResources}).
   */
  boolean cgroupLimited() {
    return this != EPHEMERAL_STORAGE;
  }

  @Override
  public String toString() {
    return key;
  }
}

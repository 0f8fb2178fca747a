package dev.convoy.engine.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The resource-relevant part of a pod spec, read once from either input form so that the arithmetic
 * in {@link EffectiveResources} has a single implementation.
 */
record PodResources(
    List<ContainerResources> initContainers,
    List<ContainerResources> containers,
    Map<ResourceName, ResourceQuantity> overhead,
    Map<ResourceName, ResourceQuantity> podRequests,
    Map<ResourceName, ResourceQuantity> podLimits) {

  /** One container's declared requests and limits; absent keys are undeclared. */
  record ContainerResources(
      String name,
      boolean restartable,
      Map<ResourceName, ResourceQuantity> requests,
      Map<ResourceName, ResourceQuantity> limits) {}

  static PodResources read(Map<String, ?> podSpec) {
    if (podSpec == null) {
      throw new IllegalArgumentException("pod spec must not be null");
    }
    Map<String, ?> podLevel = map(podSpec.get("resources"), "resources");
    return new PodResources(
        containers(podSpec.get("initContainers"), "initContainers"),
        containers(podSpec.get("containers"), "containers"),
        resourceList(podSpec.get("overhead"), "overhead"),
        resourceList(podLevel.get("requests"), "resources.requests"),
        resourceList(podLevel.get("limits"), "resources.limits"));
  }

  static PodResources read(PodSpec podSpec) {
    if (podSpec == null) {
      throw new IllegalArgumentException("pod spec must not be null");
    }
    ResourceRequirements podLevel = podSpec.getResources();
    return new PodResources(
        containers(podSpec.getInitContainers()),
        containers(podSpec.getContainers()),
        quantities(podSpec.getOverhead(), "overhead"),
        quantities(podLevel == null ? null : podLevel.getRequests(), "resources.requests"),
        quantities(podLevel == null ? null : podLevel.getLimits(), "resources.limits"));
  }

  private static List<ContainerResources> containers(Object value, String path) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(path + ": expected a list");
    }
    List<ContainerResources> result = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      Map<String, ?> container = map(list.get(i), at);
      Object name = container.get("name");
      if (name != null) {
        at = at + " (" + name + ")";
      }
      Map<String, ?> resources = map(container.get("resources"), at + ": resources");
      result.add(
          new ContainerResources(
              name == null ? null : name.toString(),
              "Always".equals(container.get("restartPolicy")),
              resourceList(resources.get("requests"), at + ": resources.requests"),
              resourceList(resources.get("limits"), at + ": resources.limits")));
    }
    return List.copyOf(result);
  }

  private static List<ContainerResources> containers(List<Container> list) {
    if (list == null) {
      return List.of();
    }
    List<ContainerResources> result = new ArrayList<>(list.size());
    for (Container container : list) {
      ResourceRequirements resources = container.getResources();
      String at = "container " + container.getName();
      result.add(
          new ContainerResources(
              container.getName(),
              "Always".equals(container.getRestartPolicy()),
              quantities(
                  resources == null ? null : resources.getRequests(), at + ": resources.requests"),
              quantities(
                  resources == null ? null : resources.getLimits(), at + ": resources.limits")));
    }
    return List.copyOf(result);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> map(Object value, String path) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(path + ": expected a mapping");
    }
    return (Map<String, ?>) value;
  }

  private static Map<ResourceName, ResourceQuantity> resourceList(Object value, String path) {
    Map<ResourceName, ResourceQuantity> result = new EnumMap<>(ResourceName.class);
    for (Map.Entry<String, ?> e : map(value, path).entrySet()) {
      ResourceName.ofKey(String.valueOf(e.getKey()))
          .ifPresent(name -> result.put(name, quantity(e.getValue(), path + "." + e.getKey())));
    }
    return Collections.unmodifiableMap(result);
  }

  private static Map<ResourceName, ResourceQuantity> quantities(
      Map<String, Quantity> value, String path) {
    Map<ResourceName, ResourceQuantity> result = new EnumMap<>(ResourceName.class);
    if (value != null) {
      for (Map.Entry<String, Quantity> e : value.entrySet()) {
        ResourceName.ofKey(e.getKey())
            .ifPresent(name -> result.put(name, quantity(e.getValue(), path + "." + e.getKey())));
      }
    }
    return Collections.unmodifiableMap(result);
  }

  private static ResourceQuantity quantity(Object value, String path) {
    try {
      return value instanceof Quantity q ? ResourceQuantity.of(q) : ResourceQuantity.of(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }
}

package dev.convoy.engine.resources;

import dev.convoy.engine.resources.PodResources.ContainerResources;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A pod's effective resource requests and limits, computed as the kube-scheduler and the kubelet do
 * for pods with restartable init containers ({@code PodRequests} / {@code PodLimits} in {@code
 * k8s.io/component-helpers/resource}, KEP-753).
 *
 * <p>For each resource, walking the init containers in order:
 *
 * <ul>
 *   <li>a restartable init container ({@code restartPolicy: Always}, a native sidecar) adds its
 *       value to a running sidecar sum, and to the steady-state sum, because it keeps running;
 *   <li>a regular init container needs its own value plus the sidecar sum so far (only sidecars
 *       started before it run alongside it);
 *   <li>the init requirement is the largest of those needs;
 *   <li>the pod's figure is the larger of the init requirement and the steady-state sum (every app
 *       container plus every restartable init container).
 * </ul>
 *
 * <p>A container that does not declare a resource contributes nothing for it, exactly as in
 * Kubernetes. Pod {@code overhead} is then added to every request, and to every limit that is set
 * and non-zero. Pod-level {@code resources} (PodLevelResources), when set, replace the cpu and
 * memory figures they name, as in Kubernetes.
 *
 * <p>Missing limits follow the kubelet: for cpu and memory, the pod cgroup gets a limit only when
 * every app container ({@code containers}) declares a non-zero limit (or a pod-level limit is set);
 * otherwise the figure is {@link ResourceFigure#UNBOUNDED}, even if other containers declare one.
 * Init containers, native sidecars included, do not make a pod unbounded: the kubelet only checks
 * app containers, and an init container without a limit runs under the pod cgroup's cap.
 * Ephemeral-storage has no cgroup: the kubelet evicts a pod whose usage exceeds the sum of the
 * limits that are declared, so that sum is the figure even when some containers declare none. A
 * resource no container declares is {@link ResourceFigure#NOT_SET}.
 *
 * @param requests the effective requests, what the scheduler reserves on a node
 * @param limits the effective limits, what the kubelet caps the pod at
 */
public record EffectiveResources(ResourceFigures requests, ResourceFigures limits) {

  public EffectiveResources {
    if (requests == null || limits == null) {
      throw new IllegalArgumentException("use ResourceFigures.NONE, not null");
    }
  }

  /**
   * The effective resources of a pod spec as SnakeYAML loads it: a map with {@code initContainers},
   * {@code containers}, {@code overhead} and optionally pod-level {@code resources}. Resource
   * values may be strings ({@code "100m"}) or YAML numbers.
   *
   * @throws IllegalArgumentException naming the container and field when a quantity is invalid or
   *     the spec is not shaped like a pod spec
   */
  public static EffectiveResources of(Map<String, ?> podSpec) {
    return compute(PodResources.read(podSpec));
  }

  /** The effective resources of a fabric8 {@link PodSpec}; see {@link #of(Map)}. */
  public static EffectiveResources of(PodSpec podSpec) {
    return compute(PodResources.read(podSpec));
  }

  private static EffectiveResources compute(PodResources pod) {
    Map<ResourceName, ResourceQuantity> requests = aggregate(pod, ContainerResources::requests);
    Map<ResourceName, ResourceQuantity> limits = aggregate(pod, ContainerResources::limits);

    boolean podLevelRequests = hasCpuOrMemory(pod.podRequests());
    boolean podLevelResources = podLevelRequests || hasCpuOrMemory(pod.podLimits());
    if (podLevelRequests) {
      applyPodLevel(requests, pod.podRequests());
    }
    if (podLevelResources) {
      applyPodLevel(limits, pod.podLimits());
    }

    add(requests, pod.overhead());
    pod.overhead()
        .forEach(
            (name, quantity) -> {
              ResourceQuantity limit = limits.get(name);
              if (limit != null && !limit.isZero()) {
                limits.put(name, limit.plus(quantity));
              }
            });

    return new EffectiveResources(
        figures(requests, r -> false), figures(limits, r -> unbounded(pod, r)));
  }

  /** The KEP-753 formula over one resource list (requests or limits) of every container. */
  private static Map<ResourceName, ResourceQuantity> aggregate(
      PodResources pod, Function<ContainerResources, Map<ResourceName, ResourceQuantity>> list) {
    Map<ResourceName, ResourceQuantity> steadyState = new EnumMap<>(ResourceName.class);
    for (ContainerResources container : pod.containers()) {
      add(steadyState, list.apply(container));
    }
    Map<ResourceName, ResourceQuantity> sidecars = new EnumMap<>(ResourceName.class);
    Map<ResourceName, ResourceQuantity> initPhase = new EnumMap<>(ResourceName.class);
    for (ContainerResources container : pod.initContainers()) {
      Map<ResourceName, ResourceQuantity> need;
      if (container.restartable()) {
        add(steadyState, list.apply(container));
        add(sidecars, list.apply(container));
        need = sidecars;
      } else {
        need = new EnumMap<>(ResourceName.class);
        add(need, list.apply(container));
        add(need, sidecars);
      }
      max(initPhase, need);
    }
    max(steadyState, initPhase);
    return steadyState;
  }

  private static boolean unbounded(PodResources pod, ResourceName resource) {
    if (!resource.cgroupLimited()) {
      return false;
    }
    ResourceQuantity podLevel = pod.podLimits().get(resource);
    if (podLevel != null && !podLevel.isZero()) {
      return false;
    }
    for (ContainerResources container : pod.containers()) {
      ResourceQuantity limit = container.limits().get(resource);
      if (limit == null || limit.isZero()) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCpuOrMemory(Map<ResourceName, ResourceQuantity> list) {
    return list.containsKey(ResourceName.CPU) || list.containsKey(ResourceName.MEMORY);
  }

  /** Pod-level resources support cpu and memory only; they replace the aggregated figure. */
  private static void applyPodLevel(
      Map<ResourceName, ResourceQuantity> list, Map<ResourceName, ResourceQuantity> podLevel) {
    podLevel.forEach(
        (name, quantity) -> {
          if (name != ResourceName.EPHEMERAL_STORAGE) {
            list.put(name, quantity);
          }
        });
  }

  private static void add(
      Map<ResourceName, ResourceQuantity> list, Map<ResourceName, ResourceQuantity> other) {
    other.forEach((name, quantity) -> list.merge(name, quantity, ResourceQuantity::plus));
  }

  private static void max(
      Map<ResourceName, ResourceQuantity> list, Map<ResourceName, ResourceQuantity> other) {
    other.forEach((name, quantity) -> list.merge(name, quantity, ResourceQuantity::max));
  }

  private static ResourceFigures figures(
      Map<ResourceName, ResourceQuantity> list, Predicate<ResourceName> unbounded) {
    ResourceFigure[] figures = new ResourceFigure[ResourceName.values().length];
    for (ResourceName name : ResourceName.values()) {
      ResourceQuantity quantity = list.get(name);
      figures[name.ordinal()] =
          quantity == null
              ? ResourceFigure.NOT_SET
              : unbounded.test(name) ? ResourceFigure.UNBOUNDED : ResourceFigure.of(quantity);
    }
    return new ResourceFigures(figures[0], figures[1], figures[2]);
  }

  /** Reads {@code requests {cpu: 350m, memory: 192Mi}, limits {memory: unbounded}}. */
  @Override
  public String toString() {
    return "requests {" + requests + "}, limits {" + limits + "}";
  }
}

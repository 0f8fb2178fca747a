package dev.convoy.engine.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * A SidecarPolicy document (docs/reference.md).
 *
 * @param revision content hash of what the policy injects (sidecars, init containers, volumes);
 *     selectors and the update policy do not change it
 * @param injected the raw {@code sidecars}, {@code initContainers} and {@code volumes} the revision
 *     hashes; kept in the rollout state so held workloads can render this revision later
 */
public record SidecarPolicy(
    String name,
    int priority,
    LabelSelector selector,
    LabelSelector namespaceSelector,
    List<String> namespaces,
    List<String> kinds,
    List<String> targets,
    List<PolicySidecar> sidecars,
    List<PolicyInitContainer> initContainers,
    List<Map<String, Object>> volumes,
    UpdatePolicy update,
    String revision,
    String file,
    int line,
    Map<String, Object> injected) {

  public static final String API_VERSION = "convoy.dev/v1alpha1";
  public static final String KIND = "SidecarPolicy";

  public SidecarPolicy {
    namespaces = List.copyOf(namespaces);
    kinds = List.copyOf(kinds);
    targets = List.copyOf(targets);
    sidecars = List.copyOf(sidecars);
    initContainers = List.copyOf(initContainers);
    volumes = List.copyOf(volumes);
  }
}

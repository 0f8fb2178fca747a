package dev.convoy.engine.facts;

import dev.convoy.engine.model.LabelSelectors;
import dev.convoy.engine.model.UpdatePolicy;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * A SidecarPolicy as rules see it.
 *
 * @param name metadata.name
 * @param priority higher wins when two policies inject the same container name
 * @param selector label selector over pod template labels; {@code null} selects every pod
 * @param namespaceSelector label selector over Namespace labels; {@code null} means any namespace
 * @param namespaces allow-list of namespaces; empty means any
 * @param kinds allow-list of workload kinds; empty means all workload kinds
 * @param targets allow-list of targets; empty means all targets
 * @param revision content hash of what the policy injects; changes when its sidecar spec changes
 * @param file the policy file
 * @param line the line where the policy's document starts
 * @param update how workloads move to a new revision ({@code spec.update})
 */
public record PolicyFact(
    String name,
    int priority,
    LabelSelector selector,
    LabelSelector namespaceSelector,
    List<String> namespaces,
    List<String> kinds,
    List<String> targets,
    String revision,
    String file,
    int line,
    UpdatePolicy update) {

  public PolicyFact {
    namespaces = List.copyOf(namespaces);
    kinds = List.copyOf(kinds);
    targets = List.copyOf(targets);
    update = update == null ? UpdatePolicy.DEFAULT : update;
  }

  /** A policy with the default update settings. */
  public PolicyFact(
      String name,
      int priority,
      LabelSelector selector,
      LabelSelector namespaceSelector,
      List<String> namespaces,
      List<String> kinds,
      List<String> targets,
      String revision,
      String file,
      int line) {
    this(
        name,
        priority,
        selector,
        namespaceSelector,
        namespaces,
        kinds,
        targets,
        revision,
        file,
        line,
        UpdatePolicy.DEFAULT);
  }

  /** True when the pod template labels match {@code update.canary}: such workloads move first. */
  public boolean isCanary(Map<String, String> podLabels) {
    return update.canary() != null && LabelSelectors.matches(update.canary(), podLabels);
  }

  public boolean allowsTarget(String target) {
    return targets.isEmpty() || targets.contains(target);
  }

  public boolean allowsKind(String kind) {
    return kinds.isEmpty() || kinds.contains(kind);
  }

  public boolean allowsNamespace(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }

  /** True when the selector matches the given pod template labels. */
  public boolean selects(Map<String, String> podLabels) {
    return LabelSelectors.matches(selector, podLabels);
  }

  /** True when the namespace selector matches the given Namespace labels. */
  public boolean selectsNamespace(Map<String, String> namespaceLabels) {
    return LabelSelectors.matches(namespaceSelector, namespaceLabels);
  }

  /**
   * Why the selector matches, e.g. {@code matchLabels mesh=enabled}, for {@code convoy explain}.
   */
  public String describeSelector() {
    return "selector " + LabelSelectors.describe(selector);
  }
}

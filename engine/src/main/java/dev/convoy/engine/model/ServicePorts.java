package dev.convoy.engine.model;

import java.util.List;
import java.util.Map;

/**
 * A Service of the sources, as much of it as port checks need: which pods it selects and which
 * container ports it targets by name.
 *
 * @param namespace its namespace ({@code default} when the manifest has none)
 * @param name metadata.name
 * @param selector spec.selector (a Service without one selects no pods)
 * @param targetPortNames the {@code targetPort} values of its ports that are names, not numbers
 * @param file the source file
 * @param line the line its document starts at
 */
public record ServicePorts(
    String namespace,
    String name,
    Map<String, String> selector,
    List<String> targetPortNames,
    String file,
    int line) {
  public ServicePorts {
    selector = Map.copyOf(selector);
    targetPortNames = List.copyOf(targetPortNames);
  }

  /** True when this Service sends traffic to a pod with these labels in {@code namespace}. */
  public boolean selects(String podNamespace, Map<String, String> podLabels) {
    if (selector.isEmpty() || !namespace.equals(podNamespace)) {
      return false;
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(podLabels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}

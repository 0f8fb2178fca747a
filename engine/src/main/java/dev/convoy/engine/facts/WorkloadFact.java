package dev.convoy.engine.facts;

import dev.convoy.engine.model.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod-bearing object (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout)
 * as rendered for one target.
 *
 * @param id unique across targets: {@code target/Kind/namespace/name}; other facts refer to it
 * @param target the target this workload is rendered for
 * @param kind the Kubernetes kind, e.g. {@code Deployment}
 * @param namespace the object's namespace, {@code default} when the manifest has none
 * @param name the object's name
 * @param labels the pod template's labels (what policy selectors match)
 * @param annotations the object's annotations overlaid by the pod template's
 * @param podRestartPolicy the pod's restartPolicy ({@code Always}, {@code OnFailure}, {@code
 *     Never})
 * @param file the source file, relative to the config repo
 * @param line the 1-based line where the object's document starts
 */
public record WorkloadFact(
    String id,
    String target,
    String kind,
    String namespace,
    String name,
    Map<String, String> labels,
    Map<String, String> annotations,
    String podRestartPolicy,
    String file,
    int line) {

  /** Annotation by which a workload opts out of policies: a comma-separated list of names. */
  public static final String EXCLUDE_ANNOTATION = "convoy.dev/exclude";

  /** Annotation declaring start order: {@code "proxy < mysql-client < app"}. */
  public static final String START_ORDER_ANNOTATION = "convoy.dev/start-order";

  public WorkloadFact {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  /** {@code Kind/namespace/name}, how users name a workload on the command line. */
  public String ref() {
    return kind + "/" + namespace + "/" + name;
  }

  public String label(String key) {
    return labels.get(key);
  }

  public String annotation(String key) {
    return annotations.get(key);
  }

  /** True when the workload opts out of the named policy with {@value #EXCLUDE_ANNOTATION}. */
  public boolean excludes(String policy) {
    String value = annotations.get(EXCLUDE_ANNOTATION);
    if (value == null) {
      return false;
    }
    for (String item : value.split(",")) {
      String trimmed = item.trim();
      if (trimmed.equals(policy) || trimmed.equals("*")) {
        return true;
      }
    }
    return false;
  }

  /**
   * True for pods that run to completion (Job, CronJob, or a pod whose restartPolicy is not
   * Always).
   */
  public boolean runsToCompletion() {
    WorkloadKind k = WorkloadKind.of(kind);
    return k != null ? k.runsToCompletion(podRestartPolicy) : !"Always".equals(podRestartPolicy);
  }

  /**
   * The pairs declared by {@value #START_ORDER_ANNOTATION}, each {@code [first, then]}; empty when
   * absent. Malformed values yield no pairs; the built-in rules report them.
   */
  public List<List<String>> startOrder() {
    String value = annotations.get(START_ORDER_ANNOTATION);
    List<List<String>> pairs = new ArrayList<>();
    if (value == null || !isWellFormedStartOrder(value)) {
      return pairs;
    }
    for (String chain : value.split("[,;\\n]")) {
      if (chain.isBlank()) {
        continue;
      }
      String[] names = chain.split("<");
      for (int i = 0; i + 1 < names.length; i++) {
        pairs.add(List.of(names[i].trim(), names[i + 1].trim()));
      }
    }
    return pairs;
  }

  /** True when {@value #START_ORDER_ANNOTATION} is absent or parses as chains of names. */
  public boolean hasWellFormedStartOrder() {
    String value = annotations.get(START_ORDER_ANNOTATION);
    return value == null || isWellFormedStartOrder(value);
  }

  /**
   * A container the annotation orders before itself ({@code "app < app"}), or {@code null}: no pod
   * can honour that edge.
   */
  public String startOrderSelfEdge() {
    String value = annotations.get(START_ORDER_ANNOTATION);
    if (value == null) {
      return null;
    }
    for (String chain : value.split("[,;\\n]")) {
      String[] names = chain.split("<", -1);
      for (int i = 0; i + 1 < names.length; i++) {
        String name = names[i].trim();
        if (!name.isEmpty() && name.equals(names[i + 1].trim())) {
          return name;
        }
      }
    }
    return null;
  }

  private static boolean isWellFormedStartOrder(String value) {
    boolean any = false;
    for (String chain : value.split("[,;\\n]")) {
      if (chain.isBlank()) {
        continue;
      }
      String[] names = chain.split("<", -1);
      if (names.length < 2) {
        return false;
      }
      for (int i = 0; i < names.length; i++) {
        String name = names[i].trim();
        if (!dev.convoy.engine.model.KubernetesNames.isDnsLabel(name)
            || (i > 0 && name.equals(names[i - 1].trim()))) {
          return false; // not a container name, or a container before itself
        }
      }
      any = true;
    }
    return any;
  }
}

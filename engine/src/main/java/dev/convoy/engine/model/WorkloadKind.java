package dev.convoy.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The pod-bearing kinds Convoy injects into, the API group each belongs to, and where each keeps
 * its pod template.
 */
public enum WorkloadKind {
  POD("Pod", "", List.of()),
  DEPLOYMENT("Deployment", "apps", List.of("spec", "template")),
  STATEFUL_SET("StatefulSet", "apps", List.of("spec", "template")),
  DAEMON_SET("DaemonSet", "apps", List.of("spec", "template")),
  REPLICA_SET("ReplicaSet", "apps", List.of("spec", "template")),
  REPLICATION_CONTROLLER("ReplicationController", "", List.of("spec", "template")),
  POD_TEMPLATE("PodTemplate", "", List.of("template")),
  JOB("Job", "batch", List.of("spec", "template")),
  CRON_JOB("CronJob", "batch", List.of("spec", "jobTemplate", "spec", "template")),
  ROLLOUT("Rollout", "argoproj.io", List.of("spec", "template"));

  private final String kind;
  private final String group;
  private final List<String> templatePath;

  WorkloadKind(String kind, String group, List<String> templatePath) {
    this.kind = kind;
    this.group = group;
    this.templatePath = templatePath;
  }

  /**
   * The API group ({@code apps}; empty for the core group): a CRD may reuse a kind name such as
   * {@code Rollout}.
   */
  public String group() {
    return group;
  }

  /** The workload kind of an object with this kind and apiVersion, or {@code null}. */
  public static WorkloadKind of(String kind, String apiVersion) {
    WorkloadKind k = of(kind);
    if (k == null || apiVersion == null) {
      return null;
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    return k.group.equals(group) ? k : null;
  }

  /** The Kubernetes kind name. */
  public String kind() {
    return kind;
  }

  /**
   * Keys from the object to its pod template ({@code metadata} + {@code spec}); empty for a Pod.
   */
  public List<String> templatePath() {
    return templatePath;
  }

  /**
   * The pod template inside an object of this kind: the object itself for a Pod; null when missing.
   */
  public Map<String, Object> podTemplateOf(Map<String, Object> object) {
    return Trees.at(object, templatePath);
  }

  /** Whether pods of this kind run to completion whatever their restartPolicy: Job, CronJob. */
  public boolean runsToCompletion() {
    return this == JOB || this == CRON_JOB;
  }

  /**
   * Whether a pod of this kind with this {@code restartPolicy} runs to completion: a Job or
   * CronJob, or any pod whose restartPolicy is not {@code Always}. Its sidecars must not keep it
   * from completing.
   */
  public boolean runsToCompletion(String podRestartPolicy) {
    return runsToCompletion() || !"Always".equals(podRestartPolicy);
  }

  /** The workload kind with this name, or {@code null} for every other kind. */
  public static WorkloadKind of(String kind) {
    if (kind == null) {
      return null;
    }
    for (WorkloadKind k : values()) {
      if (k.kind.equals(kind)) {
        return k;
      }
    }
    return null;
  }

  public static String names() {
    return Arrays.stream(values()).map(WorkloadKind::kind).collect(Collectors.joining(", "));
  }
}

package dev.convoy.rules;

import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.facts.ContainerFact;
import dev.convoy.engine.facts.NamespaceFact;
import dev.convoy.engine.facts.PolicyContainer;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.WorkloadFact;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds {@link Facts} for tests: workloads of target {@code prod}, policies, namespaces. */
final class TestFacts {
  static final String TARGET = "prod";

  private final List<WorkloadFact> workloads = new ArrayList<>();
  private final List<ContainerFact> containers = new ArrayList<>();
  private final List<NamespaceFact> namespaces = new ArrayList<>();
  private final List<PolicyFact> policies = new ArrayList<>();
  private final List<PolicyContainer> policyContainers = new ArrayList<>();

  /** A Deployment rendered for {@value #TARGET}, declared at line 1 of manifests/NAME.yaml. */
  static WorkloadFact deployment(
      String namespace, String name, Map<String, String> labels, Map<String, String> annotations) {
    return workload("Deployment", namespace, name, labels, annotations);
  }

  static WorkloadFact workload(
      String kind,
      String namespace,
      String name,
      Map<String, String> labels,
      Map<String, String> annotations) {
    return new WorkloadFact(
        TARGET + "/" + kind + "/" + namespace + "/" + name,
        TARGET,
        kind,
        namespace,
        name,
        labels,
        annotations,
        "Always",
        "manifests/" + name + ".yaml",
        1);
  }

  static String id(String namespace, String name) {
    return TARGET + "/Deployment/" + namespace + "/" + name;
  }

  static LabelSelector matchLabels(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(labels).build();
  }

  /** A policy in policies/NAME.yaml (document at line 1) selecting pods with these labels. */
  static PolicyFact policy(String name, int priority, Map<String, String> selector) {
    return new PolicyFact(
        name,
        priority,
        matchLabels(selector),
        null,
        List.of(),
        List.of(),
        List.of(),
        name + "-rev1",
        "policies/" + name + ".yaml",
        1);
  }

  static PolicyContainer sidecar(
      String policy, String name, Role role, List<String> after, List<String> before) {
    return new PolicyContainer(
        policy,
        policy + "-rev1",
        name,
        role,
        after,
        before,
        role == Role.PRE,
        "policies/" + policy + ".yaml",
        10);
  }

  /** Pre sidecars get a ready probe by default; this one has none. */
  static PolicyContainer withoutReady(PolicyContainer c) {
    return new PolicyContainer(
        c.policy(),
        c.revision(),
        c.name(),
        c.role(),
        c.after(),
        c.before(),
        false,
        c.file(),
        c.line());
  }

  static PolicyContainer pre(String policy, String name) {
    return sidecar(policy, name, Role.PRE, List.of(), List.of());
  }

  static PolicyContainer post(String policy, String name) {
    return sidecar(policy, name, Role.POST, List.of(), List.of());
  }

  /**
   * Adds a workload with its containers: {@code "init:cert-init"} is an init container, a plain
   * name an app container, each indexed in the order given per role.
   */
  TestFacts add(WorkloadFact workload, String... pod) {
    workloads.add(workload);
    int init = 0;
    int app = 0;
    for (String container : pod) {
      if (container.startsWith("init:")) {
        containers.add(
            ContainerFact.existing(workload.id(), container.substring(5), Role.INIT, init++));
      } else {
        containers.add(ContainerFact.existing(workload.id(), container, Role.APP, app++));
      }
    }
    return this;
  }

  TestFacts add(PolicyFact policy, PolicyContainer... sidecars) {
    policies.add(policy);
    policyContainers.addAll(List.of(sidecars));
    return this;
  }

  TestFacts add(NamespaceFact namespace) {
    namespaces.add(namespace);
    return this;
  }

  Facts facts() {
    return new Facts(workloads, containers, namespaces, policies, policyContainers);
  }
}

package dev.convoy.rules;

import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.facts.ContainerFact;
import dev.convoy.engine.facts.NamespaceFact;
import dev.convoy.engine.facts.PolicyContainer;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.WorkloadFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded synthetic fleet for determinism tests and the benchmark: N Deployments in 20 namespaces,
 * each with one init and two app containers and {@code labelsPerWorkload} of the policies' {@code
 * feature-i=on} labels; policy i injects a pre sidecar (even i) or a post one. Every 7th policy
 * reuses the container name of the one before it (priority collisions), and one pair has equal
 * priority (duplicate-container); some workloads carry start-order and exclude annotations, a few
 * malformed or naming missing containers (violations).
 */
final class SyntheticFleet {
  private SyntheticFleet() {}

  static Facts facts(int workloadCount, int policyCount, int labelsPerWorkload) {
    Random random = new Random(42);
    List<WorkloadFact> workloads = new ArrayList<>();
    List<ContainerFact> containers = new ArrayList<>();
    List<NamespaceFact> namespaces = new ArrayList<>();
    List<PolicyFact> policies = new ArrayList<>();
    List<PolicyContainer> policyContainers = new ArrayList<>();
    for (int n = 0; n < 20; n++) {
      namespaces.add(new NamespaceFact("ns-" + n, Map.of("tier", n % 2 == 0 ? "even" : "odd")));
    }
    for (int p = 0; p < policyCount; p++) {
      String name = "policy-" + p;
      String container = p % 7 == 6 ? "sidecar-" + (p - 1) : "sidecar-" + p;
      int priority = p == policyCount - 1 ? policyCount - 2 : p;
      if (p == policyCount - 1) {
        container = "sidecar-" + (p - 1);
      }
      policies.add(
          new PolicyFact(
              name,
              priority,
              TestFacts.matchLabels(Map.of("feature-" + p, "on")),
              p % 5 == 4 ? TestFacts.matchLabels(Map.of("tier", "even")) : null,
              List.of(),
              List.of(),
              List.of(),
              name + "-rev",
              "policies/" + name + ".yaml",
              1));
      policyContainers.add(
          new PolicyContainer(
              name,
              name + "-rev",
              container,
              p % 2 == 0 ? Role.PRE : Role.POST,
              p % 3 == 0 ? List.of("init") : List.of(),
              List.of(),
              true,
              "policies/" + name + ".yaml",
              12));
    }
    for (int w = 0; w < workloadCount; w++) {
      String namespace = "ns-" + (w % 20);
      String name = "app-" + w;
      Map<String, String> labels = new HashMap<>();
      labels.put("app", name);
      for (int l = 0; l < labelsPerWorkload; l++) {
        labels.put("feature-" + random.nextInt(policyCount), "on");
      }
      Map<String, String> annotations = new HashMap<>();
      if (w % 10 == 0) {
        annotations.put(WorkloadFact.START_ORDER_ANNOTATION, "init < main < helper");
      } else if (w % 97 == 0) {
        annotations.put(WorkloadFact.START_ORDER_ANNOTATION, "main << helper");
      } else if (w % 89 == 0) {
        annotations.put(WorkloadFact.START_ORDER_ANNOTATION, "ghost < main");
      }
      if (w % 13 == 0) {
        annotations.put(WorkloadFact.EXCLUDE_ANNOTATION, "policy-" + random.nextInt(policyCount));
      }
      WorkloadFact workload =
          new WorkloadFact(
              "prod/Deployment/" + namespace + "/" + name,
              "prod",
              "Deployment",
              namespace,
              name,
              labels,
              annotations,
              "Always",
              "manifests/" + name + ".yaml",
              1);
      workloads.add(workload);
      containers.add(ContainerFact.existing(workload.id(), "init", Role.INIT, 0));
      containers.add(ContainerFact.existing(workload.id(), "main", Role.APP, 0));
      containers.add(ContainerFact.existing(workload.id(), "helper", Role.APP, 1));
    }
    return new Facts(workloads, containers, namespaces, policies, policyContainers);
  }
}

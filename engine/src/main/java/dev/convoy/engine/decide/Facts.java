package dev.convoy.engine.decide;

import dev.convoy.engine.facts.ContainerFact;
import dev.convoy.engine.facts.DeployedRevision;
import dev.convoy.engine.facts.NamespaceFact;
import dev.convoy.engine.facts.PolicyContainer;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.WorkloadFact;
import java.util.List;

/** Everything the engine hands to the rules for one run: every target's workloads at once. */
public record Facts(
    List<WorkloadFact> workloads,
    List<ContainerFact> containers,
    List<NamespaceFact> namespaces,
    List<PolicyFact> policies,
    List<PolicyContainer> policyContainers,
    List<DeployedRevision> deployedRevisions) {

  public Facts {
    workloads = List.copyOf(workloads);
    containers = List.copyOf(containers);
    namespaces = List.copyOf(namespaces);
    policies = List.copyOf(policies);
    policyContainers = List.copyOf(policyContainers);
    deployedRevisions = List.copyOf(deployedRevisions);
  }

  /** Facts of a run with no rollout in progress. */
  public Facts(
      List<WorkloadFact> workloads,
      List<ContainerFact> containers,
      List<NamespaceFact> namespaces,
      List<PolicyFact> policies,
      List<PolicyContainer> policyContainers) {
    this(workloads, containers, namespaces, policies, policyContainers, List.of());
  }

  public int size() {
    return workloads.size()
        + containers.size()
        + namespaces.size()
        + policies.size()
        + policyContainers.size()
        + deployedRevisions.size();
  }
}

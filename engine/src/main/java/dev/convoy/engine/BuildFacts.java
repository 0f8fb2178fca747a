package dev.convoy.engine;

import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.facts.ContainerFact;
import dev.convoy.engine.facts.DeployedRevision;
import dev.convoy.engine.facts.NamespaceFact;
import dev.convoy.engine.facts.PolicyContainer;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.WorkloadFact;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.PolicyInitContainer;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.upgrade.Revisions;
import dev.convoy.engine.upgrade.RolloutState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Step 1 of a run: the facts the rules read. One {@link WorkloadFact} and its containers per
 * workload and target, the namespaces, every policy and the containers of every revision in use,
 * and, while a rollout is in progress, what each workload runs today.
 */
final class BuildFacts {
  private final LoadedRepo repo;
  private final List<Map<String, Object>> templates;
  private final Revisions revisions;

  /**
   * @param templates each workload's pod template without an earlier injection, in repo order
   */
  BuildFacts(LoadedRepo repo, List<Map<String, Object>> templates, Revisions revisions) {
    this.repo = repo;
    this.templates = templates;
    this.revisions = revisions;
  }

  /** What each workload runs of the policies whose rollout may be in progress (all parts). */
  List<DeployedRevision> deployed(
      Map<String, RolloutState> states, Map<String, Map<String, byte[]>> previousOutput) {
    return new DeployedRevisions(repo, revisions)
        .of(repo.config().targets(), states, previousOutput);
  }

  /**
   * The facts of one part of the fleet: its workloads in every target, what {@code deployed} says
   * they run, and the policies and namespaces whole.
   */
  Facts build(FleetPart part, List<DeployedRevision> deployed) {
    List<Target> targets = repo.config().targets();
    List<WorkloadFact> workloadFacts = new ArrayList<>();
    List<ContainerFact> containers = new ArrayList<>();
    for (Target target : targets) {
      List<Workload> workloads = repo.workloads();
      for (int i = part.from(); i < part.to(); i++) {
        workload(target, workloads.get(i), templates.get(i), workloadFacts, containers);
      }
    }
    List<NamespaceFact> namespaces = new ArrayList<>();
    repo.namespaceLabels()
        .forEach((name, labels) -> namespaces.add(new NamespaceFact(name, labels)));
    boolean whole = part.from() == 0 && part.to() == repo.workloads().size();
    return new Facts(
        workloadFacts,
        containers,
        namespaces,
        policyFacts(repo),
        policyContainers(),
        whole ? deployed : ofWorkloads(deployed, DeployedRevision::workload, workloadFacts));
  }

  /** The items that belong to one of {@code workloads}. */
  static <T> List<T> ofWorkloads(
      List<T> items,
      java.util.function.Function<T, String> workload,
      List<WorkloadFact> workloads) {
    if (items.isEmpty()) {
      return items;
    }
    Set<String> ids = new HashSet<>();
    workloads.forEach(w -> ids.add(w.id()));
    return items.stream().filter(i -> ids.contains(workload.apply(i))).toList();
  }

  /** The facts of the repo's policies, the same in every part. */
  static List<PolicyFact> policyFacts(LoadedRepo repo) {
    List<PolicyFact> policyFacts = new ArrayList<>();
    for (SidecarPolicy p : repo.policies()) {
      policyFacts.add(
          new PolicyFact(
              p.name(),
              p.priority(),
              p.selector(),
              p.namespaceSelector(),
              p.namespaces(),
              p.kinds(),
              p.targets(),
              p.revision(),
              p.file(),
              p.line(),
              p.update()));
    }
    return policyFacts;
  }

  private static void workload(
      Target target,
      Workload w,
      Map<String, Object> template,
      List<WorkloadFact> workloadFacts,
      List<ContainerFact> containers) {
    Map<String, Object> spec = Trees.map(template, "spec");
    String id = RenderTargets.id(target, w);
    Map<String, String> annotations =
        new LinkedHashMap<>(Trees.stringMap(Trees.map(w.object(), "metadata"), "annotations"));
    annotations.putAll(Trees.stringMap(Trees.map(template, "metadata"), "annotations"));
    workloadFacts.add(
        new WorkloadFact(
            id,
            target.name(),
            w.kind().kind(),
            w.effectiveNamespace(),
            w.name(),
            Trees.stringMap(Trees.map(template, "metadata"), "labels"),
            annotations,
            PodTemplates.restartPolicy(w, spec),
            w.file(),
            w.line()));
    List<Map<String, Object>> inits = Trees.mapList(spec, "initContainers");
    for (int c = 0; c < inits.size(); c++) {
      Role role = InjectedContainers.nativeSidecar(inits.get(c)) ? Role.PRE : Role.INIT;
      containers.add(ContainerFact.existing(id, Trees.string(inits.get(c), "name"), role, c));
    }
    List<Map<String, Object>> apps = Trees.mapList(spec, "containers");
    for (int c = 0; c < apps.size(); c++) {
      containers.add(ContainerFact.existing(id, Trees.string(apps.get(c), "name"), Role.APP, c));
    }
  }

  /** The containers of every revision in use: the current ones and those held workloads run. */
  private List<PolicyContainer> policyContainers() {
    List<PolicyContainer> out = new ArrayList<>();
    for (SidecarPolicy p : revisions.all()) {
      for (PolicyInitContainer c : p.initContainers()) {
        out.add(
            new PolicyContainer(
                p.name(),
                p.revision(),
                c.name(),
                Role.INIT,
                List.of(),
                List.of(),
                false,
                p.file(),
                c.line()));
      }
      for (PolicySidecar s : p.sidecars()) {
        out.add(
            new PolicyContainer(
                p.name(),
                p.revision(),
                s.name(),
                Role.of(s.position()),
                s.after(),
                s.before(),
                s.ready() != null,
                p.file(),
                s.line()));
      }
    }
    return out;
  }
}

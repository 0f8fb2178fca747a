package dev.convoy.engine;

import dev.convoy.engine.check.FindPodProblems;
import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.PolicyRules;
import dev.convoy.engine.decide.RuleSession;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.ContainerFact;
import dev.convoy.engine.facts.DeployedRevision;
import dev.convoy.engine.facts.EffectiveResourcesFact;
import dev.convoy.engine.facts.NamespaceFact;
import dev.convoy.engine.facts.PolicyContainer;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.WorkloadFact;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.PolicyInitContainer;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.order.OrderResult;
import dev.convoy.engine.order.PodContainer;
import dev.convoy.engine.order.StartOrder;
import dev.convoy.engine.output.OutputFiles;
import dev.convoy.engine.render.InjectionRecord;
import dev.convoy.engine.render.PodPlan;
import dev.convoy.engine.render.RenderedPod;
import dev.convoy.engine.render.SidecarRenderer;
import dev.convoy.engine.resources.ResourceChange;
import dev.convoy.engine.upgrade.Revisions;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.engine.upgrade.UpgradeWaves;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Renders every target of a loaded config repo: builds the facts, asks the rules for decisions in
 * one session, orders each pod's containers and renders them for the target's sidecar mode. A pure
 * function of the repo, the rules and the previous output: no I/O.
 *
 * <pre>{@code
 * RenderResult result = RenderRun.of(repo).setRules(rules).setPreviousOutput("prod", files).call();
 * }</pre>
 */
public final class RenderRun {
  private final LoadedRepo repo;
  private PolicyRules rules;
  private final Map<String, Map<String, byte[]>> previousOutput = new HashMap<>();
  private RenderListener listener = RenderListener.NONE;
  private Instant now;

  private RenderRun(LoadedRepo repo) {
    this.repo = repo;
  }

  public static RenderRun of(LoadedRepo repo) {
    return new RenderRun(repo);
  }

  public RenderRun setRules(PolicyRules rules) {
    this.rules = rules;
    return this;
  }

  /**
   * The files a target rendered last time (relative to its output folder). A workload with errors
   * keeps its document from there; without it, its source document is passed through.
   */
  public RenderRun setPreviousOutput(String target, Map<String, byte[]> files) {
    previousOutput.put(target, files);
    return this;
  }

  /**
   * The time upgrade waves are planned at (CONTRACT section 5: {@code minWaveInterval}); the clock
   * when not set. Callers that must reproduce a run pass the time it ran at.
   */
  public RenderRun setNow(Instant now) {
    this.now = now;
    return this;
  }

  public RenderRun setListener(RenderListener listener) {
    this.listener = listener;
    return this;
  }

  public RenderResult call() {
    if (rules == null) {
      throw new IllegalStateException("setRules(..) first");
    }
    long t0 = System.nanoTime();
    List<Target> targets = repo.config().targets();
    // Injections from an earlier run are removed first, so rendered output renders to itself.
    List<Map<String, Object>> cleanTemplates =
        repo.workloads().parallelStream().map(RenderRun::cleanTemplate).toList();
    Map<String, SidecarPolicy> policies = new LinkedHashMap<>();
    repo.policies().forEach(p -> policies.put(p.name(), p));
    Instant runAt = now != null ? now : Instant.now();
    Map<String, RolloutState> states = new HashMap<>();
    for (Target target : targets) {
      states.put(
          target.name(), RolloutState.of(previousOutput.getOrDefault(target.name(), Map.of())));
    }
    Revisions revisions = Revisions.of(policies, states.values());
    Facts facts = facts(targets, cleanTemplates, revisions, states);
    long t1 = phase("facts", t0);

    Decisions decisions;
    List<TargetRender> renders = new ArrayList<>();
    List<Violation> violations;
    List<List<WorkloadRendering>> perTarget = new ArrayList<>();
    long t2;
    try (RuleSession session = rules.open(facts)) {
      decisions = session.decisions();
      // The wave is cut once the rules have ranked the candidates; held workloads then get
      // their injection at the revision they run, and rules see the decisions in one session.
      if (!decisions.upgradeCandidates().isEmpty()) {
        Map<String, PolicyFact> policyFacts = new HashMap<>();
        facts.policies().forEach(p -> policyFacts.put(p.name(), p));
        decisions = session.insertAndFire(UpgradeWaves.plan(decisions, policyFacts, states, runAt));
      }
      t2 = phase("rules", t1);

      Map<String, List<Injection>> injections = group(decisions.injections(), Injection::workload);
      Map<String, List<Edge>> edges = group(decisions.edges(), Edge::workload);
      violations = new ArrayList<>(decisions.violations());
      Set<String> failing = failing(violations);

      List<EffectiveResourcesFact> late = new ArrayList<>();
      for (Target target : targets) {
        modeWarning(target).ifPresent(violations::add);
        SidecarMode mode = target.effectiveMode();
        List<Workload> workloads = repo.workloads();
        List<WorkloadRendering> rendered =
            new ArrayList<>(
                IntStream.range(0, workloads.size())
                    .parallel()
                    .mapToObj(
                        i ->
                            renderWorkload(
                                target,
                                mode,
                                workloads.get(i),
                                cleanTemplates.get(i),
                                revisions,
                                injections.getOrDefault(id(target, workloads.get(i)), List.of()),
                                edges.getOrDefault(id(target, workloads.get(i)), List.of()),
                                failing.contains(id(target, workloads.get(i)))))
                    .toList());
        violations.addAll(
            FindPodProblems.hostPortClashes(
                workloads,
                w ->
                    injections.getOrDefault(id(target, w), List.of()).stream()
                        .map(i -> revisions.at(i.policy(), i.revision()))
                        .toList(),
                w -> id(target, w)));
        for (WorkloadRendering r : rendered) {
          violations.addAll(r.violations);
          if (r.report.outcome() != WorkloadReport.Outcome.KEPT) {
            r.report
                .resources()
                .ifPresent(
                    c ->
                        late.add(new EffectiveResourcesFact(r.report.id(), c.before(), c.after())));
          }
        }
        perTarget.add(rendered);
      }
      long t3 = phase("render", t2);

      // Budget rules see what rendering did; an error they raise keeps the workload as it was.
      if (!late.isEmpty()) {
        Set<Violation> known = new java.util.HashSet<>(decisions.violations());
        decisions = session.insertAndFire(late);
        List<Violation> raised =
            decisions.violations().stream().filter(v -> !known.contains(v)).toList();
        violations.addAll(raised);
        Set<String> lateFailing = failing(raised);
        if (!lateFailing.isEmpty()) {
          for (List<WorkloadRendering> rendered : perTarget) {
            rendered.replaceAll(
                r -> lateFailing.contains(r.report.id()) ? kept(r.workload, r.report.id()) : r);
          }
        }
        t3 = phase("late rules", t3);
      }
      t2 = t3;
    }
    // Printing needs no rules: the session (hundreds of MB of Rete memory at 10,000 workloads)
    // is closed first so it is not live while the output is built.
    for (int t = 0; t < targets.size(); t++) {
      Target target = targets.get(t);
      List<WorkloadRendering> rendered = perTarget.get(t);
      OutputFiles output =
          new OutputFiles(repo, previousOutput.getOrDefault(target.name(), Map.of()));
      List<Map<String, Object>> objects = rendered.stream().map(WorkloadRendering::object).toList();
      SortedMap<String, byte[]> files = output.render(objects);
      RolloutState state =
          revisions.stateAfter(
              states.get(target.name()),
              target.name(),
              inUse(repo.workloads(), objects),
              decisions.waves(),
              runAt);
      if (!state.policies().isEmpty()) {
        files.put(RolloutState.FILE, state.print());
      }
      renders.add(
          new TargetRender(
              target,
              target.effectiveMode(),
              files,
              rendered.stream().map(WorkloadRendering::report).toList()));
    }
    phase("output", t2);
    violations.sort(
        Comparator.comparing((Violation v) -> v.file() == null ? "" : v.file())
            .thenComparingInt(Violation::line)
            .thenComparing(v -> v.workload() == null ? "" : v.workload())
            .thenComparing(Violation::message));
    return new RenderResult(renders, violations, decisions, revisions);
  }

  private static Set<String> failing(List<Violation> violations) {
    Set<String> failing = new java.util.HashSet<>();
    for (Violation v : violations) {
      if (v.severity() == Severity.ERROR && v.workload() != null) {
        failing.add(v.workload());
      }
    }
    return failing;
  }

  /**
   * Native sidecars on a cluster too old for them: the kubelet would run them as init containers
   * that never finish.
   */
  static java.util.Optional<Violation> modeWarning(Target target) {
    return target
        .kubernetesVersion()
        .filter(v -> target.sidecarMode() == SidecarMode.NATIVE && !v.supportsNativeSidecars())
        .map(
            v ->
                Violation.warning(
                    "mode-version-mismatch",
                    "target "
                        + target.name()
                        + " asks for native sidecars on Kubernetes "
                        + v
                        + ", which has them from "
                        + dev.convoy.engine.model.KubernetesVersion.NATIVE_SIDECARS
                        + " only: pods would hang in Init (use sidecarMode: auto, legacy or universal)",
                    null,
                    null,
                    "convoy.yaml",
                    0));
  }

  private long phase(String name, long since) {
    long now = System.nanoTime();
    listener.phaseFinished(name, Duration.ofNanos(now - since));
    return now;
  }

  static String id(Target target, Workload w) {
    return target.name() + "/" + w.ref();
  }

  /**
   * The workload's pod template without an earlier injection. Copied only when there is one to
   * strip (re-rendering rendered output): otherwise the loaded template itself, which nothing below
   * modifies, so 10,000 workloads do not mean 10,000 template copies held for the run.
   */
  private static Map<String, Object> cleanTemplate(Workload w) {
    Map<String, Object> loaded = w.podTemplate();
    if (!InjectionRecord.isRecorded(loaded)) {
      return loaded;
    }
    Map<String, Object> template = Trees.copy(loaded);
    InjectionRecord.strip(template);
    return template;
  }

  private Facts facts(
      List<Target> targets,
      List<Map<String, Object>> templates,
      Revisions revisions,
      Map<String, RolloutState> states) {
    List<WorkloadFact> workloadFacts = new ArrayList<>();
    List<ContainerFact> containers = new ArrayList<>();
    List<Workload> workloads = repo.workloads();
    for (Target target : targets) {
      for (int i = 0; i < workloads.size(); i++) {
        Workload w = workloads.get(i);
        Map<String, Object> template = templates.get(i);
        Map<String, Object> spec = Trees.map(template, "spec");
        String id = id(target, w);
        Map<String, String> annotations =
            new LinkedHashMap<>(Trees.stringMap(Trees.map(w.object(), "metadata"), "annotations"));
        annotations.putAll(Trees.stringMap(Trees.map(template, "metadata"), "annotations"));
        String restartPolicy = Trees.string(spec, "restartPolicy");
        workloadFacts.add(
            new WorkloadFact(
                id,
                target.name(),
                w.kind().kind(),
                w.effectiveNamespace(),
                w.name(),
                Trees.stringMap(Trees.map(template, "metadata"), "labels"),
                annotations,
                restartPolicy != null
                    ? restartPolicy
                    : (w.kind().runsToCompletion() ? "Never" : "Always"),
                w.file(),
                w.line()));
        List<Map<String, Object>> inits = Trees.mapList(spec, "initContainers");
        for (int c = 0; c < inits.size(); c++) {
          containers.add(
              ContainerFact.existing(id, Trees.string(inits.get(c), "name"), Role.INIT, c));
        }
        List<Map<String, Object>> apps = Trees.mapList(spec, "containers");
        for (int c = 0; c < apps.size(); c++) {
          containers.add(
              ContainerFact.existing(id, Trees.string(apps.get(c), "name"), Role.APP, c));
        }
      }
    }
    List<NamespaceFact> namespaces = new ArrayList<>();
    repo.namespaceLabels()
        .forEach((name, labels) -> namespaces.add(new NamespaceFact(name, labels)));
    List<PolicyFact> policyFacts = new ArrayList<>();
    List<PolicyContainer> policyContainers = new ArrayList<>();
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
    // Every revision in use, the current ones and those held workloads still run.
    for (SidecarPolicy p : revisions.all()) {
      for (PolicyInitContainer c : p.initContainers()) {
        policyContainers.add(
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
        policyContainers.add(
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
    return new Facts(
        workloadFacts,
        containers,
        namespaces,
        policyFacts,
        policyContainers,
        deployedRevisions(targets, revisions, states));
  }

  /**
   * What each workload runs of the policies whose rollout may be in progress, from the previous
   * output's injection record. Only read while some older revision is still recorded, so a
   * steady-state run parses no previous output at all.
   */
  private List<DeployedRevision> deployedRevisions(
      List<Target> targets, Revisions revisions, Map<String, RolloutState> states) {
    List<DeployedRevision> out = new ArrayList<>();
    for (Target target : targets) {
      Set<String> rolling = revisions.rolling(states.get(target.name()));
      if (rolling.isEmpty()) {
        continue;
      }
      Map<String, byte[]> previous = previousOutput.getOrDefault(target.name(), Map.of());
      out.addAll(
          repo.workloads().parallelStream()
              .flatMap(
                  w -> {
                    Map<String, Object> template =
                        w.kind().podTemplateOf(OutputFiles.previousDocument(previous, w));
                    if (template == null) {
                      return java.util.stream.Stream.<DeployedRevision>empty();
                    }
                    return InjectionRecord.revisions(template).entrySet().stream()
                        .filter(
                            e ->
                                rolling.contains(e.getKey())
                                    && revisions.isOlder(e.getKey(), e.getValue()))
                        .map(e -> new DeployedRevision(id(target, w), e.getKey(), e.getValue()));
                  })
              .toList());
    }
    return out;
  }

  /** Policy name to the revisions each workload's rendered object carries. */
  private static List<SortedMap<String, String>> inUse(
      List<Workload> workloads, List<Map<String, Object>> objects) {
    List<SortedMap<String, String>> out = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      Map<String, Object> template = workloads.get(i).kind().podTemplateOf(objects.get(i));
      out.add(template == null ? new TreeMap<>() : InjectionRecord.revisions(template));
    }
    return out;
  }

  /** A workload's rendered object (or what is kept instead), its report, and a cycle if found. */
  record WorkloadRendering(
      Workload workload,
      Map<String, Object> object,
      WorkloadReport report,
      List<Violation> violations) {
    WorkloadRendering {
      violations = List.copyOf(violations);
    }
  }

  private WorkloadRendering renderWorkload(
      Target target,
      SidecarMode mode,
      Workload w,
      Map<String, Object> cleanTemplate,
      Revisions policies,
      List<Injection> injections,
      List<Edge> edges,
      boolean failing) {
    String id = id(target, w);
    if (failing) {
      return kept(w, id);
    }
    Map<String, Object> spec = Trees.map(cleanTemplate, "spec");
    List<PodContainer> containers = new ArrayList<>();
    List<Map<String, Object>> inits = Trees.mapList(spec, "initContainers");
    for (int i = 0; i < inits.size(); i++) {
      containers.add(
          new PodContainer(
              Trees.string(inits.get(i), "name"), Role.INIT, i, null, 0, inits.get(i), null));
    }
    List<Map<String, Object>> apps = Trees.mapList(spec, "containers");
    for (int i = 0; i < apps.size(); i++) {
      containers.add(
          new PodContainer(
              Trees.string(apps.get(i), "name"), Role.APP, i, null, 0, apps.get(i), null));
    }
    SortedMap<String, String> revisions = new TreeMap<>();
    Set<String> injectedNames = new LinkedHashSet<>();
    Map<String, PolicySidecar> sidecars = new HashMap<>();
    List<Map<String, Object>> volumes = new ArrayList<>();
    List<SidecarPolicy> applied =
        injections.stream()
            .map(i -> policies.at(i.policy(), i.revision()))
            .sorted(
                Comparator.comparingInt(SidecarPolicy::priority)
                    .reversed()
                    .thenComparing(SidecarPolicy::name))
            .toList();
    for (Injection injection : injections) {
      revisions.put(injection.policy(), injection.revision());
    }
    for (SidecarPolicy p : applied) {
      for (PolicyInitContainer c : p.initContainers()) {
        containers.add(
            new PodContainer(c.name(), Role.INIT, -1, p.name(), p.priority(), c.container(), null));
        injectedNames.add(c.name());
      }
      for (PolicySidecar s : p.sidecars()) {
        containers.add(
            new PodContainer(
                s.name(),
                Role.of(s.position()),
                -1,
                p.name(),
                p.priority(),
                s.container(),
                s.ready()));
        injectedNames.add(s.name());
        sidecars.put(s.name(), s);
      }
      volumes.addAll(p.volumes());
    }
    // What the API server would refuse or traffic would break on: the workload is kept as it was.
    List<Violation> problems =
        FindPodProblems.in(
            id,
            w,
            cleanTemplate,
            applied,
            repo.services().getOrDefault(w.effectiveNamespace(), List.of()));
    if (problems.stream().anyMatch(v -> v.severity() == Severity.ERROR)) {
      WorkloadRendering k = kept(w, id);
      return new WorkloadRendering(w, k.object, k.report, problems);
    }
    if (applied.isEmpty()) {
      List<String> names = containers.stream().map(PodContainer::name).toList();
      return new WorkloadRendering(
          w,
          w.object(),
          new WorkloadReport(
                  id, w.ref(), w.file(), WorkloadReport.Outcome.UNCHANGED, names, revisions)
              .withResources(resources(spec, spec)),
          List.of());
    }
    OrderResult order = StartOrder.sort(id, containers, edges);
    if (order instanceof OrderResult.Cycle cycle) {
      Edge blame = cycle.edges().stream().filter(e -> e.file() != null).findFirst().orElse(null);
      String origins =
          cycle.edges().stream().map(Edge::toString).reduce((a, b) -> a + "; " + b).orElse("");
      Violation v =
          Violation.error(
              "cycle",
              "start order has a cycle: " + cycle.describe() + " [" + origins + "]",
              id,
              blame == null ? null : blame.policy(),
              blame == null ? w.file() : blame.file(),
              blame == null ? w.line() : blame.line());
      WorkloadRendering k = kept(w, id);
      return new WorkloadRendering(w, k.object, k.report, List.of(v));
    }
    OrderResult.Sorted sorted = (OrderResult.Sorted) order;
    Set<String> sourceVolumes = new java.util.HashSet<>();
    Trees.mapList(spec, "volumes").forEach(v -> sourceVolumes.add(Trees.string(v, "name")));
    Set<String> injectedVolumes = new java.util.TreeSet<>();
    for (Map<String, Object> v : volumes) {
      if (!sourceVolumes.contains(Trees.string(v, "name"))) {
        injectedVolumes.add(Trees.string(v, "name"));
      }
    }
    String restartPolicy = Trees.string(spec, "restartPolicy");
    PodPlan plan =
        new PodPlan(
            id,
            w.kind(),
            restartPolicy != null
                ? restartPolicy
                : (w.kind().runsToCompletion() ? "Never" : "Always"),
            sorted.order(),
            sorted.edges(),
            volumes,
            revisions,
            sidecars,
            w.file(),
            w.line());
    // Renderers build a new spec (copying every container they change) and never modify the
    // one they are given; only the template's annotations change here, so copy that path alone.
    Map<String, Object> template = withOwnAnnotations(cleanTemplate);
    RenderedPod pod = SidecarRenderer.forMode(mode).render(Trees.map(template, "spec"), plan);
    if (pod.violations().stream().anyMatch(v -> v.severity() == Severity.ERROR)) {
      WorkloadRendering k = kept(w, id);
      return new WorkloadRendering(w, k.object, k.report, pod.violations());
    }
    template.put("spec", pod.spec());
    injectedNames.addAll(pod.containers());
    injectedVolumes.addAll(pod.volumes());
    InjectionRecord.write(template, revisions, injectedNames, injectedVolumes);
    Map<String, Object> object = withTemplate(w, template);
    return new WorkloadRendering(
        w,
        object,
        new WorkloadReport(
                id, w.ref(), w.file(), WorkloadReport.Outcome.INJECTED, sorted.names(), revisions)
            .withResources(resources(spec, pod.spec())),
        pod.violations());
  }

  /** A shallow copy of a pod template whose metadata and annotations maps are its own. */
  private static Map<String, Object> withOwnAnnotations(Map<String, Object> template) {
    Map<String, Object> out = new LinkedHashMap<>(template);
    Map<String, Object> metadata = Trees.map(template, "metadata");
    if (metadata != null) {
      Map<String, Object> ownMetadata = new LinkedHashMap<>(metadata);
      Map<String, Object> annotations = Trees.map(metadata, "annotations");
      if (annotations != null) {
        ownMetadata.put("annotations", new LinkedHashMap<>(annotations));
      }
      out.put("metadata", ownMetadata);
    }
    return out;
  }

  private WorkloadRendering kept(Workload w, String id) {
    Map<String, Object> previous =
        OutputFiles.previousDocument(
            previousOutput.getOrDefault(id.substring(0, id.indexOf('/')), Map.of()), w);
    Map<String, Object> object = previous != null ? previous : w.object();
    Map<String, Object> before = Trees.map(w.podTemplate(), "spec");
    Map<String, Object> keptTemplate = w.kind().podTemplateOf(object);
    return new WorkloadRendering(
        w,
        object,
        new WorkloadReport(
                id, w.ref(), w.file(), WorkloadReport.Outcome.KEPT, List.of(), new TreeMap<>())
            .withResources(
                resources(
                    cleanSpec(w), keptTemplate == null ? before : Trees.map(keptTemplate, "spec"))),
        List.of());
  }

  private static Map<String, Object> cleanSpec(Workload w) {
    return Trees.map(cleanTemplate(w), "spec");
  }

  /**
   * Effective resources before and after; empty when the spec has an invalid quantity (reported
   * elsewhere).
   */
  private static java.util.Optional<ResourceChange> resources(
      Map<String, Object> before, Map<String, Object> after) {
    if (before == null || after == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(ResourceChange.of(before, after));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** A copy of the object with its pod template replaced; the loaded object is never changed. */
  private static Map<String, Object> withTemplate(Workload w, Map<String, Object> template) {
    List<String> path = w.kind().templatePath();
    if (path.isEmpty()) {
      return template;
    }
    return replaceAt(w.object(), path, 0, template);
  }

  private static Map<String, Object> replaceAt(
      Map<String, Object> node, List<String> path, int depth, Map<String, Object> value) {
    Map<String, Object> out = new LinkedHashMap<>(node);
    String key = path.get(depth);
    out.put(
        key,
        depth == path.size() - 1 ? value : replaceAt(Trees.map(node, key), path, depth + 1, value));
    return out;
  }

  private static <T> Map<String, List<T>> group(
      List<T> items, java.util.function.Function<T, String> key) {
    Map<String, List<T>> out = new HashMap<>();
    for (T item : items) {
      out.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
    }
    return out;
  }
}

package dev.convoy.engine.review;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.TargetRender;
import dev.convoy.engine.WorkloadReport;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.PolicyInitContainer;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.output.OutputFiles;
import dev.convoy.engine.render.InjectionRecord;
import dev.convoy.engine.resources.ResourceChange;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two renders of a config repo by meaning: {@code Review review =
 * CompareRenders.between(base, head)}.
 *
 * <p>Only files whose bytes differ are parsed, so a change that touches a few workloads of a large
 * fleet costs a few parses. Within them, objects are matched by kind, namespace and name across
 * files (a workload that moved to another file is not added and removed) and compared as trees, so
 * key order, comments and formatting never show. Every object is passed through {@link Redaction}
 * first.
 */
public final class CompareRenders {
  private static final Set<String> RECORD_ANNOTATIONS =
      Set.of(InjectionRecord.INJECTED, InjectionRecord.CONTAINERS, InjectionRecord.VOLUMES);

  private CompareRenders() {}

  /** What the head changes against the base. */
  public static Review between(RenderResult base, RenderResult head) {
    Map<String, TargetRender> baseTargets = new LinkedHashMap<>();
    base.targets().forEach(t -> baseTargets.put(t.target().name(), t));
    Map<String, TargetRender> headTargets = new LinkedHashMap<>();
    head.targets().forEach(t -> headTargets.put(t.target().name(), t));
    Set<String> names = new LinkedHashSet<>(headTargets.keySet());
    names.addAll(baseTargets.keySet());
    List<TargetReview> targets = new ArrayList<>();
    for (String name : names) {
      targets.add(new Side(base, baseTargets.get(name), head, headTargets.get(name)).review(name));
    }
    return new Review(targets, violations(base.violations(), head.violations()));
  }

  /** New, fixed and unchanged violations; messages redacted. */
  static ViolationChanges violations(List<Violation> base, List<Violation> head) {
    Map<List<Object>, Violation> b = new LinkedHashMap<>();
    base.forEach(v -> b.putIfAbsent(identity(v), v));
    Map<List<Object>, Violation> h = new LinkedHashMap<>();
    head.forEach(v -> h.putIfAbsent(identity(v), v));
    List<Violation> added = new ArrayList<>();
    List<Violation> unchanged = new ArrayList<>();
    h.forEach((k, v) -> (b.containsKey(k) ? unchanged : added).add(redacted(v)));
    List<Violation> fixed = new ArrayList<>();
    b.forEach(
        (k, v) -> {
          if (!h.containsKey(k)) {
            fixed.add(redacted(v));
          }
        });
    for (List<Violation> l : List.of(added, fixed, unchanged)) {
      l.sort(VIOLATION_ORDER);
    }
    return new ViolationChanges(added, fixed, unchanged);
  }

  private static final Comparator<Violation> VIOLATION_ORDER =
      Comparator.comparing((Violation v) -> Objects.toString(v.file(), ""))
          .thenComparingInt(Violation::line)
          .thenComparing(v -> Objects.toString(v.workload(), ""))
          .thenComparing(Violation::code)
          .thenComparing(Violation::message);

  private static List<Object> identity(Violation v) {
    return Arrays.asList(v.severity(), v.code(), v.workload(), v.policy(), v.file(), v.message());
  }

  private static Violation redacted(Violation v) {
    return new Violation(
        v.severity(),
        v.code(),
        Redaction.text(v.message()),
        v.workload(),
        v.policy(),
        v.file(),
        v.line());
  }

  /** One rendered object, redacted, with where it came from. */
  private record Rendered(
      String key,
      String apiVersion,
      String kind,
      String namespace,
      String name,
      String file,
      Map<String, Object> object) {
    String workloadRef() {
      return kind + "/" + (namespace == null ? "default" : namespace) + "/" + name;
    }
  }

  /** One target on both sides; either may be missing. */
  private record Side(
      RenderResult baseResult, TargetRender base, RenderResult headResult, TargetRender head) {

    TargetReview review(String name) {
      Map<String, byte[]> before = base == null ? Map.of() : base.files();
      Map<String, byte[]> after = head == null ? Map.of() : head.files();
      Set<String> changed = new TreeSet<>();
      for (String path : union(before.keySet(), after.keySet())) {
        if (!path.equals(RolloutState.FILE) && !Arrays.equals(before.get(path), after.get(path))) {
          changed.add(path);
        }
      }
      Map<String, Rendered> a = new LinkedHashMap<>();
      Map<String, Rendered> b = new LinkedHashMap<>();
      parseChanged(before, after, changed, a, b);
      Map<String, WorkloadReport> reportsA = reports(base);
      Map<String, WorkloadReport> reportsB = reports(head);

      List<WorkloadChange> workloads = new ArrayList<>();
      List<ObjectChange> objects = new ArrayList<>();
      for (String key : union(b.keySet(), a.keySet())) {
        Rendered ra = a.get(key);
        Rendered rb = b.get(key);
        Rendered any = rb != null ? rb : ra;
        boolean workload =
            WorkloadKind.of(any.kind()) != null
                && (reportsB.containsKey(any.workloadRef())
                    || reportsA.containsKey(any.workloadRef()));
        if (workload) {
          WorkloadChange w =
              workload(
                  ra, rb, reportsA.get(any.workloadRef()), reportsB.get(any.workloadRef()), name);
          if (w != null) {
            workloads.add(w);
          }
        } else {
          ObjectChange o = object(ra, rb);
          if (o != null) {
            objects.add(o);
          }
        }
      }
      workloads.sort(Comparator.comparing(WorkloadChange::file).thenComparing(WorkloadChange::ref));
      objects.sort(Comparator.comparing(ObjectChange::file).thenComparing(ObjectChange::ref));
      return new TargetReview(
          name,
          base == null ? null : base.mode(),
          head == null ? null : head.mode(),
          workloads,
          objects,
          rollouts(name));
    }

    private WorkloadChange workload(
        Rendered a, Rendered b, WorkloadReport reportA, WorkloadReport reportB, String target) {
      Pod pa = a == null ? Pod.NONE : Pod.of(a, baseResult);
      Pod pb = b == null ? Pod.NONE : Pod.of(b, headResult);
      Change change = a == null ? Change.ADDED : b == null ? Change.REMOVED : Change.CHANGED;

      List<PolicyChange> policies = new ArrayList<>();
      for (String p : union(pb.revisions.keySet(), pa.revisions.keySet())) {
        String ra = pa.revisions.get(p);
        String rb = pb.revisions.get(p);
        if (!Objects.equals(ra, rb)) {
          policies.add(new PolicyChange(p, ra, rb));
        }
      }

      List<String> startA = pa == Pod.NONE ? List.of() : startOrder(reportA, pa);
      List<String> startB = pb == Pod.NONE ? List.of() : startOrder(reportB, pb);
      List<ContainerChange> containers = new ArrayList<>();
      List<String> names = new ArrayList<>(union(startB, pb.containers.keySet()));
      names.addAll(union(startA, pa.containers.keySet()));
      for (String n : new LinkedHashSet<>(names)) {
        Placed ca = pa.containers.get(n);
        Placed cb = pb.containers.get(n);
        if (ca == null && cb == null) {
          continue;
        }
        if (ca == null) {
          containers.add(new ContainerChange(n, Change.ADDED, pb.injectedBy.get(n), List.of()));
        } else if (cb == null) {
          containers.add(new ContainerChange(n, Change.REMOVED, pa.injectedBy.get(n), List.of()));
        } else {
          List<FieldChange> fields = new ArrayList<>();
          if (!ca.list.equals(cb.list)) {
            fields.add(new FieldChange("placement", ca.list, cb.list));
          }
          fields.addAll(TreeDiff.between(ca.container, cb.container));
          if (!fields.isEmpty()) {
            String by = pb.injectedBy.getOrDefault(n, pa.injectedBy.get(n));
            containers.add(new ContainerChange(n, Change.CHANGED, by, fields));
          }
        }
      }

      Optional<OrderChange> order = Optional.empty();
      OrderChange o = new OrderChange(startA, startB, pa.stopOrder(startA), pb.stopOrder(startB));
      if (o.startChanged() || o.stopChanged()) {
        order = Optional.of(o);
      }

      Optional<ResourceChange> resources = Optional.empty();
      if (change == Change.ADDED) {
        resources = reportB == null ? Optional.empty() : reportB.resources();
      } else if (change == Change.CHANGED
          && reportA != null
          && reportB != null
          && reportA.resources().isPresent()
          && reportB.resources().isPresent()) {
        ResourceChange rc =
            new ResourceChange(
                reportA.resources().get().after(), reportB.resources().get().after());
        if (rc.changed()) {
          resources = Optional.of(rc);
        }
      }

      List<FieldChange> podFields =
          change == Change.CHANGED
              ? TreeDiff.between(withoutContainers(a), withoutContainers(b))
              : List.of();

      if (change == Change.CHANGED
          && policies.isEmpty()
          && containers.isEmpty()
          && order.isEmpty()
          && resources.isEmpty()
          && podFields.isEmpty()) {
        return null;
      }
      String id = target + "/" + (b != null ? b : a).workloadRef();
      Set<WaveDecision> baseWaves = new HashSet<>(waves(baseResult, id));
      List<WaveDecision> waves =
          waves(headResult, id).stream().filter(w -> !baseWaves.contains(w)).toList();
      return new WorkloadChange(
          (b != null ? b : a).workloadRef(),
          (b != null ? b : a).file(),
          change,
          policies,
          containers,
          order,
          resources,
          waves,
          podFields);
    }

    private List<RolloutChange> rollouts(String target) {
      Map<String, List<WaveDecision>> before = byRollout(baseResult, target);
      Map<String, List<WaveDecision>> after = byRollout(headResult, target);
      List<RolloutChange> out = new ArrayList<>();
      after.forEach(
          (key, waves) -> {
            if (waves.equals(before.get(key))) {
              return;
            }
            List<String> moved = new ArrayList<>();
            SortedMap<String, Integer> heldBy = new TreeMap<>();
            for (WaveDecision w : waves) {
              if (w.moves()) {
                moved.add(w.workload().substring(target.length() + 1));
              } else {
                heldBy.merge(w.reason(), 1, Integer::sum);
              }
            }
            moved.sort(null);
            WaveDecision first = waves.get(0);
            out.add(
                new RolloutChange(
                    first.policy(),
                    first.toRevision(),
                    first.wave(),
                    moved,
                    waves.size() - moved.size(),
                    heldBy));
          });
      return out;
    }
  }

  private static Map<String, List<WaveDecision>> byRollout(RenderResult result, String target) {
    Map<String, List<WaveDecision>> out = new TreeMap<>();
    if (result == null) {
      return out;
    }
    for (WaveDecision w : result.decisions().waves()) {
      if (w.workload().startsWith(target + "/")) {
        out.computeIfAbsent(w.policy() + "\n" + w.toRevision(), k -> new ArrayList<>()).add(w);
      }
    }
    out.values().forEach(l -> l.sort(Comparator.comparing(WaveDecision::workload)));
    return out;
  }

  private static List<WaveDecision> waves(RenderResult result, String id) {
    return result.decisions().waves().stream().filter(w -> w.workload().equals(id)).toList();
  }

  private static ObjectChange object(Rendered a, Rendered b) {
    Rendered any = b != null ? b : a;
    if (a == null || b == null) {
      return new ObjectChange(
          any.kind(),
          any.namespace(),
          any.name(),
          any.file(),
          a == null ? Change.ADDED : Change.REMOVED,
          List.of());
    }
    List<FieldChange> fields = TreeDiff.between(a.object(), b.object());
    return fields.isEmpty()
        ? null
        : new ObjectChange(
            any.kind(), any.namespace(), any.name(), any.file(), Change.CHANGED, fields);
  }

  /** The object without its pod's containers and Convoy's record of them: the other fields. */
  private static Map<String, Object> withoutContainers(Rendered r) {
    Map<String, Object> copy = Trees.copy(r.object());
    Map<String, Object> template = WorkloadKind.of(r.kind()).podTemplateOf(copy);
    if (template != null) {
      Map<String, Object> spec = Trees.map(template, "spec");
      if (spec != null) {
        spec.remove("initContainers");
        spec.remove("containers");
      }
      Map<String, Object> metadata = Trees.map(template, "metadata");
      Map<String, Object> annotations = Trees.map(metadata, "annotations");
      if (annotations != null) {
        annotations.keySet().removeAll(RECORD_ANNOTATIONS);
        if (annotations.isEmpty()) {
          metadata.remove("annotations");
        }
      }
    }
    return copy;
  }

  private static List<String> startOrder(WorkloadReport report, Pod pod) {
    if (report != null && !report.startOrder().isEmpty()) {
      return report.startOrder();
    }
    // Not rendered this run (kept, or unchanged without injections): the order Kubernetes uses.
    return List.copyOf(pod.containers.keySet());
  }

  private static Map<String, WorkloadReport> reports(TargetRender target) {
    Map<String, WorkloadReport> out = new HashMap<>();
    if (target != null) {
      target.workloads().forEach(w -> out.put(w.ref(), w));
    }
    return out;
  }

  /** A container and the list it is in ({@code initContainers} or {@code containers}). */
  private record Placed(String list, Map<String, Object> container) {}

  /** What a rendered pod template holds: containers by name, injections and who injected what. */
  private record Pod(
      Map<String, Placed> containers,
      SortedMap<String, String> revisions,
      Set<String> injected,
      Map<String, String> injectedBy) {
    static final Pod NONE = new Pod(Map.of(), new TreeMap<>(), Set.of(), Map.of());

    static Pod of(Rendered r, RenderResult result) {
      Map<String, Object> template = WorkloadKind.of(r.kind()).podTemplateOf(r.object());
      if (template == null) {
        return NONE;
      }
      Map<String, Object> spec = Trees.map(template, "spec");
      Map<String, Placed> containers = new LinkedHashMap<>();
      for (String list : List.of("initContainers", "containers")) {
        for (Map<String, Object> c : Trees.mapList(spec, list)) {
          String name = Trees.string(c, "name");
          if (name != null) {
            Map<String, Object> fields = new LinkedHashMap<>(c);
            fields.remove("name");
            containers.putIfAbsent(name, new Placed(list, fields));
          }
        }
      }
      SortedMap<String, String> revisions = InjectionRecord.revisions(template);
      String recorded =
          Trees.string(
              Trees.map(Trees.map(template, "metadata"), "annotations"),
              InjectionRecord.CONTAINERS);
      Set<String> injected =
          recorded == null || recorded.isBlank()
              ? Set.of()
              : new TreeSet<>(Arrays.asList(recorded.split(",")));
      Map<String, String> injectedBy = new HashMap<>();
      revisions.forEach(
          (policy, revision) -> {
            SidecarPolicy p = at(result, policy, revision);
            if (p != null) {
              p.sidecars().stream()
                  .map(PolicySidecar::name)
                  .forEach(n -> injectedBy.put(n, policy));
              p.initContainers().stream()
                  .map(PolicyInitContainer::name)
                  .forEach(n -> injectedBy.put(n, policy));
            }
          });
      for (String n : injected) {
        // A helper the renderer adds for a mode (or a revision no longer recorded): still Convoy's.
        injectedBy.putIfAbsent(n, String.join(",", revisions.keySet()));
      }
      injectedBy.keySet().retainAll(injected);
      return new Pod(containers, revisions, injected, injectedBy);
    }

    private static SidecarPolicy at(RenderResult result, String policy, String revision) {
      try {
        return result.revisions().at(policy, revision);
      } catch (IllegalStateException e) {
        return null;
      }
    }

    /**
     * Stop order as Kubernetes runs it: the regular containers (app containers and post sidecars)
     * stop together first, then the sidecars started before them, in reverse start order. Native
     * sidecars ({@code restartPolicy: Always}) and injected containers placed before the first app
     * container count as started before; one-shot init containers have long finished.
     */
    List<List<String>> stopOrder(List<String> start) {
      List<String> regular = new ArrayList<>();
      List<String> before = new ArrayList<>();
      boolean appSeen = false;
      for (String n : start) {
        Placed p = containers.get(n);
        if (p == null) {
          continue;
        }
        if (p.list.equals("initContainers")) {
          if ("Always".equals(p.container.get("restartPolicy"))) {
            before.add(n);
          }
        } else if (injected.contains(n) && !appSeen) {
          before.add(n);
        } else {
          appSeen |= !injected.contains(n);
          regular.add(n);
        }
      }
      List<List<String>> stop = new ArrayList<>();
      if (!regular.isEmpty()) {
        stop.add(regular);
      }
      for (int i = before.size() - 1; i >= 0; i--) {
        stop.add(List.of(before.get(i)));
      }
      return stop;
    }
  }

  /**
   * Parses, of every changed file, the documents that differ: rendered files are printed one
   * document per {@code ---} chunk, so a file whose chunks pair up by position parses only the
   * chunks whose bytes differ (in a fleet-wide upgrade, the workload and not its Service or
   * ConfigMap); other files are parsed whole. The objects go to {@code a} (base) and {@code b}
   * (head) by identity.
   */
  private static void parseChanged(
      Map<String, byte[]> before,
      Map<String, byte[]> after,
      Set<String> paths,
      Map<String, Rendered> a,
      Map<String, Rendered> b) {
    record Parsed(List<Rendered> base, List<Rendered> head) {}
    List<Parsed> parsed =
        paths.parallelStream()
            .map(
                path -> {
                  List<byte[]> ca = chunks(before.get(path));
                  List<byte[]> cb = chunks(after.get(path));
                  List<Rendered> ra = new ArrayList<>();
                  List<Rendered> rb = new ArrayList<>();
                  boolean paired = ca.size() == cb.size();
                  for (int i = 0; i < Math.max(ca.size(), cb.size()); i++) {
                    if (paired && Arrays.equals(ca.get(i), cb.get(i))) {
                      continue;
                    }
                    if (i < ca.size()) {
                      ra.addAll(parseChunk(path, i, ca.get(i)));
                    }
                    if (i < cb.size()) {
                      rb.addAll(parseChunk(path, i, cb.get(i)));
                    }
                  }
                  return new Parsed(ra, rb);
                })
            .toList();
    for (Parsed p : parsed) {
      add(a, p.base());
      add(b, p.head());
    }
  }

  private static void add(Map<String, Rendered> into, List<Rendered> objects) {
    for (Rendered r : objects) {
      String key = r.key();
      // Two objects with one identity (kustomize would refuse the folder): keep both apart.
      while (into.containsKey(key)) {
        key = key + "|" + r.file();
      }
      into.put(key, r);
    }
  }

  private static List<byte[]> chunks(byte[] file) {
    return OutputFiles.documents(file);
  }

  private static List<Rendered> parseChunk(String path, int chunk, byte[] bytes) {
    List<YamlDocument> docs;
    try {
      docs = ManifestParser.parse(new InputFile(path, bytes), ManifestParser.Positions.DROP);
    } catch (BadInputException e) {
      // Convoy printed this file itself; it always parses.
      throw new IllegalStateException("rendered output does not parse: " + path, e);
    }
    List<Rendered> out = new ArrayList<>();
    for (YamlDocument doc : docs) {
      Map<String, Object> m = doc.map();
      if (m == null) {
        continue;
      }
      String index = chunk + "." + doc.index();
      String kind = Trees.string(m, "kind");
      if (kind != null && kind.endsWith("List") && m.get("items") instanceof List<?> items) {
        int i = 0;
        for (Object item : items) {
          if (item instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) item;
            out.add(rendered(path, index + "." + i++, object));
          }
        }
      } else {
        out.add(rendered(path, index, m));
      }
    }
    return out;
  }

  private static Rendered rendered(String file, String index, Map<String, Object> object) {
    String apiVersion = Trees.string(object, "apiVersion");
    String kind = Objects.toString(Trees.string(object, "kind"), "?");
    Map<String, Object> metadata = Trees.map(object, "metadata");
    String name = Trees.string(metadata, "name");
    String namespace = Trees.string(metadata, "namespace");
    String group =
        apiVersion != null && apiVersion.contains("/")
            ? apiVersion.substring(0, apiVersion.indexOf('/'))
            : "";
    String key =
        name == null
            ? "file|" + file + "|" + index
            : group + "|" + kind + "|" + Objects.toString(namespace, "") + "|" + name;
    return new Rendered(key, apiVersion, kind, namespace, name, file, Redaction.object(object));
  }

  private static <T> Set<T> union(java.util.Collection<T> first, java.util.Collection<T> second) {
    Set<T> out = new LinkedHashSet<>(first);
    out.addAll(second);
    return out;
  }
}

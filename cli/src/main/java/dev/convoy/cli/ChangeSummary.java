package dev.convoy.cli;

import dev.convoy.engine.TargetRender;
import dev.convoy.engine.WorkloadReport;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.render.InjectionRecord;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed in one target's rendered output, by workload: injected for the first time, upgraded
 * (a policy revision changed), injection removed, or otherwise changed. Computed from the {@code
 * convoy.dev/injected} records of the previous and the new output, so it says the same thing on
 * every machine.
 *
 * @param target the target name
 * @param injected workloads ({@code Kind/namespace/name}) that had no injection before
 * @param upgraded workloads whose applied policies or revisions changed
 * @param removed workloads whose injection was removed, or that are gone from the output
 * @param changedFiles files added, modified or deleted in the target's output
 * @param workloadsBefore the workloads the previous output held
 * @param gone workloads of the previous output that the new one no longer holds at all (Argo CD or
 *     Flux with pruning deletes them from the cluster)
 */
record ChangeSummary(
    String target,
    List<String> injected,
    List<String> upgraded,
    List<String> removed,
    int changedFiles,
    int workloadsBefore,
    List<String> gone) {

  ChangeSummary {
    injected = List.copyOf(injected);
    upgraded = List.copyOf(upgraded);
    removed = List.copyOf(removed);
    gone = List.copyOf(gone);
  }

  /**
   * Compares a target's previous output (paths relative to the output root) with what it rendered
   * now.
   */
  static ChangeSummary of(TargetRender rendered, Map<String, byte[]> previous) {
    String target = rendered.target().name();
    Map<String, byte[]> next = rendered.files();
    Set<String> changed = new TreeSet<>();
    Set<String> paths = new TreeSet<>(previous.keySet());
    paths.addAll(next.keySet());
    for (String path : paths) {
      if (!Arrays.equals(previous.get(path), next.get(path))) {
        changed.add(path);
      }
    }
    // An unchanged file records the same injections on both sides: only changed files are read
    // (reading all of them was a quarter of a 10,000-workload first reconcile).
    SortedMap<String, SortedMap<String, String>> before = injections(previous, changed);
    // The new side comes from the render's own reports, except for workloads that kept their
    // previous document (their report records no injection): those files are read.
    Set<String> kept = new TreeSet<>();
    for (WorkloadReport w : rendered.workloads()) {
      if (w.outcome() == WorkloadReport.Outcome.KEPT && changed.contains(w.file())) {
        kept.add(w.file());
      }
    }
    SortedMap<String, SortedMap<String, String>> after = injections(next, kept);
    for (WorkloadReport w : rendered.workloads()) {
      if (w.outcome() != WorkloadReport.Outcome.KEPT && changed.contains(w.file())) {
        after.put(w.ref(), new TreeMap<>(w.revisions()));
      }
    }
    List<String> injected = new ArrayList<>();
    List<String> upgraded = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, SortedMap<String, String>> e : after.entrySet()) {
      SortedMap<String, String> old = before.getOrDefault(e.getKey(), new TreeMap<>());
      if (e.getValue().isEmpty()) {
        if (!old.isEmpty()) {
          removed.add(e.getKey());
        }
      } else if (old.isEmpty()) {
        injected.add(e.getKey());
      } else if (!old.equals(e.getValue())) {
        upgraded.add(e.getKey());
      }
    }
    for (Map.Entry<String, SortedMap<String, String>> e : before.entrySet()) {
      if (!e.getValue().isEmpty() && !after.containsKey(e.getKey())) {
        removed.add(e.getKey());
      }
    }
    // Unchanged files hold the same workloads on both sides; changed ones were parsed above.
    Set<String> now = new TreeSet<>();
    int unchangedWorkloads = 0;
    for (WorkloadReport w : rendered.workloads()) {
      now.add(w.ref());
      if (!changed.contains(w.file())) {
        unchangedWorkloads++;
      }
    }
    List<String> gone = before.keySet().stream().filter(ref -> !now.contains(ref)).toList();
    return new ChangeSummary(
        target,
        injected,
        upgraded,
        removed,
        changed.size(),
        unchangedWorkloads + before.size(),
        gone);
  }

  /**
   * Whether this change removes more than {@code maxPercent} of the target's rendered workloads, or
   * all of them: most likely a typo in {@code sources:} or a broken source branch, and pruning
   * would delete them from the cluster.
   */
  boolean removesTooMany(int maxPercent) {
    int left = workloadsBefore - gone.size();
    return !gone.isEmpty()
        && (left == 0 || gone.size() * 100L > (long) maxPercent * workloadsBefore);
  }

  /**
   * {@code prod: this change removes 9 of 9 rendered workloads (100%): Deployment/shop/cart, ...}.
   */
  String removalMessage() {
    long percent = Math.round(gone.size() * 100.0 / Math.max(1, workloadsBefore));
    List<String> shown = gone.stream().limit(5).toList();
    return target
        + ": this change removes "
        + gone.size()
        + " of "
        + workloadsBefore
        + " rendered workloads ("
        + percent
        + "%): "
        + String.join(", ", shown)
        + (gone.size() > shown.size() ? ", ... and " + (gone.size() - shown.size()) + " more" : "");
  }

  /** Whether anything at all changed. */
  boolean changed() {
    return changedFiles > 0;
  }

  /** {@code prod: 2 injected, 1 upgraded (4 files)} or {@code prod: 3 files updated}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (!injected.isEmpty()) {
      parts.add(injected.size() + " injected");
    }
    if (!upgraded.isEmpty()) {
      parts.add(upgraded.size() + " upgraded");
    }
    if (!removed.isEmpty()) {
      parts.add(removed.size() + " removed");
    }
    String files = changedFiles + (changedFiles == 1 ? " file" : " files");
    if (parts.isEmpty()) {
      return target + ": " + (changedFiles == 0 ? "no change" : files + " updated");
    }
    return target + ": " + String.join(", ", parts) + " (" + files + ")";
  }

  /**
   * The commit summary of every changed target, e.g. {@code prod: 2 injected; staging: 1 upgraded}.
   */
  static String line(List<ChangeSummary> summaries) {
    List<String> changed =
        summaries.stream().filter(ChangeSummary::changed).map(ChangeSummary::toString).toList();
    return changed.isEmpty() ? "no change" : String.join("; ", changed);
  }

  /**
   * Workload ({@code Kind/namespace/name}) to recorded policy revisions, for every workload
   * document of the given files; files are parsed in parallel and merged in path order.
   */
  private static SortedMap<String, SortedMap<String, String>> injections(
      Map<String, byte[]> files, Set<String> only) {
    List<SortedMap<String, SortedMap<String, String>>> perFile =
        only.stream()
            .filter(files::containsKey)
            .filter(path -> path.endsWith(".yaml") || path.endsWith(".yml"))
            .toList()
            .parallelStream()
            .map(path -> injections(path, files.get(path)))
            .toList();
    SortedMap<String, SortedMap<String, String>> out = new TreeMap<>();
    perFile.forEach(out::putAll);
    return out;
  }

  private static SortedMap<String, SortedMap<String, String>> injections(
      String path, byte[] bytes) {
    SortedMap<String, SortedMap<String, String>> out = new TreeMap<>();
    List<YamlDocument> documents;
    try {
      documents = ManifestParser.parse(new InputFile(path, bytes), ManifestParser.Positions.DROP);
    } catch (BadInputException e) {
      return out; // a hand-edited output file that no longer parses: it is replaced and counted as
      // a file change
    }
    for (YamlDocument doc : documents) {
      Map<String, Object> m = doc.map();
      if (m == null) {
        continue;
      }
      List<Map<String, Object>> objects = new ArrayList<>();
      objects.add(m);
      objects.addAll(Trees.mapList(m, "items"));
      for (Map<String, Object> o : objects) {
        WorkloadKind kind = o.get("kind") instanceof String k ? kindOf(k) : null;
        if (kind == null) {
          continue;
        }
        Map<String, Object> template = kind.podTemplateOf(o);
        Map<String, Object> md = Trees.map(o, "metadata");
        String namespace = Trees.string(md, "namespace");
        String ref =
            kind.kind()
                + "/"
                + (namespace == null ? "default" : namespace)
                + "/"
                + Trees.string(md, "name");
        out.put(ref, template == null ? new TreeMap<>() : InjectionRecord.revisions(template));
      }
    }
    return out;
  }

  private static WorkloadKind kindOf(String kind) {
    return WorkloadKind.of(kind);
  }
}

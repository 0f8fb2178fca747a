package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.load.LoadedRepo.SourceFile;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a pull request's head reusing what loading its base already did: a source file whose path
 * and bytes are the base's loads to the same documents and workloads (the loader is a pure function
 * of each file's bytes), so only the files the head changes go through {@link RepoLoader}, with
 * every policy and rule file. The head's checks are the base's for the files they share and the
 * loader's own for the rest.
 *
 * <p>Whenever the shortcut could differ from loading the head whole, the head is loaded whole: a
 * different convoy.yaml, a changed file with an error or with Namespace, Service or List documents
 * (their meaning reaches other files), or a workload of a changed file whose name another file uses
 * (the loader reports the duplicate). On a one-policy change to a fleet of 10,000 workloads it
 * parses one file instead of 10,000.
 */
final class HeadLoader {
  private HeadLoader() {}

  static LoadedRepo load(ConfigRepo head, ConfigRepo base, LoadedRepo baseLoaded)
      throws BadInputException {
    if (!head.config().equals(base.config())) {
      return RepoLoader.load(head);
    }
    Map<String, InputFile> baseFiles = new HashMap<>();
    base.sources().forEach(f -> baseFiles.put(f.path(), f));
    Map<String, SourceFile> baseSources = new HashMap<>();
    baseLoaded.sourceFiles().forEach(f -> baseSources.put(f.path(), f));
    Map<String, List<Workload>> baseWorkloads = new HashMap<>();
    baseLoaded
        .workloads()
        .forEach(w -> baseWorkloads.computeIfAbsent(w.file(), k -> new ArrayList<>()).add(w));

    List<InputFile> changed = new ArrayList<>();
    Set<String> reused = new HashSet<>();
    for (InputFile f : head.sources()) {
      InputFile old = baseFiles.get(f.path());
      if (old != null
          && baseSources.containsKey(f.path())
          && (old.bytes() == f.bytes() || Arrays.equals(old.bytes(), f.bytes()))) {
        reused.add(f.path());
      } else {
        changed.add(f);
      }
    }
    // The base's versions of the files the head changes or removes: their Namespaces must go too.
    for (InputFile f : base.sources()) {
      if (!reused.contains(f.path()) && mergesAcrossFiles(baseSources.get(f.path()))) {
        return RepoLoader.load(head);
      }
    }
    LoadedRepo delta;
    try {
      delta =
          RepoLoader.load(new ConfigRepo(head.config(), changed, head.policies(), head.rules()));
    } catch (BadInputException e) {
      return RepoLoader.load(head);
    }
    Map<String, SourceFile> deltaSources = new HashMap<>();
    for (SourceFile f : delta.sourceFiles()) {
      if (mergesAcrossFiles(f)) {
        return RepoLoader.load(head);
      }
      deltaSources.put(f.path(), f);
    }
    Map<String, List<Workload>> deltaWorkloads = new HashMap<>();
    delta
        .workloads()
        .forEach(w -> deltaWorkloads.computeIfAbsent(w.file(), k -> new ArrayList<>()).add(w));

    List<SourceFile> sourceFiles = new ArrayList<>();
    List<Workload> workloads = new ArrayList<>();
    Set<String> refs = new HashSet<>();
    for (InputFile f : head.sources()) {
      boolean fromBase = reused.contains(f.path());
      SourceFile file = (fromBase ? baseSources : deltaSources).get(f.path());
      if (file != null) {
        sourceFiles.add(file);
      }
      for (Workload w :
          (fromBase ? baseWorkloads : deltaWorkloads).getOrDefault(f.path(), List.of())) {
        if (!refs.add(w.ref())) {
          return RepoLoader.load(head);
        }
        workloads.add(w);
      }
    }
    return new LoadedRepo(
        head.config(),
        sourceFiles,
        workloads,
        baseLoaded.namespaceLabels(),
        delta.policies(),
        delta.ruleFiles(),
        // No changed or removed file holds a Service (else the head was loaded whole).
        baseLoaded.services(),
        head.sources().size() + head.policies().size() + head.rules().size(),
        head.skipped());
  }

  /**
   * Whether a file has documents whose meaning the loader merges across files: Namespace labels,
   * Services (the port checks of other files' pods), Lists.
   */
  private static boolean mergesAcrossFiles(SourceFile file) {
    if (file == null) {
      return false;
    }
    for (YamlDocument doc : file.documents()) {
      String kind = doc.map() == null ? null : doc.kind();
      if (kind != null
          && (kind.equals("Namespace") || kind.equals("Service") || kind.endsWith("List"))) {
        return true;
      }
    }
    return false;
  }
}

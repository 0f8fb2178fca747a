package dev.convoy.engine.load;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.input.InputLimits;
import dev.convoy.engine.load.LoadedRepo.SourceFile;
import dev.convoy.engine.model.ServicePorts;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.SharedStrings;
import dev.convoy.engine.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Parses a {@link ConfigRepo} into a {@link LoadedRepo}, reporting every input error at once. */
public final class RepoLoader {
  private RepoLoader() {}

  public static LoadedRepo load(ConfigRepo repo) throws BadInputException {
    List<InputError> errors = new ArrayList<>();
    // Files are independent: parse them on every core, keep the sorted order. Equal keys and
    // values are shared across files for this load only.
    SharedStrings strings = new SharedStrings();
    InputLimits limits = repo.config().limits();
    List<Parsed> sources =
        repo.sources().parallelStream()
            .map(f -> parse(f, ManifestParser.Positions.DROP, strings, limits))
            .toList();
    List<Parsed> policyFiles =
        repo.policies().parallelStream()
            .map(f -> parse(f, ManifestParser.Positions.KEEP, strings, limits))
            .toList();

    List<SourceFile> sourceFiles = new ArrayList<>();
    List<Workload> workloads = new ArrayList<>();
    List<ServicePorts> services = new ArrayList<>();
    Map<String, Map<String, String>> namespaces = new TreeMap<>();
    for (Parsed p : sources) {
      if (p.error != null) {
        errors.addAll(p.error.errors());
        continue;
      }
      // An empty or comment-only file (Flux's placeholder gotk-components.yaml) has nothing to
      // render: it is read, and leaves no output file.
      if (p.documents.stream().anyMatch(d -> d.content() != null)) {
        sourceFiles.add(new SourceFile(p.file.path(), p.documents));
      }
      for (YamlDocument doc : p.documents) {
        collect(doc, doc.map(), -1, workloads, services, namespaces, errors);
        if (doc.map() != null && isList(doc.map())) {
          List<Map<String, Object>> items = Trees.mapList(doc.map(), "items");
          for (int i = 0; i < items.size(); i++) {
            collect(doc, items.get(i), i, workloads, services, namespaces, errors);
          }
        }
        if (doc.content() != null && doc.map() == null) {
          errors.add(
              new InputError(
                  doc.file(),
                  doc.line(),
                  doc.index(),
                  null,
                  "a manifest must be a mapping with apiVersion and kind"));
        }
      }
    }
    checkDuplicates(workloads, errors);

    List<SidecarPolicy> policies = new ArrayList<>();
    for (Parsed p : policyFiles) {
      if (p.error != null) {
        errors.addAll(p.error.errors());
        continue;
      }
      for (YamlDocument doc : p.documents) {
        if (doc.content() == null) {
          continue;
        }
        if (doc.map() == null || !PolicyParser.isPolicy(doc)) {
          errors.add(
              new InputError(
                  doc.file(),
                  doc.line(),
                  doc.index(),
                  doc.kind(),
                  "policy folders hold SidecarPolicy documents only, found kind '"
                      + doc.kind()
                      + "'"));
          continue;
        }
        SidecarPolicy policy = PolicyParser.parse(doc, errors);
        if (policy != null) {
          policies.add(policy);
        }
      }
    }
    Map<String, SidecarPolicy> byName = new HashMap<>();
    for (SidecarPolicy policy : policies) {
      SidecarPolicy other = byName.putIfAbsent(policy.name(), policy);
      if (other != null) {
        errors.add(
            new InputError(
                policy.file(),
                policy.line(),
                0,
                "SidecarPolicy/" + policy.name(),
                "duplicate policy name, also defined at " + other.file() + ":" + other.line()));
      }
    }
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparing(InputError::file).thenComparingInt(InputError::line));
      throw new BadInputException(errors);
    }
    policies.sort(Comparator.comparing(SidecarPolicy::name));
    return new LoadedRepo(
        repo.config(),
        sourceFiles,
        workloads,
        namespaces,
        policies,
        repo.rules(),
        services.stream().collect(java.util.stream.Collectors.groupingBy(ServicePorts::namespace)),
        repo.sources().size() + repo.policies().size() + repo.rules().size(),
        repo.skipped());
  }

  private static void collect(
      YamlDocument doc,
      Map<String, Object> object,
      int item,
      List<Workload> workloads,
      List<ServicePorts> services,
      Map<String, Map<String, String>> namespaces,
      List<InputError> errors) {
    if (object == null) {
      return;
    }
    String kind = Trees.string(object, "kind");
    String apiVersion = Trees.string(object, "apiVersion");
    Map<String, Object> metadata = Trees.map(object, "metadata");
    // Argo CD and Helm hook Jobs have only a generateName; such a workload is known by it.
    String name = Trees.string(metadata, "name");
    if (name == null) {
      name = Trees.string(metadata, "generateName");
    }
    if (item < 0 && (kind == null || apiVersion == null)) {
      errors.add(
          new InputError(
              doc.file(), doc.line(), doc.index(), null, "a manifest needs apiVersion and kind"));
      return;
    }
    if ("Namespace".equals(kind) && "v1".equals(apiVersion) && name != null) {
      namespaces.put(name, Trees.stringMap(metadata, "labels"));
      return;
    }
    if ("Service".equals(kind) && "v1".equals(apiVersion) && name != null) {
      ServicePorts service = service(doc, object, metadata, name);
      // Only a Service that selects pods and targets a port by name can capture a sidecar's
      // port; keeping just those spares every injected pod a scan of the others.
      if (!service.selector().isEmpty() && !service.targetPortNames().isEmpty()) {
        services.add(service);
      }
      return;
    }
    WorkloadKind workloadKind = workloadKind(kind, apiVersion);
    if (workloadKind == null) {
      return;
    }
    String where =
        kind
            + "/"
            + (name == null ? "?" : name)
            + (item >= 0 ? " (List item " + (item + 1) + ")" : "");
    if (name == null) {
      errors.add(
          new InputError(
              doc.file(),
              doc.line(),
              doc.index(),
              where,
              "metadata.name (or metadata.generateName) is required"));
      return;
    }
    Workload w =
        new Workload(workloadKind, Trees.string(metadata, "namespace"), name, object, doc, item);
    Map<String, Object> spec = w.podSpec();
    // A Rollout may point at a Deployment's template (workloadRef): nothing to inject into.
    if (spec == null && workloadKind == WorkloadKind.ROLLOUT) {
      return;
    }
    if (spec == null || w.containers().isEmpty()) {
      errors.add(
          new InputError(
              doc.file(),
              doc.line(),
              doc.index(),
              where,
              "has no pod template containers (expected "
                  + String.join(".", workloadKind.templatePath())
                  + (workloadKind == WorkloadKind.POD ? "" : ".")
                  + "spec.containers)"));
      return;
    }
    for (Map<String, Object> c : w.initContainers()) {
      if (Trees.string(c, "name") == null) {
        errors.add(
            new InputError(
                doc.file(), doc.line(), doc.index(), where, "an init container has no name"));
      }
    }
    for (Map<String, Object> c : w.containers()) {
      if (Trees.string(c, "name") == null) {
        errors.add(
            new InputError(doc.file(), doc.line(), doc.index(), where, "a container has no name"));
      }
    }
    workloads.add(w);
  }

  private static ServicePorts service(
      YamlDocument doc, Map<String, Object> object, Map<String, Object> metadata, String name) {
    Map<String, Object> spec = Trees.map(object, "spec");
    List<String> byName = new ArrayList<>();
    for (Map<String, Object> port : Trees.mapList(spec, "ports")) {
      if (port.get("targetPort") instanceof String target && !target.matches("\\d+")) {
        byName.add(target);
      }
    }
    String namespace = Trees.string(metadata, "namespace");
    return new ServicePorts(
        namespace == null ? "default" : namespace,
        name,
        Trees.stringMap(spec, "selector"),
        byName,
        doc.file(),
        doc.line());
  }

  private static WorkloadKind workloadKind(String kind, String apiVersion) {
    return WorkloadKind.of(kind, apiVersion);
  }

  private static boolean isList(Map<String, Object> object) {
    String kind = Trees.string(object, "kind");
    return kind != null && kind.endsWith("List") && object.get("items") instanceof List;
  }

  private static void checkDuplicates(List<Workload> workloads, List<InputError> errors) {
    Map<String, Workload> seen = new HashMap<>();
    for (Workload w : workloads) {
      Workload other = seen.putIfAbsent(w.ref(), w);
      if (other != null) {
        errors.add(
            new InputError(
                w.file(),
                w.line(),
                w.document().index(),
                w.ref(),
                "defined twice: also at " + other.file() + ":" + other.line()));
      }
    }
  }

  private record Parsed(InputFile file, List<YamlDocument> documents, BadInputException error) {}

  private static Parsed parse(
      InputFile file,
      ManifestParser.Positions positions,
      SharedStrings strings,
      InputLimits limits) {
    try {
      return new Parsed(file, ManifestParser.parse(file, positions, strings, limits), null);
    } catch (BadInputException e) {
      return new Parsed(file, List.of(), e);
    }
  }
}

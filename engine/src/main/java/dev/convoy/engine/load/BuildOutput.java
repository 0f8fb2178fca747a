package dev.convoy.engine.load;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.Source;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.output.OutputFiles;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.ManifestPrinter;
import dev.convoy.engine.yaml.YamlDocument;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code kustomize build} or {@code helm template} printed for a built source, as input files
 * the loader reads like any other: one file per resource, {@code
 * <source-name>/<namespace>/<kind>-<name>.yaml} ({@code _cluster} for resources without a
 * namespace), sorted by path, so the rendered output lays out the same way on every run.
 *
 * <p>Each resource carries the file it came from in the {@code config.kubernetes.io/origin}
 * annotation (kustomize's own convention, with the path relative to the repo), so errors and {@code
 * explain} can name it.
 */
public final class BuildOutput {
  /** kustomize's annotation for the file a resource was built from. */
  public static final String ORIGIN = "config.kubernetes.io/origin";

  private static final String CLUSTER = "_cluster";

  private BuildOutput() {}

  /**
   * Splits a build's output into per-resource files.
   *
   * @param source the source that was built
   * @param output the tool's standard output: YAML documents separated by {@code ---}
   * @param originPrefix what to strip from kustomize's origin paths to make them repo paths (the
   *     path from the folder kustomize was run in to the repo root, e.g. {@code ../})
   */
  public static List<InputFile> split(Source source, byte[] output, String originPrefix)
      throws BadInputException {
    String label = describe(source);
    ManifestPrinter printer = new ManifestPrinter();
    List<Map<String, Object>> objects = new ArrayList<>();
    List<String> origins = new ArrayList<>();
    for (byte[] slice : OutputFiles.documents(output)) {
      String text = new String(slice, StandardCharsets.UTF_8);
      List<YamlDocument> docs =
          ManifestParser.parse(new InputFile(label, slice), ManifestParser.Positions.DROP);
      for (YamlDocument doc : docs) {
        if (doc.content() == null) {
          continue;
        }
        if (doc.map() == null) {
          throw new BadInputException(
              new InputError(label, 0, 0, null, "the build printed a document that is no mapping"));
        }
        Map<String, Object> object = copy(doc.map());
        if (source instanceof Source.Helm helm && helm.namespace() != null) {
          inNamespace(object, helm.namespace());
        }
        String origin = origin(source, object, text, originPrefix);
        if (origin != null) {
          annotate(object, origin);
        }
        objects.add(object);
        origins.add(origin);
      }
    }
    // Two resources of one kind and name in one namespace differ by API group: the group then
    // goes into both file names.
    Map<String, Integer> count = new HashMap<>();
    for (Map<String, Object> o : objects) {
      count.merge(file(source, o, false), 1, Integer::sum);
    }
    TreeMap<String, InputFile> files = new TreeMap<>();
    for (Map<String, Object> o : objects) {
      String path = file(source, o, count.get(file(source, o, false)) > 1);
      if (Trees.string(o, "kind") == null
          || Trees.string(Trees.map(o, "metadata"), "name") == null) {
        throw new BadInputException(
            new InputError(
                label, 0, 0, null, "the build printed a resource without kind or metadata.name"));
      }
      if (files.containsKey(path)) {
        throw new BadInputException(
            new InputError(
                label, 0, 0, null, "the build printed " + path + " twice (same kind and name)"));
      }
      files.put(path, new InputFile(path, printer.print(o).getBytes(StandardCharsets.UTF_8)));
    }
    return List.copyOf(files.values());
  }

  /** How errors name a source: {@code kustomize deploy/overlays/prod}, {@code helm charts/x}. */
  public static String describe(Source source) {
    if (source instanceof Source.Kustomize k) {
      return "kustomize " + k.path();
    }
    return source instanceof Source.Helm h ? "helm " + h.path() : source.path();
  }

  /** The origin file of a built resource, from its annotation, or null. */
  public static String originOf(Map<String, Object> object) {
    String value = Trees.stringMap(Trees.map(object, "metadata"), "annotations").get(ORIGIN);
    if (value == null) {
      return null;
    }
    for (String line : value.split("\n")) {
      if (line.startsWith("path: ")) {
        return line.substring("path: ".length()).strip();
      }
    }
    return null;
  }

  private static String origin(
      Source source, Map<String, Object> object, String text, String originPrefix) {
    if (source instanceof Source.Helm helm) {
      // helm template heads each document with "# Source: <chart-name>/templates/x.yaml".
      for (String line : text.split("\n")) {
        if (line.startsWith("# Source: ")) {
          String p = line.substring("# Source: ".length()).strip();
          int slash = p.indexOf('/');
          return slash < 0 ? helm.path() : helm.path() + p.substring(slash);
        }
      }
      return null;
    }
    String path = originOf(object);
    if (path == null) {
      return null;
    }
    String repoPath = path;
    while (repoPath.startsWith(originPrefix) && !originPrefix.isEmpty()) {
      repoPath = repoPath.substring(originPrefix.length());
    }
    return repoPath;
  }

  /**
   * Kinds that have no namespace. Helm installs every other resource without one into the release
   * namespace; the rendered file says so, so policies select it by that namespace and Argo CD or
   * Flux apply it there whatever their default.
   */
  private static final java.util.Set<String> CLUSTER_SCOPED =
      java.util.Set.of(
          "Namespace",
          "ClusterRole",
          "ClusterRoleBinding",
          "CustomResourceDefinition",
          "PersistentVolume",
          "StorageClass",
          "PriorityClass",
          "ValidatingWebhookConfiguration",
          "MutatingWebhookConfiguration",
          "ValidatingAdmissionPolicy",
          "ValidatingAdmissionPolicyBinding",
          "APIService",
          "IngressClass",
          "RuntimeClass",
          "CSIDriver",
          "VolumeSnapshotClass",
          "ClusterIssuer",
          "Node");

  private static void inNamespace(Map<String, Object> object, String namespace) {
    if (CLUSTER_SCOPED.contains(Trees.string(object, "kind"))) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata =
        (Map<String, Object>) object.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    if (Trees.string(metadata, "namespace") == null) {
      metadata.put("namespace", namespace);
    }
  }

  private static void annotate(Map<String, Object> object, String origin) {
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata =
        (Map<String, Object>) object.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    Object a = metadata.get("annotations");
    Map<String, Object> annotations =
        a instanceof Map<?, ?> m ? copy(castMap(m)) : new LinkedHashMap<>();
    annotations.put(ORIGIN, "path: " + origin + "\n");
    metadata.put("annotations", sorted(annotations));
  }

  private static Map<String, Object> sorted(Map<String, Object> m) {
    return new LinkedHashMap<>(new TreeMap<>(m));
  }

  private static String file(Source source, Map<String, Object> o, boolean withGroup) {
    Map<String, Object> md = Trees.map(o, "metadata");
    String ns = Trees.string(md, "namespace");
    String kind = String.valueOf(Trees.string(o, "kind")).toLowerCase(Locale.ROOT);
    if (withGroup) {
      String api = String.valueOf(Trees.string(o, "apiVersion"));
      int slash = api.indexOf('/');
      kind += "." + (slash < 0 ? "core" : api.substring(0, slash));
    }
    return source.name()
        + "/"
        + (ns == null || ns.isEmpty() ? CLUSTER : ns)
        + "/"
        + kind
        + "-"
        + Trees.string(md, "name")
        + ".yaml";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /** The top two levels copied, so metadata can be changed without touching the parsed tree. */
  private static Map<String, Object> copy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>(m);
    if (out.get("metadata") instanceof Map<?, ?> md) {
      out.put("metadata", new LinkedHashMap<>(castMap(md)));
    }
    return out;
  }
}

package dev.convoy.engine.model;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of {@code sources:} in convoy.yaml: a folder of plain manifests, or a kustomization or
 * Helm chart that is built first and whose output is then read as manifests.
 */
public sealed interface Source {

  /** The folder (or chart folder) in the repo the source is read or built from. */
  String path();

  /** A folder of plain YAML/JSON manifests ({@code - manifests}, or {@code - path: X}). */
  record Folder(String path, List<String> exclude, boolean optional) implements Source {
    public Folder {
      Objects.requireNonNull(path, "path");
      exclude = List.copyOf(exclude);
    }

    public Folder(String path) {
      this(path, List.of(), false);
    }

    @Override
    public String name() {
      return "";
    }

    /**
     * True when {@code file} (a repo path) is read by this folder: it is under the folder and no
     * {@code exclude} glob matches its path relative to the repo or to the folder.
     */
    public boolean selects(String file) {
      String prefix = path.isEmpty() || path.equals(".") ? "" : path + "/";
      if (!file.startsWith(prefix)) {
        return false;
      }
      return excludedBy(file).isEmpty();
    }

    /** The exclude glob that leaves {@code file} out, if one does. */
    public java.util.Optional<String> excludedBy(String file) {
      String prefix = path.isEmpty() || path.equals(".") ? "" : path + "/";
      String inFolder = file.startsWith(prefix) ? file.substring(prefix.length()) : file;
      for (String glob : exclude) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        // "**/test/**" should also match "test/x.yaml" at the top of the folder.
        PathMatcher top =
            glob.startsWith("**/")
                ? FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3))
                : m;
        for (String candidate : List.of(file, inFolder)) {
          Path p = Path.of(candidate);
          if (m.matches(p) || top.matches(p)) {
            return java.util.Optional.of(glob);
          }
        }
      }
      return java.util.Optional.empty();
    }
  }

  /**
   * A kustomization folder, built with {@code kustomize build} (or {@code kubectl kustomize}).
   *
   * @param name the folder the built resources render under; the folder's last path segment unless
   *     convoy.yaml names it
   */
  record Kustomize(String path, String name) implements Source {
    public Kustomize {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A Helm chart folder in the repo, rendered like {@code helm template}.
   *
   * @param releaseName the release name ({@code .Release.Name})
   * @param namespace the release namespace ({@code .Release.Namespace}), or null for {@code
   *     default}
   * @param valuesFiles values files in the repo, applied in order after the chart's values.yaml
   * @param set single values ({@code --set key=value}), applied last, sorted by key
   * @param includeCRDs whether the chart's {@code crds/} are rendered too
   * @param name the folder the rendered resources go under; the release name unless named
   */
  record Helm(
      String path,
      String releaseName,
      String namespace,
      List<String> valuesFiles,
      SortedMap<String, String> set,
      boolean includeCRDs,
      String name)
      implements Source {
    public Helm {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(releaseName, "releaseName");
      valuesFiles = List.copyOf(valuesFiles);
      set = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(set));
      Objects.requireNonNull(name, "name");
    }

    public Helm(String path, String releaseName, String namespace, Map<String, String> set) {
      this(path, releaseName, namespace, List.of(), new TreeMap<>(set), false, releaseName);
    }
  }

  /** True for sources that are built before they are read (kustomize and Helm). */
  default boolean built() {
    return !(this instanceof Folder);
  }

  /** The name a built source renders under; a folder has none (it keeps its own layout). */
  String name();
}

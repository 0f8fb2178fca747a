package dev.convoy.engine.load;

import dev.convoy.engine.model.Source;
import dev.convoy.engine.yaml.PlainScalar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code sources:} list of convoy.yaml (at the top or in a target): folders as strings or
 * {@code {path, exclude, optional}}, {@code {kustomize: DIR}} and {@code {helm: {chart, ...}}}.
 */
final class SourceParser {
  private static final Set<String> FOLDER = Set.of("path", "exclude", "optional");
  private static final Set<String> KUSTOMIZE = Set.of("kustomize", "name");
  private static final Set<String> HELM_ENTRY = Set.of("helm", "name");
  private static final Set<String> HELM =
      Set.of("chart", "releaseName", "namespace", "valuesFiles", "set", "includeCRDs");

  private SourceParser() {}

  /**
   * The entries of {@code parent.key}; {@code optional} collects folders marked optional, {@code
   * where} is the entry's path in errors (e.g. {@code targets[1].sources}).
   */
  static List<Source> parse(
      SchemaReader r, Object list, String where, java.util.Set<String> optional) {
    List<Source> out = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    if (!(list instanceof List<?> entries)) {
      r.error(where, "must be a list of sources (folders, {kustomize: DIR} or {helm: {...}})");
      return out;
    }
    for (int i = 0; i < entries.size(); i++) {
      String path = where + "[" + i + "]";
      Object e = entries.get(i);
      Source s = null;
      if (e instanceof String f) {
        s = inside(r, path, f) ? new Source.Folder(f) : null;
      } else if (e instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) m;
        if (entry.containsKey("kustomize")) {
          s = kustomize(r, entry, path);
        } else if (entry.containsKey("helm")) {
          s = helm(r, entry, path);
        } else {
          s = folder(r, entry, path, optional);
        }
      } else {
        r.error(
            path,
            "must be a folder, {path: FOLDER, exclude: [GLOB]}, {kustomize: DIR} or {helm: ...}");
      }
      if (s != null) {
        out.add(s);
        at.add(i);
      }
    }
    checkNames(r, out, at, where);
    return out;
  }

  private static Source folder(
      SchemaReader r, Map<String, Object> entry, String path, Set<String> optional) {
    r.rejectUnknown(entry, path, FOLDER);
    String f = r.string(entry, path, "path", true);
    if (f == null || !inside(r, path + ".path", f)) {
      return null;
    }
    boolean opt = Boolean.TRUE.equals(r.bool(entry, path, "optional"));
    if (opt) {
      optional.add(f);
    }
    List<String> exclude = r.strings(entry, path, "exclude");
    for (int j = 0; j < exclude.size(); j++) {
      try {
        java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + exclude.get(j));
      } catch (IllegalArgumentException bad) {
        r.error(path + ".exclude[" + j + "]", "is not a glob: " + bad.getMessage());
      }
    }
    return new Source.Folder(f, exclude, opt);
  }

  private static Source kustomize(SchemaReader r, Map<String, Object> entry, String path) {
    r.rejectUnknown(entry, path, KUSTOMIZE);
    String dir = r.string(entry, path, "kustomize", true);
    if (dir == null || !inside(r, path + ".kustomize", dir)) {
      return null;
    }
    String name = r.string(entry, path, "name", false);
    return new Source.Kustomize(dir, name != null ? name : lastSegment(dir));
  }

  private static Source helm(SchemaReader r, Map<String, Object> entry, String path) {
    r.rejectUnknown(entry, path, HELM_ENTRY);
    Map<String, Object> h = r.map(entry, path, "helm", true);
    if (h == null) {
      return null;
    }
    String at = path + ".helm";
    r.rejectUnknown(h, at, HELM);
    String chart = r.string(h, at, "chart", true);
    if (chart == null || !inside(r, at + ".chart", chart)) {
      return null;
    }
    String release = r.string(h, at, "releaseName", false);
    if (release == null) {
      release = lastSegment(chart);
    }
    if (!release.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || release.length() > 53) {
      r.error(at + ".releaseName", "'" + release + "' is not a valid Helm release name");
    }
    String namespace = r.string(h, at, "namespace", false);
    List<String> values = r.strings(h, at, "valuesFiles");
    for (int j = 0; j < values.size(); j++) {
      inside(r, at + ".valuesFiles[" + j + "]", values.get(j));
    }
    TreeMap<String, String> set = new TreeMap<>();
    Map<String, Object> setMap = r.map(h, at, "set", false);
    if (setMap != null) {
      for (Map.Entry<String, Object> v : setMap.entrySet()) {
        Object value = v.getValue();
        if (value instanceof Map || value instanceof List) {
          r.error(at + ".set." + v.getKey(), "must be a single value (use a values file for more)");
        } else {
          set.put(v.getKey(), PlainScalar.isNull(value) ? "null" : String.valueOf(value));
        }
      }
    }
    boolean crds = Boolean.TRUE.equals(r.bool(h, at, "includeCRDs"));
    String name = r.string(entry, path, "name", false);
    return new Source.Helm(
        chart, release, namespace, values, set, crds, name != null ? name : release);
  }

  /** Two built sources rendering under one folder would overwrite each other's files. */
  private static void checkNames(
      SchemaReader r, List<Source> sources, List<Integer> at, String where) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      Source s = sources.get(i);
      if (!s.built()) {
        continue;
      }
      if (!s.name().matches("[a-zA-Z0-9]([-a-zA-Z0-9._]*[a-zA-Z0-9])?")) {
        r.error(
            where + "[" + at.get(i) + "].name", "'" + s.name() + "' is not a valid folder name");
      }
      Integer other = seen.putIfAbsent(s.name(), at.get(i));
      if (other != null) {
        r.error(
            where + "[" + at.get(i) + "]",
            "renders under '"
                + s.name()
                + "', as "
                + where
                + "["
                + other
                + "] does: give one a name: of its own");
      }
    }
  }

  private static boolean inside(SchemaReader r, String path, String f) {
    if (f.startsWith("/") || f.contains("..") || f.contains("://")) {
      r.error(path, "must be a folder inside the repo, found '" + f + "'");
      return false;
    }
    return true;
  }

  private static String lastSegment(String dir) {
    String d = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    int slash = d.lastIndexOf('/');
    String last = slash < 0 ? d : d.substring(slash + 1);
    return last.isEmpty() || last.equals(".") ? "kustomize" : last;
  }
}

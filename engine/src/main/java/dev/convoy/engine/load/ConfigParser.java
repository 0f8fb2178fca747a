package dev.convoy.engine.load;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.input.InputLimits;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.ConvoyConfig.CommitSettings;
import dev.convoy.engine.model.KubernetesVersion;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code convoy.yaml} (with the default limits: they cannot raise themselves). */
public final class ConfigParser {
  private static final Set<String> TOP =
      Set.of(
          "apiVersion",
          "kind",
          "sources",
          "policies",
          "rules",
          "targets",
          "commit",
          "ruleTimeout",
          "limits");
  private static final Set<String> LIMITS =
      Set.of("fileSize", "documentsPerFile", "aliasExpansion", "nestingDepth", "scalarLength");
  private static final long GIB = 1024 * InputLimits.MIB;
  private static final Set<String> TARGET =
      Set.of("name", "kubernetesVersion", "sidecarMode", "output", "branch", "sources");

  private ConfigParser() {}

  public static ConvoyConfig parse(InputFile file) throws BadInputException {
    List<YamlDocument> docs = ManifestParser.parse(file, ManifestParser.Positions.KEEP);
    List<InputError> errors = new ArrayList<>();
    if (docs.size() != 1 || docs.get(0).map() == null) {
      throw new BadInputException(
          new InputError(file.path(), 1, 1, null, "must hold exactly one ConvoyConfig mapping"));
    }
    YamlDocument doc = docs.get(0);
    Map<String, Object> root = doc.map();
    SchemaReader r = new SchemaReader(doc, "ConvoyConfig", errors);
    r.rejectUnknown(root, "", TOP);
    if (!"ConvoyConfig".equals(root.get("kind"))) {
      r.error("kind", "must be ConvoyConfig");
    }
    if (!"convoy.dev/v1alpha1".equals(root.get("apiVersion"))) {
      r.error("apiVersion", "must be convoy.dev/v1alpha1");
    }
    Set<String> optional = new HashSet<>();
    List<dev.convoy.engine.model.Source> declared =
        root.containsKey("sources")
            ? SourceParser.parse(r, root.get("sources"), "sources", optional)
            : List.of(new dev.convoy.engine.model.Source.Folder("manifests"));
    List<String> policies =
        root.containsKey("policies") ? folders(r, root, "policies", optional) : List.of("policies");
    List<String> rules;
    if (root.containsKey("rules")) {
      rules = folders(r, root, "rules", optional);
    } else {
      // Custom rules are optional: without a rules: entry, a repo needs no rules/ folder.
      rules = List.of("rules");
      optional.add("rules");
    }
    Optional<java.time.Duration> ruleTimeout =
        root.containsKey("ruleTimeout")
            ? Optional.of(r.duration(root, "", "ruleTimeout", "90s, 5m or 1h"))
                .filter(d -> !d.isZero())
            : Optional.empty();
    if (root.containsKey("ruleTimeout") && ruleTimeout.isEmpty() && r.errorCount() == 0) {
      r.error("ruleTimeout", "must be longer than 0s");
    }

    List<Target> targets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Map<String, Object>> targetMaps = r.maps(root, "", "targets");
    if (targetMaps.isEmpty() && r.errorCount() == 0) {
      r.error("targets", "is required: at least one target to render");
    }
    for (int i = 0; i < targetMaps.size(); i++) {
      Map<String, Object> t = targetMaps.get(i);
      if (t == null) {
        continue;
      }
      String path = "targets[" + i + "]";
      r.rejectUnknown(t, path, TARGET);
      String name = r.string(t, path, "name", true);
      if (name != null && !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        r.error(path + ".name", "'" + name + "' is not a valid target name");
      } else if (name != null && !names.add(name)) {
        r.error(path + ".name", "duplicate target '" + name + "'");
      }
      Optional<KubernetesVersion> version = Optional.empty();
      String versionText = r.string(t, path, "kubernetesVersion", false);
      if (versionText != null) {
        try {
          version = Optional.of(KubernetesVersion.parse(versionText));
        } catch (IllegalArgumentException e) {
          r.error(path + ".kubernetesVersion", e.getMessage());
        }
      }
      SidecarMode mode = SidecarMode.AUTO;
      String modeText = r.string(t, path, "sidecarMode", false);
      if (modeText != null) {
        try {
          mode = SidecarMode.parse(modeText);
        } catch (IllegalArgumentException e) {
          r.error(
              path + ".sidecarMode",
              "must be auto, native, legacy or universal, found '" + modeText + "'");
        }
      }
      String branch = r.string(t, path, "branch", false);
      String output = r.string(t, path, "output", false);
      if (output == null) {
        output = branch != null ? "" : "rendered/" + name;
      }
      if (output.startsWith("/") || output.contains("..")) {
        r.error(path + ".output", "must be a folder inside the repo, found '" + output + "'");
      }
      Optional<List<dev.convoy.engine.model.Source>> own =
          t.containsKey("sources")
              ? Optional.of(SourceParser.parse(r, t.get("sources"), path + ".sources", optional))
              : Optional.empty();
      if (name != null) {
        targets.add(new Target(name, version, mode, output, Optional.ofNullable(branch), own));
      }
    }
    CommitSettings commit = CommitSettings.DEFAULT;
    Map<String, Object> c = r.map(root, "", "commit", false);
    if (c != null) {
      r.rejectUnknown(c, "commit", Set.of("author", "message", "sign"));
      Map<String, Object> author = r.map(c, "commit", "author", false);
      String message = r.string(c, "commit", "message", false);
      commit =
          new CommitSettings(
              author == null || r.string(author, "commit.author", "name", false) == null
                  ? commit.authorName()
                  : r.string(author, "commit.author", "name", false),
              author == null || r.string(author, "commit.author", "email", false) == null
                  ? commit.authorEmail()
                  : r.string(author, "commit.author", "email", false),
              message == null ? commit.message() : message);
      commit = commit.signedWith(CommitSigningReader.read(r, c));
    }
    InputLimits limits = limits(r, r.map(root, "", "limits", false));
    if (!errors.isEmpty()) {
      throw new BadInputException(errors);
    }
    // Every plain folder any target reads is read once; each target then takes its own.
    java.util.LinkedHashSet<String> sources = new java.util.LinkedHashSet<>();
    targets.stream()
        .flatMap(t -> t.sources().orElse(declared).stream())
        .filter(s -> !s.built())
        .forEach(s -> sources.add(s.path()));
    return new ConvoyConfig(
        List.copyOf(sources),
        policies,
        rules,
        targets,
        commit,
        optional,
        ruleTimeout,
        limits,
        declared);
  }

  private static InputLimits limits(SchemaReader r, Map<String, Object> l) {
    InputLimits d = InputLimits.DEFAULT;
    if (l == null) {
      return d;
    }
    r.rejectUnknown(l, "limits", LIMITS);
    long fileSize = size(r, l, "fileSize", d.fileBytes(), GIB);
    Long documents = r.longValue(l, "limits", "documentsPerFile", 1, Integer.MAX_VALUE);
    Long aliases = r.longValue(l, "limits", "aliasExpansion", 0, Long.MAX_VALUE);
    Long depth = r.longValue(l, "limits", "nestingDepth", 1, 2_000);
    long scalar = size(r, l, "scalarLength", d.scalarLength(), GIB);
    return new InputLimits(
        fileSize,
        documents == null ? d.documentsPerFile() : documents.intValue(),
        aliases == null ? d.aliasExpansion() : aliases,
        depth == null ? d.nestingDepth() : depth.intValue(),
        (int) scalar);
  }

  /** A size in bytes or characters: a number, or one with a Ki, Mi or Gi suffix. */
  private static long size(
      SchemaReader r, Map<String, Object> l, String key, long fallback, long max) {
    Object v = l.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s)) {
      Long n = r.longValue(l, "limits", key, 1, max);
      return n == null ? fallback : n;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d{1,10})(Ki|Mi|Gi)?").matcher(s);
    if (!m.matches()) {
      r.error("limits." + key, "must be a number, optionally with Ki, Mi or Gi, found '" + s + "'");
      return fallback;
    }
    long unit =
        m.group(2) == null
            ? 1
            : m.group(2).equals("Ki") ? 1024 : m.group(2).equals("Mi") ? InputLimits.MIB : GIB;
    long n = Long.parseLong(m.group(1)) * unit;
    if (n < 1 || n > max) {
      r.error("limits." + key, "must be from 1 to 1Gi, found '" + s + "'");
      return fallback;
    }
    return n;
  }

  /**
   * A list of folders: each entry a path, or {@code {path: shared/rules, optional: true}} for a
   * folder that may be missing (added to {@code optional}).
   */
  private static List<String> folders(
      SchemaReader r, Map<String, Object> root, String key, Set<String> optional) {
    List<String> out = new ArrayList<>();
    if (!(root.get(key) instanceof List<?> entries)) {
      r.error(key, "must be a list of folders");
      return out;
    }
    for (int i = 0; i < entries.size(); i++) {
      String path = key + "[" + i + "]";
      String f;
      if (entries.get(i) instanceof Map<?, ?> entry) {
        @SuppressWarnings("unchecked")
        Map<String, Object> folder = (Map<String, Object>) entry;
        r.rejectUnknown(folder, path, Set.of("path", "optional"));
        f = r.string(folder, path, "path", true);
        if (f != null && Boolean.TRUE.equals(r.bool(folder, path, "optional"))) {
          optional.add(f);
        }
      } else if (entries.get(i) instanceof String s) {
        f = s;
      } else {
        r.error(path, "must be a folder, or {path: FOLDER, optional: true}");
        f = null;
      }
      if (f == null) {
        continue;
      }
      if (f.startsWith("/") || f.contains("..")) {
        r.error(path, "must be a folder inside the repo, found '" + f + "'");
      }
      out.add(f);
    }
    return out;
  }
}

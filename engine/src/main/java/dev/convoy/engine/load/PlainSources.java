package dev.convoy.engine.load;

import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.Source;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a plain source folder reads, and the files in one that must be built instead: a
 * kustomization or Helm chart read as manifests renders garbage (the Kustomization itself listed as
 * a resource, {@code name: {{ .Values.x }}} as a mapping key), so each is an error naming the file.
 */
final class PlainSources {
  private static final java.util.Set<String> KUSTOMIZATIONS =
      java.util.Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /**
   * A template action where a YAML value or line starts, unquoted: {@code {{- if ...}}}, {@code
   * name: {{ include ...}}}, {@code - {{ ...}}}. Quoted ones ({@code "{{inputs.x}}"}, as Argo
   * Workflows and alerting rules write them) are valid YAML strings and left alone.
   */
  private static final Pattern TEMPLATE =
      Pattern.compile("(?m)^[ \\t]*(?:-[ \\t]+)?(?:[^\\s#'\"][^:#'\"]*:[ \\t]+)?\\{\\{.*\\}\\}");

  private PlainSources() {}

  /** Why a file under a source folder is not read (excluded, or Convoy's own), else null. */
  static Function<String, String> filter(ConvoyConfig config) {
    List<Source.Folder> folders =
        config.targets().stream()
            .flatMap(t -> config.sourcesOf(t).stream())
            .filter(s -> s instanceof Source.Folder)
            .map(s -> (Source.Folder) s)
            .distinct()
            .toList();
    return file -> {
      if (file.equals(ConvoyConfig.FILE_NAME)) {
        return "Convoy's config file, not a source";
      }
      if (under(file, config.policies()) || under(file, config.rules())) {
        return "a policy or rule folder, not a source";
      }
      Optional<String> glob = Optional.empty();
      for (Source.Folder f : folders) {
        if (!under(file, List.of(f.path()))) {
          continue;
        }
        glob = f.excludedBy(file);
        if (glob.isEmpty()) {
          return null;
        }
      }
      return glob.map(g -> "excluded by '" + g + "'").orElse(null);
    };
  }

  /**
   * The errors of a plain source folder's files that are kustomize or Helm input: a file named
   * {@code kustomization.yaml} (or {@code .yml}, or {@code Kustomization}), a {@code Chart.yaml},
   * or a manifest with Go template actions.
   */
  static List<InputFile> check(
      List<InputFile> files,
      Collection<String> skipped,
      ConvoyConfig config,
      List<InputError> errors) {
    for (String path : skipped) {
      if (name(path).equals("Kustomization") && under(path, config.sources())) {
        errors.add(kustomization(path));
      }
    }
    for (InputFile f : files) {
      String name = name(f.path());
      if (KUSTOMIZATIONS.contains(name) && !isFluxKustomization(f)) {
        errors.add(kustomization(f.path()));
      } else if (name.equals("Chart.yaml")) {
        errors.add(
            new InputError(
                f.path(),
                1,
                0,
                null,
                "is a Helm chart, not a manifest: declare the chart folder as a source"
                    + " {helm: {chart: "
                    + parent(f.path())
                    + "}} in convoy.yaml (or exclude it from the folder)"));
      } else {
        int line = templateLine(f.bytes());
        if (line > 0) {
          errors.add(
              new InputError(
                  f.path(),
                  line,
                  0,
                  null,
                  "holds Go template actions ({{ ... }}): a Helm template is not a manifest;"
                      + " declare its chart as a source {helm: {chart: DIR}} in convoy.yaml (or"
                      + " exclude it)"));
        }
      }
    }
    return files;
  }

  private static InputError kustomization(String path) {
    return new InputError(
        path,
        1,
        0,
        null,
        "is a kustomization, not a manifest: declare the folder as a source {kustomize: "
            + parent(path)
            + "} in convoy.yaml so it is built first (or exclude it from the folder)");
  }

  /** A Flux Kustomization object in a file of that name is a manifest (warned about later). */
  private static boolean isFluxKustomization(InputFile f) {
    return new String(f.bytes(), StandardCharsets.UTF_8).contains("kustomize.toolkit.fluxcd.io/");
  }

  /** The 1-based line of the first unquoted template action, or 0. */
  static int templateLine(byte[] bytes) {
    if (!contains(bytes)) {
      return 0;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    var m = TEMPLATE.matcher(text);
    if (!m.find()) {
      return 0;
    }
    int line = 1;
    for (int i = 0; i < m.start(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    // The match may begin at the end of the previous line's newline run.
    return line + (text.charAt(m.start()) == '\n' ? 1 : 0);
  }

  private static boolean contains(byte[] b) {
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == '{' && b[i + 1] == '{') {
        return true;
      }
    }
    return false;
  }

  static boolean under(String file, List<String> folders) {
    for (String f : folders) {
      String prefix = f.isEmpty() || f.equals(".") ? "" : (f.endsWith("/") ? f : f + "/");
      if (file.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "." : path.substring(0, slash);
  }
}

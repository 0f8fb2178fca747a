package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.BuildOutput;
import dev.convoy.engine.model.Source;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.YamlDocument;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Builds a kustomize source with {@code kustomize build} or {@code kubectl kustomize}, in a {@link
 * StagedRepo}: with origin annotations (so every resource names the file it came from), the
 * root-only load restrictor, no remote bases (refused before the build, by name) and no network
 * (the process gets no PATH to find git on and a proxy that does not answer).
 */
final class KustomizeBuild {
  private static final String WRAPPER = ".convoy-kustomize";
  private static final long TIMEOUT_SECONDS = 300;
  private static final Set<String> KUSTOMIZATIONS =
      Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /**
   * The command that builds a folder: {@code [kubectl, kustomize]} or {@code [kustomize, build]}.
   */
  private final List<String> command;

  /** What each successful build printed on stderr (kustomize's deprecation warnings), by path. */
  private final Map<String, List<String>> warnings = new java.util.concurrent.ConcurrentHashMap<>();

  private KustomizeBuild(List<String> command) {
    this.command = List.copyOf(command);
  }

  /** The warnings kustomize printed while building {@code source}, one per line. */
  List<String> warningsOf(Source source) {
    return warnings.getOrDefault(source.path(), List.of());
  }

  /**
   * The build tool: {@code commandLine} ({@code --kustomize-command}) when given, else {@code
   * kustomize}, else {@code kubectl} found on the PATH; exit 2 saying what to install when none is.
   */
  static KustomizeBuild find(String commandLine, Source first) throws BadInputException {
    if (commandLine != null && !commandLine.isBlank()) {
      List<String> words = new ArrayList<>(List.of(commandLine.strip().split("\\s+")));
      Path tool = onPath(words.get(0));
      if (tool == null) {
        throw new BadInputException(
            new InputError(
                "--kustomize-command",
                0,
                0,
                null,
                "'" + words.get(0) + "' is not an executable file or a command on the PATH"));
      }
      words.set(0, tool.toString());
      if (words.size() == 1) {
        words.add(tool.getFileName().toString().startsWith("kubectl") ? "kustomize" : "build");
      }
      return new KustomizeBuild(words);
    }
    Path kustomize = onPath("kustomize");
    if (kustomize != null) {
      return new KustomizeBuild(List.of(kustomize.toString(), "build"));
    }
    Path kubectl = onPath("kubectl");
    if (kubectl != null) {
      return new KustomizeBuild(List.of(kubectl.toString(), "kustomize"));
    }
    throw new BadInputException(
        new InputError(
            first.path(),
            0,
            0,
            null,
            "is a kustomize source, and neither kustomize nor kubectl is on the PATH: install"
                + " kubectl (kustomize is built in) or kustomize, or name one with"
                + " --kustomize-command"));
  }

  /** The tool's command line, for messages and version checks. */
  List<String> command() {
    return command;
  }

  /** Builds {@code source} from the staged repo into per-resource input files. */
  List<InputFile> build(StagedRepo stage, Source.Kustomize source) throws BadInputException {
    Path dir = stage.root.resolve(source.path()).normalize();
    if (!dir.startsWith(stage.root) || !Files.isDirectory(dir) || kustomizationIn(dir) == null) {
      throw new BadInputException(
          new InputError(
              source.path(),
              0,
              0,
              null,
              "is declared as a kustomize source but holds no kustomization.yaml"));
    }
    checkReferences(stage.root, dir);
    Path wrapper;
    try {
      // A kustomization of our own around the source asks for origin annotations without
      // touching the repo's files; it sits in a hidden folder that the staged copy never has.
      wrapper = Files.createTempDirectory(stage.root, WRAPPER);
      Files.writeString(
          wrapper.resolve("kustomization.yaml"),
          "apiVersion: kustomize.config.k8s.io/v1beta1\n"
              + "kind: Kustomization\n"
              + "buildMetadata: [originAnnotations]\n"
              + "resources:\n- ../"
              + stage.root.relativize(dir).toString().replace('\\', '/')
              + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] out = run(wrapper, source);
    return BuildOutput.split(source, out, "../");
  }

  private byte[] run(Path wrapper, Source source) throws BadInputException {
    List<String> cmd = new ArrayList<>(command);
    cmd.add(wrapper.toString());
    cmd.add("--load-restrictor=LoadRestrictionsRootOnly");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(wrapper.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    // No git to fetch remote bases with, and HTTP(S) through a proxy that is not there.
    env.put("PATH", "");
    env.put("HOME", wrapper.toString());
    env.put("HTTP_PROXY", "http://127.0.0.1:9");
    env.put("HTTPS_PROXY", "http://127.0.0.1:9");
    env.put("http_proxy", "http://127.0.0.1:9");
    env.put("https_proxy", "http://127.0.0.1:9");
    env.put("NO_PROXY", "");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<byte[]> stdout =
          CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
      CompletableFuture<byte[]> stderr =
          CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw failure(source, "did not finish within " + TIMEOUT_SECONDS + " s (" + tool() + ")");
      }
      byte[] out = stdout.join();
      String err = new String(stderr.join(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw failure(
            source,
            "failed (exit "
                + p.exitValue()
                + "): "
                + err.replace(wrapper.getParent() + File.separator, ""));
      }
      if (!err.isEmpty()) {
        warnings.put(
            source.path(),
            err.lines()
                .map(l -> l.replaceFirst("^#?\\s*[Ww]arning:\\s*", "").strip())
                .filter(l -> !l.isEmpty())
                .map(l -> l.replace(wrapper.getParent() + File.separator, ""))
                .toList());
      }
      return out;
    } catch (IOException e) {
      throw failure(source, "could not run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(source, "interrupted");
    }
  }

  private BadInputException failure(Source source, String message) {
    return new BadInputException(
        new InputError(source.path(), 0, 0, null, "kustomize build of this source " + message));
  }

  /** The tool as users know it: {@code kubectl kustomize}, {@code kustomize build}. */
  private String tool() {
    return String.join(" ", command).replaceAll("^\\S*/", "");
  }

  private static byte[] drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Refuses what would leave the repo before kustomize runs: remote bases and resources (a URL, a
   * {@code github.com/...} path), absolute paths and paths that lead out of the repo, in every
   * kustomization the source reaches.
   */
  static void checkReferences(Path root, Path start) throws BadInputException {
    List<InputError> errors = new ArrayList<>();
    Deque<Path> todo = new ArrayDeque<>(List.of(start));
    Set<Path> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Path dir = todo.pop();
      if (!seen.add(dir)) {
        continue;
      }
      Path file = kustomizationIn(dir);
      if (file == null) {
        continue; // kustomize reports a folder without one itself
      }
      String rel = root.relativize(file).toString().replace('\\', '/');
      Map<String, Object> k;
      try {
        List<YamlDocument> docs =
            ManifestParser.parse(
                new InputFile(rel, Files.readAllBytes(file)), ManifestParser.Positions.DROP);
        k = docs.isEmpty() ? null : docs.get(0).map();
      } catch (BadInputException e) {
        errors.addAll(e.errors());
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (k == null) {
        continue;
      }
      for (String field :
          List.of(
              "resources",
              "bases",
              "components",
              "crds",
              "configurations",
              "generators",
              "transformers",
              "validators",
              "patchesStrategicMerge")) {
        for (Object entry : list(k, field)) {
          if (entry instanceof String ref && !ref.contains("\n")) {
            Path to = check(root, dir, rel, field, ref, errors);
            if (to != null && Files.isDirectory(to)) {
              todo.add(to);
            }
          }
        }
      }
      for (String field : List.of("patches", "patchesJson6902", "replacements")) {
        for (Map<String, Object> entry : Trees.mapList(k, field)) {
          if (Trees.string(entry, "path") != null) {
            check(root, dir, rel, field, Trees.string(entry, "path"), errors);
          }
        }
      }
      for (String field : List.of("configMapGenerator", "secretGenerator")) {
        for (Map<String, Object> gen : Trees.mapList(k, field)) {
          for (String key : List.of("files", "envs")) {
            for (Object f : list(gen, key)) {
              if (f instanceof String s) {
                check(
                    root,
                    dir,
                    rel,
                    field,
                    s.contains("=") ? s.substring(s.indexOf('=') + 1) : s,
                    errors);
              }
            }
          }
          if (Trees.string(gen, "env") != null) {
            check(root, dir, rel, field, Trees.string(gen, "env"), errors);
          }
        }
      }
      if (k.containsKey("helmCharts") || k.containsKey("helmChartInflationGenerator")) {
        errors.add(
            new InputError(
                rel,
                0,
                0,
                null,
                "helmCharts: kustomize would download charts; declare the chart as a helm: source"
                    + " in convoy.yaml instead"));
      }
    }
    if (!errors.isEmpty()) {
      throw new BadInputException(errors);
    }
  }

  private static Path check(
      Path root, Path dir, String file, String field, String ref, List<InputError> errors) {
    String r = ref.strip();
    boolean remote =
        r.contains("://")
            || r.startsWith("git@")
            || r.startsWith("github.com/")
            || r.startsWith("gitlab.com/")
            || r.startsWith("bitbucket.org/")
            || r.contains("?ref=")
            || r.contains(".git//");
    if (remote) {
      errors.add(
          new InputError(
              file,
              0,
              0,
              null,
              field
                  + ": '"
                  + r
                  + "' is remote; Convoy builds from the repo's own files only (vendor it into the"
                  + " repo)"));
      return null;
    }
    Path to = dir.resolve(r).normalize();
    if (Path.of(r).isAbsolute() || !to.startsWith(root)) {
      errors.add(
          new InputError(
              file, 0, 0, null, field + ": '" + r + "' leads outside the repo; refused"));
      return null;
    }
    return to;
  }

  private static List<?> list(Map<String, Object> parent, String key) {
    return parent != null && parent.get(key) instanceof List<?> l ? l : List.of();
  }

  private static Path kustomizationIn(Path dir) {
    for (String name : KUSTOMIZATIONS) {
      Path f = dir.resolve(name);
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    return null;
  }

  /**
   * The first executable named {@code name} on the PATH, or {@code name} itself when it is a path.
   */
  static Path onPath(String name) {
    if (name.contains(File.separator)) {
      Path p = Path.of(name);
      return Files.isExecutable(p) ? p.toAbsolutePath() : null;
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }
}

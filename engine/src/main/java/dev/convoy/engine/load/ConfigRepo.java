package dev.convoy.engine.load;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.input.InputLimits;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.yaml.ManifestParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The raw inputs of a config repo: {@code convoy.yaml} and every file under its source, policy and
 * rule folders, as bytes. Everything after this is a pure function of these values.
 *
 * <p>Manifests and policies are the {@code .yaml}, {@code .yml} and {@code .json} files (in any
 * case: {@code .YAML} too); rules the {@code .drl} files. Every other file under those folders is
 * listed in {@link #skipped()}, so nothing is dropped without a word. Convoy's own output folders
 * are never read as sources.
 *
 * @param config the parsed convoy.yaml
 * @param sources every manifest file under the source folders, sorted by path
 * @param policies every manifest file under the policy folders, sorted by path
 * @param rules every {@code *.drl} under the rule folders, sorted by path
 * @param skipped every other file (or hidden folder) under those folders, sorted by path
 * @param built by target name, the files its kustomize and Helm sources built (see {@link
 *     BuildOutput}); empty until the builds ran
 */
public record ConfigRepo(
    ConvoyConfig config,
    List<InputFile> sources,
    List<InputFile> policies,
    List<InputFile> rules,
    List<SkippedFile> skipped,
    java.util.Map<String, List<InputFile>> built) {

  /** A file under a source, policy or rule folder that Convoy does not read, and why. */
  public record SkippedFile(String path, String reason) {}

  private static final String[] MANIFESTS = {".yaml", ".yml", ".json"};
  private static final String[] RULES = {".drl"};

  public ConfigRepo {
    sources = List.copyOf(sources);
    policies = List.copyOf(policies);
    rules = List.copyOf(rules);
    skipped = List.copyOf(skipped);
    java.util.Map<String, List<InputFile>> b = new java.util.LinkedHashMap<>();
    built.forEach((k, v) -> b.put(k, List.copyOf(v)));
    built = java.util.Collections.unmodifiableMap(b);
  }

  /** Inputs as read from the repo, before any build. */
  public ConfigRepo(
      ConvoyConfig config,
      List<InputFile> sources,
      List<InputFile> policies,
      List<InputFile> rules,
      List<SkippedFile> skipped) {
    this(config, sources, policies, rules, skipped, java.util.Map.of());
  }

  /** The same inputs with what the targets' kustomize and Helm sources built. */
  public ConfigRepo withBuilt(java.util.Map<String, List<InputFile>> byTarget) {
    return new ConfigRepo(config, sources, policies, rules, skipped, byTarget);
  }

  /**
   * The targets that read the same source files, each group with the inputs to load for it: one
   * group of every target (this repo itself) unless a target names its own sources or a build
   * differs by target (a Helm chart rendered for each cluster's version).
   */
  public java.util.Map<List<dev.convoy.engine.model.Target>, ConfigRepo> byInputs() {
    if (!config.hasBuiltSources()
        && config.targets().stream().allMatch(t -> t.sources().isEmpty())) {
      return java.util.Map.of(config.targets(), this);
    }
    java.util.Map<List<InputFile>, List<dev.convoy.engine.model.Target>> groups =
        new java.util.LinkedHashMap<>();
    for (dev.convoy.engine.model.Target t : config.targets()) {
      groups.computeIfAbsent(sourcesOf(t), k -> new java.util.ArrayList<>()).add(t);
    }
    java.util.Map<List<dev.convoy.engine.model.Target>, ConfigRepo> out =
        new java.util.LinkedHashMap<>();
    groups.forEach(
        (files, targets) ->
            out.put(
                List.copyOf(targets),
                new ConfigRepo(config.withTargets(targets), files, policies, rules, skipped)));
    return out;
  }

  /** The source files a target reads: its plain folders' files, then what its builds made. */
  public List<InputFile> sourcesOf(dev.convoy.engine.model.Target target) {
    List<dev.convoy.engine.model.Source> own = config.sourcesOf(target);
    List<InputFile> out = new java.util.ArrayList<>();
    for (InputFile f : sources) {
      if (own.stream()
          .anyMatch(
              s ->
                  s instanceof dev.convoy.engine.model.Source.Folder folder
                      && folder.selects(f.path()))) {
        out.add(f);
      }
    }
    out.addAll(built.getOrDefault(target.name(), List.of()));
    return new Same(out);
  }

  /**
   * A file list compared by paths and bytes, so targets whose builds printed the same bytes share
   * one load and render.
   */
  private static final class Same extends java.util.AbstractList<InputFile> {
    private final List<InputFile> files;

    Same(List<InputFile> files) {
      this.files = List.copyOf(files);
    }

    @Override
    public InputFile get(int i) {
      return files.get(i);
    }

    @Override
    public int size() {
      return files.size();
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Same other) || other.size() != size()) {
        return false;
      }
      for (int i = 0; i < size(); i++) {
        if (!get(i).path().equals(other.get(i).path())
            || !java.util.Arrays.equals(get(i).bytes(), other.get(i).bytes())) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (InputFile f : files) {
        h = 31 * h + f.path().hashCode() + java.util.Arrays.hashCode(f.bytes());
      }
      return h;
    }
  }

  /** Inputs handed over as values (tests, fixtures): nothing skipped. */
  public ConfigRepo(
      ConvoyConfig config,
      List<InputFile> sources,
      List<InputFile> policies,
      List<InputFile> rules) {
    this(config, sources, policies, rules, List.of());
  }

  /**
   * Inputs read from somewhere other than a folder (a commit's tree, for a review), with the source
   * files filtered and checked as {@link #read(Path)} does: excluded files and Convoy's own left
   * out, a kustomization or Helm chart in a plain source folder an error naming the file.
   */
  public static ConfigRepo ofTree(
      ConvoyConfig config, List<InputFile> sources, List<InputFile> policies, List<InputFile> rules)
      throws BadInputException {
    java.util.function.Function<String, String> skip = PlainSources.filter(config);
    List<InputFile> kept = sources.stream().filter(f -> skip.apply(f.path()) == null).toList();
    List<InputError> errors = new java.util.ArrayList<>();
    List<InputFile> checked = PlainSources.check(kept, List.of(), config, errors);
    if (!errors.isEmpty()) {
      throw new BadInputException(errors);
    }
    return new ConfigRepo(config, checked, policies, rules);
  }

  /** The same inputs read with another config (for example fewer targets). */
  public ConfigRepo withConfig(ConvoyConfig other) {
    return new ConfigRepo(other, sources, policies, rules, skipped, built);
  }

  /** True for a file name Convoy reads as a manifest or policy: .yaml, .yml, .json in any case. */
  public static boolean isManifest(String name) {
    return matches(name, MANIFESTS);
  }

  /**
   * Reads a config repo from a folder. Nothing outside the folder is read (see {@link
   * RepoBoundary}), every configured folder must exist unless marked optional, and no target's
   * output may replace an input ({@link OutputPaths}).
   */
  public static ConfigRepo read(Path root) throws BadInputException {
    RepoBoundary boundary = RepoBoundary.of(root);
    boundary.checkConfigFile();
    Path configPath = root.resolve(ConvoyConfig.FILE_NAME);
    byte[] configBytes;
    try {
      configBytes = Files.readAllBytes(configPath);
    } catch (NoSuchFileException e) {
      throw new BadInputException(
          new InputError(
              ConvoyConfig.FILE_NAME,
              0,
              0,
              null,
              "not found in "
                  + root.toAbsolutePath().normalize()
                  + ": is this a Convoy config repo?"));
    } catch (IOException e) {
      throw new BadInputException(
          new InputError(ConvoyConfig.FILE_NAME, 0, 0, null, "cannot read: " + e.getMessage()));
    }
    InputFile configFile = new InputFile(ConvoyConfig.FILE_NAME, configBytes);
    ConvoyConfig config = ConfigParser.parse(configFile);
    boundary.check(config, ManifestParser.parse(configFile, ManifestParser.Positions.KEEP).get(0));
    List<String> outputs =
        config.targets().stream().filter(t -> t.branch().isEmpty()).map(Target::output).toList();
    long limit = config.limits().fileBytes();
    java.util.TreeMap<String, String> skipped = new java.util.TreeMap<>();
    List<InputError> tooLarge = new java.util.ArrayList<>();
    try {
      ConfigRepo repo =
          new ConfigRepo(
              config,
              PlainSources.check(
                  readAll(
                      root,
                      config.sources(),
                      outputs,
                      boundary,
                      MANIFESTS,
                      limit,
                      skipped,
                      tooLarge,
                      PlainSources.filter(config)),
                  skipped.keySet(),
                  config,
                  tooLarge),
              readAll(
                  root,
                  config.policies(),
                  outputs,
                  boundary,
                  MANIFESTS,
                  limit,
                  skipped,
                  tooLarge,
                  f -> null),
              readAll(
                  root,
                  config.rules(),
                  outputs,
                  boundary,
                  RULES,
                  limit,
                  skipped,
                  tooLarge,
                  f -> null),
              skipped.entrySet().stream()
                  .map(e -> new SkippedFile(e.getKey(), e.getValue()))
                  .toList());
      boundary.throwIfFailed();
      if (!tooLarge.isEmpty()) {
        tooLarge.sort(java.util.Comparator.comparing(InputError::file));
        throw new BadInputException(tooLarge);
      }
      return repo;
    } catch (UncheckedIOException e) {
      throw new BadInputException(
          new InputError(
              ConvoyConfig.FILE_NAME,
              0,
              0,
              null,
              "cannot read the repo: " + e.getCause().getMessage()));
    }
  }

  /**
   * The files under {@code root/folder} whose names end in one of {@code suffixes}, as a config
   * repo's folders are read (hidden files skipped), each named by its path relative to {@code
   * root}, sorted by it; none when the folder is missing. For callers that assemble a repo from
   * parts, such as {@code convoy test} cases.
   */
  public static List<InputFile> readFolder(Path root, String folder, String... suffixes)
      throws IOException, BadInputException {
    RepoBoundary boundary = RepoBoundary.of(root);
    boundary.allowIfPresent(folder);
    List<InputError> tooLarge = new java.util.ArrayList<>();
    List<InputFile> files;
    try {
      files =
          readAll(
              root,
              List.of(folder),
              List.of(),
              boundary,
              suffixes,
              InputLimits.DEFAULT.fileBytes(),
              new java.util.TreeMap<>(),
              tooLarge,
              f -> null);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    boundary.throwIfFailed();
    if (!tooLarge.isEmpty()) {
      throw new BadInputException(tooLarge);
    }
    return files;
  }

  private static List<InputFile> readAll(
      Path root,
      List<String> folders,
      List<String> outputs,
      RepoBoundary boundary,
      String[] suffixes,
      long limit,
      java.util.Map<String, String> skipped,
      List<InputError> tooLarge,
      java.util.function.Function<String, String> skip) {
    // Repo path to file, sorted by repo path so every later stage sees one order on every
    // machine; each relative path is computed once (in a sort comparator it was most of the read).
    java.util.TreeMap<String, Path> paths = new java.util.TreeMap<>();
    for (String folder : folders) {
      Path dir = root.resolve(folder).normalize();
      if (!boundary.walkable(folder)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        // Symlinks too: RepoBoundary reads those pointing at a file inside the repo and refuses
        // the others by name.
        walk.filter(
                p ->
                    Files.isSymbolicLink(p)
                        || Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            .forEach(
                p -> {
                  String relative = relative(root, p);
                  if (underOutput(relative, outputs)) {
                    return; // Convoy's own output
                  }
                  String hidden = hidden(root.relativize(p));
                  if (hidden != null) {
                    skipped.putIfAbsent(
                        hidden,
                        hidden.endsWith("/") ? "hidden folder, not read" : "hidden file, not read");
                  } else if (!boundary.readable(p)) {
                    return; // a refused symlink: RepoBoundary reports it
                  } else if (!matches(p.getFileName().toString(), suffixes)) {
                    skipped.putIfAbsent(
                        relative,
                        suffixes == RULES
                            ? "not a .drl rule file"
                            : "not a .yaml, .yml or .json manifest");
                  } else if (skip.apply(relative) != null) {
                    skipped.putIfAbsent(relative, skip.apply(relative));
                  } else {
                    paths.putIfAbsent(relative, p);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<Read> files =
        paths.entrySet().stream()
            .parallel()
            .map(e -> read(e.getKey(), e.getValue(), limit))
            .toList();
    List<InputFile> out = new java.util.ArrayList<>(files.size());
    for (Read f : files) {
      if (f.bytes() == null) {
        tooLarge.add(
            new InputError(
                f.path(),
                1,
                0,
                null,
                "the file is larger than the limit of "
                    + dev.convoy.engine.yaml.ManifestParser.describeSize(limit)
                    + " (raise limits.fileSize in convoy.yaml to read it)"));
      } else {
        out.add(new InputFile(f.path(), f.bytes()));
      }
    }
    return out;
  }

  /** A file read, or found over the size limit ({@code bytes} null: never read into memory). */
  private record Read(String path, byte[] bytes) {}

  private static Read read(String path, Path file, long limit) {
    try {
      if (Files.size(file) > limit) {
        return new Read(path, null);
      }
      byte[] bytes = Files.readAllBytes(file);
      return new Read(path, bytes.length > limit ? null : bytes);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static boolean matches(String name, String[] suffixes) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    for (String s : suffixes) {
      if (lower.endsWith(s) && lower.length() > s.length()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The hidden part of a path: the file itself ({@code manifests/.gitkeep}), or the first hidden
   * folder on the way with a trailing slash ({@code manifests/.cache/}); null when none is hidden.
   */
  private static String hidden(Path relative) {
    StringBuilder sb = new StringBuilder();
    int n = relative.getNameCount();
    for (int i = 0; i < n; i++) {
      String part = relative.getName(i).toString();
      sb.append(part);
      if (part.startsWith(".")) {
        return i == n - 1 ? sb.toString() : sb.append('/').toString();
      }
      sb.append('/');
    }
    return null;
  }

  private static boolean underOutput(String path, List<String> outputs) {
    for (String out : outputs) {
      if (!out.isEmpty() && (path.equals(out) || path.startsWith(out + "/"))) {
        return true;
      }
    }
    return false;
  }

  static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }
}

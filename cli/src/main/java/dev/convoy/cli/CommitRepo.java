package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigParser;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.Target;
import dev.convoy.git.Commit;
import dev.convoy.git.CommitReader;
import dev.convoy.git.RevisionNotFoundException;
import dev.convoy.git.TreeFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A config repo as one commit holds it, read from git objects: the same inputs {@link
 * ConfigRepo#read} finds in a folder ({@code convoy.yaml}, the {@code *.yaml}/{@code *.yml} under
 * the source and policy folders, the {@code *.drl} under the rule folders, hidden paths and output
 * folders left out), plus each target's committed output. Symbolic links and submodules are never
 * followed.
 *
 * @param commit the commit
 * @param inputs what the loader reads
 * @param previous each target's output as committed: its folder in the commit, or its folder in its
 *     rendered branch
 * @param skipped input paths that were not read, with why (symbolic links, submodules)
 */
record CommitRepo(
    Commit commit,
    ConfigRepo inputs,
    Map<String, SortedMap<String, byte[]>> previous,
    SortedMap<String, String> skipped) {

  /**
   * Reads the config repo of {@code commit}.
   *
   * @param targets only these targets (all when empty)
   * @param withPrevious whether to read each target's committed output too
   * @throws BadInputException for a missing or invalid convoy.yaml, an unknown target, or a file
   *     too large to read
   */
  static CommitRepo read(
      CommitReader git, Commit commit, List<String> targets, boolean withPrevious)
      throws BadInputException, RevisionNotFoundException {
    return read(git, commit, targets, withPrevious, false, null);
  }

  /**
   * Reads the config repo of {@code commit} to render it: its kustomize and Helm sources built
   * (from the commit's own files) and its inputs those every selected target reads.
   *
   * @param kustomizeCommand what builds kustomize sources; null for the default
   * @throws BadInputException as {@link #read(CommitReader, Commit, List, boolean)}, for a build
   *     that fails, or for targets that read different sources
   */
  static CommitRepo readToRender(
      CommitReader git,
      Commit commit,
      List<String> targets,
      boolean withPrevious,
      String kustomizeCommand)
      throws BadInputException, RevisionNotFoundException {
    return read(git, commit, targets, withPrevious, true, kustomizeCommand);
  }

  private static CommitRepo read(
      CommitReader git,
      Commit commit,
      List<String> targets,
      boolean withPrevious,
      boolean toRender,
      String kustomizeCommand)
      throws BadInputException, RevisionNotFoundException {
    TreeFiles configFile = git.files(commit, List.of(ConvoyConfig.FILE_NAME));
    byte[] configBytes = configFile.files().get(ConvoyConfig.FILE_NAME);
    if (configBytes == null) {
      String why = configFile.skipped().get(ConvoyConfig.FILE_NAME);
      throw new BadInputException(
          new InputError(
              ConvoyConfig.FILE_NAME,
              0,
              0,
              null,
              (why != null ? "is " + why : "not found")
                  + " in commit "
                  + commit.shortId()
                  + (git.prefix().isEmpty() ? "" : " under " + git.prefix())
                  + ": is this a Convoy config repo?"));
    }
    ConvoyConfig config =
        RepoRender.selectTargets(
            ConfigParser.parse(new InputFile(ConvoyConfig.FILE_NAME, configBytes)), targets, null);
    List<String> outputs =
        config.targets().stream().filter(t -> t.branch().isEmpty()).map(Target::output).toList();

    Set<String> folders = new LinkedHashSet<>();
    folders.addAll(config.sources());
    folders.addAll(config.policies());
    folders.addAll(config.rules());
    if (withPrevious) {
      folders.addAll(outputs);
    }
    TreeFiles tree = git.files(commit, folders);
    List<InputError> tooLarge = new ArrayList<>();
    SortedMap<String, String> skipped = new TreeMap<>();
    tree.skipped()
        .forEach(
            (path, why) -> {
              if (why.startsWith("larger")) {
                tooLarge.add(new InputError(path, 0, 0, null, "not read: " + why));
              } else if (!hidden(path) && !under(path, outputs)) {
                skipped.put(path, why);
              }
            });
    if (!tooLarge.isEmpty()) {
      throw new BadInputException(tooLarge);
    }
    ConfigRepo inputs =
        ConfigRepo.ofTree(
            config,
            select(tree.files(), config.sources(), outputs, ".yaml", ".yml"),
            select(tree.files(), config.policies(), outputs, ".yaml", ".yml"),
            select(tree.files(), config.rules(), outputs, ".drl"));

    if (toRender && config.hasBuiltSources()) {
      // kustomize and Helm build from the commit's files, staged as the commit has them: an
      // overlay's bases and a chart's templates may live anywhere in the repo.
      SortedMap<String, byte[]> all = new TreeMap<>();
      git.files(commit, List.of(""))
          .files()
          .forEach(
              (path, bytes) -> {
                if (!hidden(path) && !under(path, outputs)) {
                  all.put(path, bytes);
                }
              });
      inputs = SourceBuilds.run(all, inputs, kustomizeCommand);
    }

    Map<String, SortedMap<String, byte[]>> previous = new TreeMap<>();
    for (Target t : withPrevious ? config.targets() : List.<Target>of()) {
      previous.put(t.name(), previousOutput(git, commit, t, tree.files()));
    }
    return new CommitRepo(commit, inputs, previous, skipped);
  }

  /** A line of a file of this commit's inputs, for error messages; null when not at hand. */
  String sourceLine(String file, int line) {
    for (List<InputFile> files : List.of(inputs.sources(), inputs.policies(), inputs.rules())) {
      for (InputFile f : files) {
        if (f.path().equals(file)) {
          List<String> lines = new String(f.bytes(), StandardCharsets.UTF_8).lines().toList();
          return line >= 1 && line <= lines.size() ? lines.get(line - 1) : null;
        }
      }
    }
    return null;
  }

  private static SortedMap<String, byte[]> previousOutput(
      CommitReader git, Commit commit, Target t, SortedMap<String, byte[]> files)
      throws RevisionNotFoundException {
    String prefix = folderPrefix(t.output());
    SortedMap<String, byte[]> out = new TreeMap<>();
    if (t.branch().isEmpty()) {
      files.forEach(
          (path, bytes) -> {
            if (path.startsWith(prefix)) {
              out.put(path.substring(prefix.length()), bytes);
            }
          });
      return out;
    }
    Optional<Commit> branch = git.branch(t.branch().get());
    if (branch.isPresent()) {
      git.filesFromRoot(branch.get(), List.of(prefix.isEmpty() ? "" : prefix))
          .files()
          .forEach((path, bytes) -> out.put(path.substring(prefix.length()), bytes));
    }
    return out;
  }

  /** The files under {@code folders} with one of the suffixes, as {@link ConfigRepo#read} picks. */
  private static List<InputFile> select(
      SortedMap<String, byte[]> files,
      List<String> folders,
      List<String> outputs,
      String... suffixes) {
    SortedMap<String, byte[]> picked = new TreeMap<>();
    for (String folder : folders) {
      String prefix = folderPrefix(folder);
      files.forEach(
          (path, bytes) -> {
            if (path.startsWith(prefix)
                && suffix(path, suffixes)
                && !hidden(path)
                && !under(path, outputs)) {
              picked.putIfAbsent(path, bytes);
            }
          });
    }
    return picked.entrySet().stream().map(e -> new InputFile(e.getKey(), e.getValue())).toList();
  }

  private static String folderPrefix(String folder) {
    String f = folder.replace('\\', '/').replaceAll("^(\\./)+", "").replaceAll("/+$", "");
    return f.isEmpty() || f.equals(".") ? "" : f + "/";
  }

  private static boolean suffix(String path, String... suffixes) {
    for (String s : suffixes) {
      if (path.endsWith(s)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hidden(String path) {
    for (String part : path.split("/")) {
      if (part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean under(String path, List<String> outputs) {
    for (String out : outputs) {
      String prefix = folderPrefix(out);
      if (!prefix.isEmpty() && path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}

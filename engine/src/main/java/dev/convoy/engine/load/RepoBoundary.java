package dev.convoy.engine.load;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.yaml.YamlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps a run inside its config repo, which may come from a pull request's head or a hostile
 * remote: nothing outside the repo root (or inside {@code .git}) is read through a symlink, a
 * configured folder must exist unless marked optional, and no output folder is written through a
 * symlink or over an input.
 *
 * <p>Symlinks: a file symlink is read when its target is a file inside the repo and outside {@code
 * .git}; any other symlink (to a file outside the repo, into {@code .git}, to a folder, dangling)
 * among the inputs is an error naming the link, and nothing of its target is read. Folder symlinks
 * are never followed, neither in configured folders nor on the way to an output folder.
 */
final class RepoBoundary {
  private final Path root;
  private final Path realRoot;
  private final List<InputError> errors = new ArrayList<>();
  private final Set<String> walkable = new HashSet<>();

  private RepoBoundary(Path root, Path realRoot) {
    this.root = root;
    this.realRoot = realRoot;
  }

  static RepoBoundary of(Path root) {
    Path absolute = root.toAbsolutePath().normalize();
    Path real;
    try {
      real = absolute.toRealPath();
    } catch (IOException e) {
      real = absolute; // a missing repo: reading convoy.yaml reports it
    }
    return new RepoBoundary(absolute, real);
  }

  /** Refuses a {@code convoy.yaml} that is a symlink leaving the repo, before it is read. */
  void checkConfigFile() throws BadInputException {
    Path file = root.resolve(ConvoyConfig.FILE_NAME);
    if (Files.isSymbolicLink(file) && !readable(file)) {
      throw new BadInputException(errors);
    }
  }

  /**
   * Checks every configured folder and output folder on disk. Errors are collected; {@link
   * #throwIfFailed()} reports them.
   */
  void check(ConvoyConfig config, YamlDocument document) {
    List<InputError> outputs = OutputPaths.check(config, document);
    errors.addAll(outputs);
    folders("sources", config.sources(), config, document);
    folders("policies", config.policies(), config, document);
    folders("rules", config.rules(), config, document);
    List<Target> targets = config.targets();
    for (int i = 0; i < targets.size() && outputs.isEmpty(); i++) {
      output(i, OutputPaths.localFolder(targets.get(i)), document);
    }
  }

  /**
   * Allows walking {@code folder} when it is a real folder inside the root (missing: nothing to
   * walk; a symlink or .git: an error), for callers reading a repo's parts without a convoy.yaml.
   */
  void allowIfPresent(String folder) {
    String problem = folderProblem(folder, true);
    if (problem == null) {
      walkable.add(folder);
    } else if (!problem.isEmpty()) {
      errors.add(new InputError(folder, 0, 0, null, problem));
    }
  }

  /** Whether a configured folder passed {@link #check} and is there to be walked. */
  boolean walkable(String folder) {
    return walkable.contains(folder);
  }

  /**
   * Whether a path found while walking an input folder is a file to read: a regular file, or a
   * symlink to a regular file inside the repo and outside .git. Other symlinks are errors.
   */
  boolean readable(Path path) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return false;
    }
    if (attributes.isRegularFile()) {
      return true;
    }
    if (!attributes.isSymbolicLink()) {
      return false;
    }
    String link = ConfigRepo.relative(root, path);
    Path target;
    try {
      target = path.toRealPath();
    } catch (NoSuchFileException e) {
      return refuse(link, "is a symlink whose target does not exist");
    } catch (IOException e) {
      return refuse(link, "is a symlink that cannot be resolved (a loop?)");
    }
    if (!target.startsWith(realRoot)) {
      return refuse(link, "is a symlink pointing outside the repo; refused, nothing of it is read");
    }
    if (target.startsWith(realRoot.resolve(".git"))) {
      return refuse(link, "is a symlink into .git; refused, nothing of it is read");
    }
    if (Files.isDirectory(target)) {
      return refuse(
          link,
          "is a symlink to a folder; folder symlinks are not followed (list the folder itself in "
              + ConvoyConfig.FILE_NAME
              + ")");
    }
    return Files.isRegularFile(target);
  }

  void throwIfFailed() throws BadInputException {
    if (!errors.isEmpty()) {
      throw new BadInputException(errors);
    }
  }

  private boolean refuse(String file, String message) {
    errors.add(new InputError(file, 0, 0, null, message));
    return false;
  }

  private void folders(
      String key, List<String> folders, ConvoyConfig config, YamlDocument document) {
    for (int i = 0; i < folders.size(); i++) {
      String folder = folders.get(i);
      String path = key + "[" + i + "]";
      String problem = folderProblem(folder, config.optional().contains(folder));
      if (problem == null) {
        walkable.add(folder);
      } else if (!problem.isEmpty()) {
        configError(document, path, problem);
      }
    }
  }

  /** Null when the folder can be walked, "" when it is optional and missing, else the problem. */
  private String folderProblem(String folder, boolean optional) {
    String normalized = OutputPaths.normalize(folder);
    Path current = root;
    for (String part : normalized.isEmpty() ? new String[0] : normalized.split("/")) {
      if (part.equalsIgnoreCase(".git")) {
        return "'" + folder + "' lies inside .git";
      }
      current = current.resolve(part);
      BasicFileAttributes attributes = attributes(current);
      String shown = ConfigRepo.relative(root, current);
      if (attributes == null) {
        return optional
            ? ""
            : "folder '"
                + folder
                + "' does not exist"
                + (shown.equals(normalized) ? "" : " ('" + shown + "' is missing)")
                + "; write {path: "
                + folder
                + ", optional: true} if it may be missing";
      }
      if (attributes.isSymbolicLink()) {
        return "'"
            + folder
            + "': '"
            + shown
            + "' is a symlink; folder symlinks are not followed (list the folder itself)";
      }
      if (!attributes.isDirectory()) {
        return "'"
            + folder
            + "' is not a folder"
            + (shown.equals(normalized) ? "" : ": '" + shown + "' is a file");
      }
    }
    return null;
  }

  private void output(int index, String folder, YamlDocument document) {
    if (folder.isEmpty()) {
      return; // the repo root: OutputPaths reported it
    }
    Path current = root;
    for (String part : folder.split("/")) {
      current = current.resolve(part);
      BasicFileAttributes attributes = attributes(current);
      if (attributes == null) {
        return; // written from here on, by Convoy
      }
      String shown = ConfigRepo.relative(root, current);
      if (attributes.isSymbolicLink()) {
        configError(
            document,
            "targets[" + index + "].output",
            "'"
                + folder
                + "': '"
                + shown
                + "' is a symlink; rendering through it would write outside the folder and delete"
                + " what the link points to");
        return;
      }
      if (!attributes.isDirectory()) {
        configError(
            document,
            "targets[" + index + "].output",
            "'" + folder + "': '" + shown + "' is a file, not a folder");
        return;
      }
    }
  }

  private void configError(YamlDocument document, String path, String message) {
    errors.add(OutputPaths.configError(document, path, message));
  }

  private static BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}

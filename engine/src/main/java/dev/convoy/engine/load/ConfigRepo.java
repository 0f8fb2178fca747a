package dev.convoy.engine.load;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.Target;
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
 * @param config the parsed convoy.yaml
 * @param sources every {@code *.yaml}/{@code *.yml} under the source folders, sorted by path
 * @param policies every {@code *.yaml}/{@code *.yml} under the policy folders, sorted by path
 * @param rules every {@code *.drl} under the rule folders, sorted by path
 */
public record ConfigRepo(
    ConvoyConfig config, List<InputFile> sources, List<InputFile> policies, List<InputFile> rules) {

  public ConfigRepo {
    sources = List.copyOf(sources);
    policies = List.copyOf(policies);
    rules = List.copyOf(rules);
  }

  /** Reads a config repo from a folder. */
  public static ConfigRepo read(Path root) throws BadInputException {
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
    ConvoyConfig config = ConfigParser.parse(new InputFile(ConvoyConfig.FILE_NAME, configBytes));
    List<String> outputs =
        config.targets().stream().filter(t -> t.branch().isEmpty()).map(Target::output).toList();
    try {
      return new ConfigRepo(
          config,
          readAll(root, config.sources(), outputs, ".yaml", ".yml"),
          readAll(root, config.policies(), outputs, ".yaml", ".yml"),
          readAll(root, config.rules(), outputs, ".drl"));
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
      throws IOException {
    try {
      return readAll(root, List.of(folder), List.of(), suffixes);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static List<InputFile> readAll(
      Path root, List<String> folders, List<String> outputs, String... suffixes) {
    // Repo path to file, sorted by repo path so every later stage sees one order on every
    // machine; each relative path is computed once (in a sort comparator it was most of the read).
    java.util.TreeMap<String, Path> paths = new java.util.TreeMap<>();
    for (String folder : folders) {
      Path dir = root.resolve(folder).normalize();
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(Files::isRegularFile)
            .filter(p -> matches(p, suffixes))
            .forEach(
                p -> {
                  String relative = relative(root, p);
                  if (!hidden(root.relativize(p)) && !underOutput(relative, outputs)) {
                    paths.putIfAbsent(relative, p);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return paths.entrySet().stream()
        .parallel()
        .map(
            e -> {
              try {
                return new InputFile(e.getKey(), Files.readAllBytes(e.getValue()));
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              }
            })
        .toList();
  }

  private static boolean matches(Path p, String... suffixes) {
    String name = p.getFileName().toString();
    for (String s : suffixes) {
      if (name.endsWith(s)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
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

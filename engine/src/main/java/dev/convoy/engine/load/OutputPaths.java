package dev.convoy.engine.load;

import dev.convoy.engine.input.InputError;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where each target's output folder lies in the repo, and the check that keeps a run from replacing
 * what it reads: an output that is, contains or lies inside a source, policy, rule or test folder,
 * the repo root, {@code .git} (or anything under it), {@code convoy.yaml}, or another target's
 * output would be deleted or overwritten by the next render. A pure function of {@code
 * convoy.yaml}, so {@code validate}, {@code render}, {@code diff}, {@code reconcile} and {@code
 * review} all refuse the same configs before anything is written.
 */
public final class OutputPaths {
  /** The folder {@code convoy test} reads its cases from. */
  public static final String TESTS = "tests";

  private OutputPaths() {}

  /**
   * The folder a target renders to in the repo, normalized ({@code /}-separated, no {@code .} or
   * empty parts): its {@code output}, or {@code rendered/<name>} for a branch target without one.
   */
  public static String localFolder(Target target) {
    String output = normalize(target.output());
    return output.isEmpty() && target.branch().isPresent() ? "rendered/" + target.name() : output;
  }

  /** {@code ./rendered//prod/} as {@code rendered/prod}; the repo root as the empty string. */
  public static String normalize(String folder) {
    List<String> parts = new ArrayList<>();
    for (String part : folder.replace('\\', '/').split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  /** Every output folder that would replace an input, the repo, .git or another output. */
  public static List<InputError> check(ConvoyConfig config) {
    return check(config, null);
  }

  /** As {@link #check(ConvoyConfig)}, with lines from the parsed {@code convoy.yaml} when given. */
  static List<InputError> check(ConvoyConfig config, YamlDocument document) {
    List<InputError> errors = new ArrayList<>();
    List<Target> targets = config.targets();
    for (int i = 0; i < targets.size(); i++) {
      Target target = targets.get(i);
      String key = "targets[" + i + "].output";
      String output = localFolder(target);
      String problem = problem(output, config, target);
      for (int j = 0; problem == null && j < i; j++) {
        String other = localFolder(targets.get(j));
        String relation = relation(output, other);
        if (relation != null) {
          problem =
              "'"
                  + shown(output)
                  + (relation.equals("is")
                      ? "' is also"
                      : "' " + relation + " '" + shown(other) + "',")
                  + " the output of target '"
                  + targets.get(j).name()
                  + "' (targets["
                  + j
                  + "].output): the two renders would overwrite each other";
        }
      }
      if (problem != null) {
        errors.add(configError(document, key, problem + "; " + hint(config, target, output)));
      }
    }
    return errors;
  }

  /** An error at {@code path} of convoy.yaml, with its line when the parsed file is given. */
  static InputError configError(YamlDocument document, String path, String message) {
    return new InputError(
        ConvoyConfig.FILE_NAME,
        document == null ? 0 : document.lineOf(path),
        document == null ? 0 : document.index(),
        "ConvoyConfig",
        path + ": " + message);
  }

  /** What to do instead: a folder of its own, named when the usual one is free. */
  private static String hint(ConvoyConfig config, Target target, String output) {
    if (config.sources().stream().map(OutputPaths::normalize).anyMatch(String::isEmpty)) {
      return "sources: [.] reads the whole repo, outputs included: list the folders that hold"
          + " the manifests instead";
    }
    String usual = "rendered/" + target.name();
    boolean free = !usual.equals(output) && problem(usual, config, target) == null;
    for (Target other : config.targets()) {
      if (other != target && relation(usual, localFolder(other)) != null) {
        free = false;
      }
    }
    return "give the target a folder of its own" + (free ? ", such as " + usual : "");
  }

  private static String problem(String output, ConvoyConfig config, Target target) {
    if (output.isEmpty()) {
      return "'.' is the repo root: rendering would replace convoy.yaml and every input";
    }
    for (String part : output.split("/")) {
      if (part.toLowerCase(Locale.ROOT).equals(".git")) {
        return "'"
            + output
            + "' "
            + (output.equalsIgnoreCase(".git") ? "is" : "lies inside")
            + " git's own folder .git: rendering would replace the repository";
      }
    }
    if (output.equals(ConvoyConfig.FILE_NAME)) {
      return "'" + output + "' is the config file: rendering would replace it";
    }
    List<String[]> inputs = new ArrayList<>();
    add(inputs, "sources", config.sources());
    add(inputs, "policies", config.policies());
    add(inputs, "rules", config.rules());
    inputs.add(new String[] {"convoy test", TESTS, "the test cases folder"});
    for (String[] input : inputs) {
      String folder = normalize(input[1]);
      String relation = relation(output, folder);
      if (relation != null) {
        return "'"
            + output
            + "' "
            + relation
            + " "
            + input[2]
            + " '"
            + shown(folder)
            + "' ("
            + input[0]
            + "): "
            + (relation.equals("lies inside")
                ? "rendered files would be read back as inputs"
                : "rendering would delete it");
      }
    }
    return null;
  }

  private static void add(List<String[]> inputs, String key, List<String> folders) {
    for (int i = 0; i < folders.size(); i++) {
      inputs.add(new String[] {key + "[" + i + "]", folders.get(i), "the " + key + " folder"});
    }
  }

  /** "is", "contains" or "lies inside" when the two folders overlap, else null. */
  private static String relation(String output, String folder) {
    if (output.equals(folder)) {
      return "is";
    }
    if (folder.isEmpty() || output.startsWith(folder + "/")) {
      return "lies inside";
    }
    if (folder.startsWith(output + "/")) {
      return "contains";
    }
    return null;
  }

  private static String shown(String folder) {
    return folder.isEmpty() ? "." : folder;
  }
}

package dev.convoy.cli;

import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.BuildOutput;
import dev.convoy.engine.load.ConfigRepo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The repo file each built resource came from, so an error in a built file also names the file to
 * edit: {@code podinfo/production/deployment-frontend.yaml (built from
 * deploy/bases/frontend/deployment.yaml)}.
 */
final class BuiltOrigins {
  private final Map<String, String> origins;

  private BuiltOrigins(Map<String, String> origins) {
    this.origins = origins;
  }

  static BuiltOrigins of(ConfigRepo repo) {
    Map<String, String> origins = new HashMap<>();
    for (List<InputFile> files : repo.built().values()) {
      for (InputFile f : files) {
        String origin = originIn(f.text());
        if (origin != null) {
          origins.put(f.path(), origin);
        }
      }
    }
    return new BuiltOrigins(origins);
  }

  /** The errors, each in a built file naming its origin. */
  List<InputError> name(List<InputError> errors) {
    if (origins.isEmpty()) {
      return errors;
    }
    return errors.stream()
        .map(
            e ->
                origins.containsKey(e.file())
                    ? new InputError(
                        e.file() + " (built from " + origins.get(e.file()) + ")",
                        e.line(),
                        e.column(),
                        e.document(),
                        e.object(),
                        e.message())
                    : e)
        .toList();
  }

  /** The path in a printed resource's origin annotation (the loader's files are small). */
  static String originIn(String text) {
    int at = text.indexOf(BuildOutput.ORIGIN + ":");
    if (at < 0) {
      return null;
    }
    int path = text.indexOf("path: ", at);
    if (path < 0) {
      return null;
    }
    int end = text.indexOf('\n', path);
    String p = text.substring(path + "path: ".length(), end < 0 ? text.length() : end).strip();
    if (p.endsWith("\\n\"") || p.endsWith("\"")) {
      p = p.replaceAll("(\\\\n)?\"$", "");
    }
    return p;
  }
}

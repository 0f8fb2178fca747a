package dev.convoy.cli;

import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.WorkloadId;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.ManifestPrinter;
import dev.convoy.engine.yaml.YamlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code convoy test} case's {@code expected-violations.yaml}: read, compared with what a render
 * reported, and written by {@code --update} (docs/convoy-test.md, Expected violations).
 */
final class ExpectedViolations {
  private ExpectedViolations() {}

  /** Reads {@code violations:} from an expected-violations.yaml; an empty list expects none. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> read(Path file) throws IOException {
    Object root = document(file);
    if (root == null) {
      return List.of();
    }
    if (!(root instanceof Map<?, ?> map)
        || !(map.get("violations") == null || map.get("violations") instanceof List<?>)) {
      throw new IllegalArgumentException(file + ": must be a mapping with a 'violations:' list");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object item :
        (List<Object>) (map.get("violations") == null ? List.of() : map.get("violations"))) {
      if (!(item instanceof Map<?, ?> m) || !m.containsKey("code")) {
        throw new IllegalArgumentException(
            file + ": each violation is a mapping with at least 'code:'");
      }
      out.add((Map<String, Object>) m);
    }
    return out;
  }

  /**
   * Every expected violation matches one reported violation, and every reported one is expected.
   */
  static void compare(
      List<Map<String, Object>> expected, List<Violation> actual, List<String> problems) {
    List<Map<String, Object>> open = new ArrayList<>(expected);
    List<Violation> unexpected = new ArrayList<>();
    for (Violation v : actual) {
      Map<String, Object> hit = open.stream().filter(e -> matches(e, v)).findFirst().orElse(null);
      if (hit == null) {
        unexpected.add(v);
      } else {
        open.remove(hit);
      }
    }
    for (Violation v : unexpected) {
      problems.add("unexpected violation " + ViolationReport.describe(v));
    }
    for (Map<String, Object> e : open) {
      problems.add("expected violation not reported: " + e);
    }
  }

  static boolean matches(Map<String, Object> e, Violation v) {
    WorkloadId id = v.workload() == null ? null : WorkloadId.parse(v.workload());
    String target = id == null ? null : id.target();
    String workload = id == null ? null : id.ref();
    String severity = v.severity().name().toLowerCase(Locale.ROOT);
    return same(e, "code", v.code())
        && (e.containsKey("severity")
            ? same(e, "severity", severity)
            : v.severity() == Severity.ERROR)
        && (!e.containsKey("workload") || same(e, "workload", workload))
        && (!e.containsKey("target") || same(e, "target", target))
        && (!e.containsKey("policy") || same(e, "policy", v.policy()))
        && (!e.containsKey("file") || same(e, "file", v.file()))
        && (!e.containsKey("line") || same(e, "line", String.valueOf(v.line())))
        && (!e.containsKey("message")
            || (v.message() != null && v.message().contains(String.valueOf(e.get("message")))));
  }

  private static boolean same(Map<String, Object> e, String key, String value) {
    Object want = e.get(key);
    return want == null ? value == null : String.valueOf(want).equals(value);
  }

  /** Writes the violations as the expectation; no violations, no file. */
  static void write(Path file, List<Violation> reported) throws IOException {
    if (reported.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    List<Map<String, Object>> violations = new ArrayList<>();
    for (Violation v : reported) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("code", v.code());
      entry.put("severity", v.severity().name().toLowerCase(Locale.ROOT));
      if (v.workload() != null) {
        WorkloadId id = WorkloadId.parse(v.workload());
        entry.put("target", id.target());
        entry.put("workload", id.ref());
      }
      if (v.policy() != null) {
        entry.put("policy", v.policy());
      }
      entry.put("message", v.message());
      violations.add(entry);
    }
    Files.writeString(
        file,
        "# Written by convoy test --update; every violation this case must report.\n"
            + new ManifestPrinter().print(Map.of("violations", violations)));
  }

  /** The one YAML document of a case file, read as every config file is; null when empty. */
  static Object document(Path file) throws IOException {
    try {
      List<YamlDocument> docs =
          ManifestParser.parse(
              new InputFile(file.toString(), Files.readAllBytes(file)),
              ManifestParser.Positions.DROP);
      return docs.isEmpty() ? null : docs.get(0).content();
    } catch (BadInputException e) {
      throw new IllegalArgumentException(e.errors().get(0).describe(), e);
    }
  }
}

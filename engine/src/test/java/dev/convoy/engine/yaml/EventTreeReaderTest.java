package dev.convoy.engine.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event-built trees against the general path (node graph and SafeConstructor): the same
 * documents, lines, values and value types for every manifest in the repo and the corpus, and for
 * inputs only the general path takes, the same result or the same error.
 */
class EventTreeReaderTest {

  @ParameterizedTest
  @MethodSource("dev.convoy.engine.yaml.TestManifests#folders")
  void everyFileParsesAsTheGeneralPathDoes(String folder) throws IOException {
    List<Path> files = TestManifests.under(folder);
    for (Path p : files) {
      sameAsGeneral(new String(Files.readAllBytes(p), StandardCharsets.UTF_8), p.toString());
    }
  }

  @Test
  void plainManifestsTakeTheEventPath() throws BadInputException {
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 3
          paused: false
          ratio: 1.5
          nothing: ~
          empty:
          template:
            spec:
              containers:
              - name: web
                image: nginx:1.25
                args: ["--port", '8080', 0x1F, 010, 1_000]
        ---
        ---
        kind: Service
        """;
    sameAsGeneral(yaml, "plain.yaml");
    assertThat(eventPath(yaml)).isTrue();
  }

  @Test
  void sharedStringsAreOneInstance() throws BadInputException {
    SharedStrings strings = new SharedStrings();
    Map<String, Object> a = parse("metadata: {name: web}\n", strings).get(0).map();
    Map<String, Object> b = parse("metadata: {name: web}\n", strings).get(0).map();
    Map<String, Object> ma = a.get("metadata") instanceof Map<?, ?> m ? cast(m) : null;
    Map<String, Object> mb = b.get("metadata") instanceof Map<?, ?> m ? cast(m) : null;
    assertThat(ma.get("name")).isSameAs(mb.get("name"));
    assertThat(ma.keySet().iterator().next()).isSameAs(mb.keySet().iterator().next());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2\n",
        "a: &x 1\nb: *x\n",
        "list: &l [1, 2]\nagain: *l\n",
        "a: !!str 12\nb: !!int '7'\n",
        "a: !custom x\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x, y}\n",
        "a: !!omap [x: 1]\n",
        "? [a, b]\n: c\n",
        "? {a: b}\n: c\n",
        "a: 1\na: 2\n",
        "1: one\n'1': one again\n",
        "when: 2001-12-14t21:59:43.10-05:00\n",
        "<<: {a: 1}\n",
        "x: <<\n",
        "a: [b\n",
        "a: b\n- c\n",
        "a: *missing\n",
        "a: &x 1\nb: &x 2\n",
        "key: 'unterminated\n",
        "%YAML 1.1\n---\na: b\n",
        "--- !!map\na: b\n",
        "--- 12\n",
        "--- plain\n",
        "",
        "# only a comment\n",
        "a:\n\tb: c\n",
      })
  void unusualInputIsTheGeneralPathsToo(String yaml) {
    sameAsGeneral(yaml, "unusual.yaml");
  }

  @Test
  void deepNestingIsReportedAsTheGeneralPathDoes() {
    String deep = "a: " + "[".repeat(250) + "]".repeat(250) + "\n";
    sameAsGeneral(deep, "deep.yaml");
    assertThatThrownBy(() -> parse(deep, new SharedStrings()))
        .isInstanceOf(BadInputException.class);
  }

  private static void sameAsGeneral(String yaml, String name) {
    InputFile file = new InputFile(name, yaml.getBytes(StandardCharsets.UTF_8));
    Object general;
    try {
      general = describe(ManifestParser.parseGeneral(file, yaml, ManifestParser.Positions.DROP));
    } catch (BadInputException e) {
      general = e.errors();
    } catch (RuntimeException e) {
      general = e.getClass();
    }
    Object fast;
    try {
      fast = describe(ManifestParser.parse(file, ManifestParser.Positions.DROP));
    } catch (BadInputException e) {
      fast = e.errors();
    } catch (RuntimeException e) {
      fast = e.getClass();
    }
    assertThat(fast).as(name).isEqualTo(general);
  }

  private static boolean eventPath(String yaml) {
    InputFile file = new InputFile("x.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    try {
      ManifestParser.readEvents(file, yaml, new SharedStrings());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static List<YamlDocument> parse(String yaml, SharedStrings strings)
      throws BadInputException {
    return ManifestParser.parse(
        new InputFile("x.yaml", yaml.getBytes(StandardCharsets.UTF_8)),
        ManifestParser.Positions.DROP,
        strings);
  }

  /** Index, line and content of each document, with the class of every value spelled out. */
  private static List<Object> describe(List<YamlDocument> documents) {
    List<Object> out = new ArrayList<>();
    for (YamlDocument d : documents) {
      out.add(
          List.of(
              d.file(),
              d.index(),
              d.line(),
              String.valueOf(typed(d.content(), new IdentityHashMap<>()))));
    }
    return out;
  }

  private static Object typed(Object value, IdentityHashMap<Object, Boolean> seen) {
    if (value == null) {
      return "null";
    }
    if ((value instanceof Map<?, ?> || value instanceof List<?>)
        && seen.put(value, Boolean.TRUE) != null) {
      return "<recursive>";
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(typed(k, seen), typed(v, seen)));
      seen.remove(value);
      return value.getClass().getSimpleName() + out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(typed(v, seen)));
      seen.remove(value);
      return value.getClass().getSimpleName() + out;
    }
    if (value instanceof byte[] b) {
      return "byte[]" + java.util.Arrays.toString(b);
    }
    return value.getClass().getSimpleName() + ":" + value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}

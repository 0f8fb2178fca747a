package dev.convoy.engine.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.input.InputLimits;
import java.io.IOException;
import java.math.BigInteger;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The loader against SnakeYAML's own composer and constructor as the oracle (what Convoy loaded
 * before): the same documents, lines and values for every manifest in the repo and the corpus, once
 * each {@link PlainScalar} is read as YAML 1.1 would; and every rule the oracle does not know:
 * duplicate keys with both lines, limits, tabs, strict UTF-8, JSON.
 */
class ManifestParserTest {

  /** YAML 1.1 without timestamps: what Convoy's resolver was, so dates stay strings. */
  private static final class NoTimestamps extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }

  private static Yaml oracle() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(1000);
    return new Yaml(
        new SafeConstructor(options),
        new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
        new org.yaml.snakeyaml.DumperOptions(),
        options,
        new NoTimestamps());
  }

  @ParameterizedTest
  @MethodSource("dev.convoy.engine.yaml.TestManifests#folders")
  void everyFileLoadsAsSnakeYamlLoadsIt(String folder) throws IOException {
    for (Path p : TestManifests.under(folder)) {
      String text = Files.readString(p);
      List<Object> expected = new ArrayList<>();
      try {
        oracle().loadAll(text).forEach(expected::add);
      } catch (RuntimeException e) {
        continue; // invalid-input fixtures: covered by the cases below
      }
      List<YamlDocument> docs;
      try {
        docs = parse(text);
      } catch (BadInputException e) {
        throw new AssertionError(p + " loads with SnakeYAML but not here: " + e.getMessage());
      }
      List<Object> actual = new ArrayList<>();
      docs.forEach(d -> actual.add(asYaml11(d.content())));
      // SnakeYAML's loadAll drops a trailing empty document our reader keeps as null.
      assertThat(describe(actual)).as(p.toString()).isEqualTo(describe(expected));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2\n",
        "base: &b {a: 1, b: 2}\nd:\n  b: 3\n  <<: *b\n  c: 4\n",
        "x: &x {a: 1}\ny: &y {a: 2, b: 2}\nz:\n  <<: [*x, *y]\n",
        "a: &x 1\nb: *x\n",
        "list: &l [1, 2]\nagain: *l\n",
        "a: !!str 12\nb: !!int '7'\nc: !!float '1.5'\nd: !!bool 'true'\ne: !!null ''\n",
        "when: 2001-12-14t21:59:43.10-05:00\n",
        "'<<': not a merge\n",
        "--- !!map\na: b\n",
        "--- 12\n",
        "--- plain\n",
        "a:\n  - 1\n  -\n  - ~\n  - null\n",
        "\uFEFFa: b\n",
        "a: |\n  line\n\n  more\nb: >\n  folded\n  text\n",
        "a: \"\\u00e9\\t\\x41\"\n",
      })
  void unusualInputLoadsAsSnakeYamlLoadsIt(String yaml) throws BadInputException {
    List<Object> expected = new ArrayList<>();
    oracle().loadAll(yaml).forEach(expected::add);
    List<Object> actual = new ArrayList<>();
    parse(yaml).forEach(d -> actual.add(asYaml11(d.content())));
    assertThat(describe(actual)).as(yaml).isEqualTo(describe(expected));
  }

  @Test
  void emptyAndCommentOnlyFilesHaveNoDocuments() throws BadInputException {
    assertThat(parse("")).isEmpty();
    assertThat(parse("# Flux writes this placeholder\n")).isEmpty();
    assertThat(parse("\n\n   \n")).isEmpty();
    assertThat(parse("---\n")).singleElement().extracting(YamlDocument::content).isNull();
    assertThat(parse("--- ~\n")).singleElement().extracting(YamlDocument::content).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          kind: ConfigMap\\nmetadata: {name: a}\\nkind: Secret\\n | 3 | duplicate key 'kind' (also at line 1)
          spec:\\n  containers:\\n  - name: a\\n    image: x\\n    image: y\\n | 5 | duplicate key 'image' (also at line 4)
          {a: 1, b: 2, a: 3}\\n | 1 | duplicate key 'a' (also at line 1)
          base: &b {a: 1}\\nm:\\n  x: 1\\n  <<: *b\\n  x: 2\\n | 5 | duplicate key 'x' (also at line 3)
          """)
  void duplicateKeysNameBothLines(String yaml, int line, String message) {
    assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
        .isInstanceOf(BadInputException.class)
        .satisfies(
            e -> {
              InputError error = ((BadInputException) e).errors().get(0);
              assertThat(error.line()).isEqualTo(line);
              assertThat(error.message()).startsWith(message);
            });
  }

  @Test
  void manyKeysStillFindTheDuplicate() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      yaml.append("k").append(i).append(": v\n");
    }
    yaml.append("k250: again\n");
    assertThatThrownBy(() -> parse(yaml.toString()))
        .hasMessageContaining("x.yaml:501: (document 1) duplicate key 'k250' (also at line 251)");
  }

  @Test
  void aliasBombsStopBeforeExpanding() throws BadInputException {
    StringBuilder nine =
        new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      nine.append("a").append(i).append(": &a").append(i).append(" [");
      nine.append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1))));
      nine.append("]\n");
    }
    StringBuilder fan = new StringBuilder("a0: &a0 [x, x]\n");
    for (int i = 1; i <= 24; i++) {
      fan.append("a%d: &a%d [*a%d, *a%d]\n".formatted(i, i, i - 1, i - 1));
    }
    for (String bomb : List.of(nine.toString(), fan.toString())) {
      assertThatThrownBy(() -> parse(bomb))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining("aliases stand for more than 10000 nodes (limits.aliasExpansion)");
    }
    // Raised far enough, the same file loads: the aliases are the anchored trees, not copies.
    InputLimits raised = new InputLimits(InputLimits.MIB, 10, Long.MAX_VALUE, 200, 1024);
    assertThat(parseWith(fan.toString(), raised)).hasSize(1);
  }

  @Test
  void ordinaryAnchorsAreFine() throws BadInputException {
    Map<String, Object> doc =
        parse("defaults: &d {cpu: 100m, memory: 64Mi}\na: *d\nb: *d\n").get(0).map();
    assertThat(doc.get("a")).isEqualTo(doc.get("defaults")).isSameAs(doc.get("b"));
  }

  @Test
  void recursiveAndUndefinedAliasesAreErrors() {
    assertThatThrownBy(() -> parse("a: &a [*a]\n"))
        .hasMessageContaining("alias *a refers to itself");
    assertThatThrownBy(() -> parse("a: *nope\n")).hasMessageContaining("alias *nope has no anchor");
  }

  @Test
  void nestingIsBounded() throws BadInputException {
    String deep = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    assertThatThrownBy(() -> parse(deep))
        .hasMessageContaining("x.yaml:1:203: (document 1) nested deeper than 200 levels");
    String deepJson = "{\"a\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertThatThrownBy(() -> parseAs("x.json", deepJson))
        .hasMessageContaining("nested deeper than 200 levels");
    assertThat(parse("a: " + "[".repeat(199) + "]".repeat(199) + "\n")).hasSize(1);
  }

  @Test
  void scalarLengthIsBounded() {
    InputLimits small = new InputLimits(InputLimits.MIB, 10, 10, 10, 100);
    assertThatThrownBy(() -> parseWith("a: b\nbig: " + "x".repeat(500) + "\n", small))
        .hasMessageContaining("x.yaml:2:6: (document 1) a token")
        .hasMessageContaining("longer than 100 characters (limits.scalarLength)");
    assertThatThrownBy(() -> parseWith("big: |\n" + "  xxxxxxxxxx\n".repeat(20), small))
        .hasMessageContaining("x.yaml:1:6: (document 1) a scalar of 220 characters, more than 100");
    assertThatThrownBy(() -> parseWith("\"" + "x".repeat(500) + "\"", small, "x.json"))
        .hasMessageContaining("more than 100 (limits.scalarLength)");
  }

  @Test
  void documentsAndBytesPerFileAreBounded() {
    InputLimits small = new InputLimits(100, 3, 10, 10, 100);
    assertThatThrownBy(() -> parseWith("a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n", small))
        .hasMessageContaining("x.yaml:6:1: (document 4) more than 3 documents in one file");
    assertThatThrownBy(() -> parseWith("a: " + "b".repeat(200), small))
        .hasMessageContaining("x.yaml:1: the file is 203 bytes, more than the limit of 100 bytes");
  }

  @Test
  void aTabAfterAKeyIsAcceptedAsKubectlAcceptsIt() throws BadInputException {
    Map<String, Object> doc =
        parse("metadata:\t\n  name: x\ndata:\n  a:\tb\n  c: d\t\n").get(0).map();
    assertThat(doc)
        .isEqualTo(Map.of("metadata", Map.of("name", "x"), "data", Map.of("a", "b", "c", "d")));
    // Tabs inside values are values.
    Map<String, Object> values = parse("a: x\ty\nb: \"x\ty\"\nc: |\n  one\ttwo\t\n").get(0).map();
    assertThat(values.get("a")).isEqualTo("x\ty");
    assertThat(values.get("b")).isEqualTo("x\ty");
    assertThat(values.get("c")).isEqualTo("one\ttwo\t\n");
    // A tab as indentation is still an error, as in kubectl.
    assertThatThrownBy(() -> parse("a:\n\tb: c\n")).isInstanceOf(BadInputException.class);
  }

  @Test
  void invalidUtf8IsAnErrorWithLineAndColumn() throws BadInputException {
    byte[] bytes = "a: b\nk: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(
            () ->
                ManifestParser.parse(
                    new InputFile("bad.yaml", bytes), ManifestParser.Positions.DROP))
        .hasMessageStartingWith("bad.yaml:2:7: invalid UTF-8: byte 0xE9");
    // A replacement character written as such is fine.
    assertThat(parse("k: \uFFFD\n").get(0).map().get("k")).isEqualTo("\uFFFD");
  }

  @Test
  void forbiddenCharactersAreAnErrorWithLineAndColumn() {
    assertThatThrownBy(() -> parse("a: b\nc: d\u0001e\n"))
        .hasMessageStartingWith("x.yaml:2:5: invalid YAML: the character U+0001 is not allowed");
  }

  @Test
  void onlyCoreTagsAreRead() {
    assertThatThrownBy(() -> parse("a: !!java.lang.Object x\n"))
        .hasMessageContaining("unsupported tag");
    assertThatThrownBy(() -> parse("a: !custom x\n"))
        .hasMessageContaining("x.yaml:1:4: (document 1) unsupported tag !custom");
    assertThatThrownBy(() -> parse("a: !!set {x, y}\n")).hasMessageContaining("unsupported tag");
    assertThatThrownBy(() -> parse("a: !!binary aGVsbG8=\n"))
        .hasMessageContaining("unsupported tag");
    assertThatThrownBy(() -> parse("a: !!int twelve\n"))
        .hasMessageContaining("'twelve' is not a valid !!int");
    assertThatThrownBy(() -> parse("? [a, b]\n: c\n"))
        .hasMessageContaining("a mapping key must be a scalar");
  }

  @Test
  void syntaxErrorsNameLineAndColumn() {
    assertThatThrownBy(() -> parse("a: b\nc: [d\n"))
        .hasMessageStartingWith(
            "x.yaml:3:1: (document 1) invalid YAML: while parsing a flow sequence");
  }

  @Test
  void loadedTreesAreUnmodifiable() throws BadInputException {
    Map<String, Object> doc =
        parse("metadata: {name: a, labels: {}}\nspec:\n  containers:\n  - name: app\n")
            .get(0)
            .map();
    assertThatThrownBy(() -> doc.put("kind", "Secret"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> doc.remove("spec")).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> labels =
        (Map<String, Object>) ((Map<String, Object>) doc.get("metadata")).get("labels");
    assertThatThrownBy(() -> labels.put("a", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(labels::clear).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> containers =
        (List<Object>) ((Map<String, Object>) doc.get("spec")).get("containers");
    assertThatThrownBy(() -> containers.add(Map.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> containers.set(0, null))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> doc.entrySet().iterator().next().setValue(1))
        .isInstanceOf(UnsupportedOperationException.class);
    // A copy is a plain mutable tree with the same content.
    Map<String, Object> copy = dev.convoy.engine.model.Trees.copy(doc);
    copy.put("kind", "Pod");
    assertThat(copy).containsEntry("kind", "Pod");
    assertThat(doc).doesNotContainKey("kind");
  }

  @Test
  void largeMappingsLookUpLikeSmallOnes() throws BadInputException {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      yaml.append("k").append(i).append(": ").append(i).append('\n');
    }
    Map<String, Object> doc = parse(yaml.toString()).get(0).map();
    assertThat(doc).hasSize(1000).containsEntry("k0", 0).containsEntry("k999", 999);
    assertThat(doc.containsKey("k1000")).isFalse();
    Map<String, Object> same = new LinkedHashMap<>(doc);
    assertThat(doc).isEqualTo(same);
    assertThat(doc.hashCode()).isEqualTo(same.hashCode());
    assertThat(new ArrayList<>(doc.keySet()).get(500)).isEqualTo("k500");
  }

  @Test
  void positionsFindNestedPaths() throws BadInputException {
    YamlDocument doc =
        ManifestParser.parse(
                InputFile.of(
                    "p.yaml",
                    "kind: SidecarPolicy\nspec:\n  sidecars:\n  - position: pre\n    container:\n      name: proxy\n      image: x\n  - position: post\n"),
                ManifestParser.Positions.KEEP)
            .get(0);
    assertThat(doc.lineOf("spec.sidecars[0].container.name")).isEqualTo(6);
    assertThat(doc.lineOf("spec.sidecars[0].container")).isEqualTo(6);
    assertThat(doc.lineOf("spec.sidecars[1].position")).isEqualTo(8);
    assertThat(doc.lineOf("spec.sidecars[1].container.image")).isEqualTo(8);
    assertThat(doc.lineOf("spec.nothing")).isEqualTo(3);
    assertThat(doc.lineOf("kind")).isEqualTo(1);
  }

  @Test
  void jsonDocumentsListsAndNumbers() throws BadInputException {
    List<YamlDocument> docs =
        parseAs(
            "cm.json",
            "{\"apiVersion\": \"v1\", \"kind\": \"List\",\n \"items\": [{\"kind\": \"ConfigMap\", \"data\": {\"a\": \"on\"}}]}\n"
                + "{\"kind\": \"Pod\", \"n\": 1, \"f\": 1.50, \"e\": 1e3, \"h\": 0.5, \"big\": 123456789012345678901234567890}");
    assertThat(docs).hasSize(2);
    assertThat(docs.get(1).line()).isEqualTo(3);
    Map<String, Object> pod = docs.get(1).map();
    assertThat(pod.get("n")).isEqualTo(1);
    assertThat(pod.get("f")).isEqualTo(new PlainScalar("1.50"));
    assertThat(pod.get("e")).isEqualTo(new PlainScalar("1e3"));
    assertThat(pod.get("h")).isEqualTo(0.5);
    assertThat(pod.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThatThrownBy(() -> parseAs("d.json", "{\"a\": 1,\n \"a\": 2}"))
        .hasMessageContaining("d.json:2: (document 1) duplicate key 'a' (also at line 1)");
    assertThatThrownBy(() -> parseAs("b.json", "{\"a\": 1,\n \"b\": }"))
        .hasMessageStartingWith("b.json:2:")
        .hasMessageContaining("invalid JSON");
    assertThat(parseAs("e.json", "")).isEmpty();
  }

  @Test
  void plainScalarsReadersDisagreeOnStayAsWritten() throws BadInputException {
    Map<String, Object> doc =
        parse(
                "a: 12:30\nb: on\nc: 0755\nd: 0x1F\ne: 1e3\nf: ~\ng: 2024-01-02\nh: 1.30\ni: +1\n"
                    + "j: 1_000\nk: y\nl: .inf\nm: 0.5\nint: 42\no: true\np: null\nq:\nr: name\n"
                    + "on: key\nn: no\nx: <<\n")
            .get(0)
            .map();
    for (String k : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "x")) {
      assertThat(doc.get(k)).as(k).isInstanceOf(PlainScalar.class);
    }
    assertThat(doc.get("m")).isEqualTo(0.5);
    assertThat(doc.get("int")).isEqualTo(42);
    assertThat(doc.get("o")).isEqualTo(true);
    assertThat(doc).containsEntry("p", null).containsEntry("q", null).containsEntry("r", "name");
    // Keys too: on: and n: are booleans to YAML 1.1 and to Kubernetes, and stay as written.
    assertThat(doc.get(new PlainScalar("on"))).isEqualTo("key");
    assertThat(doc.get(new PlainScalar("n"))).isEqualTo(new PlainScalar("no"));
  }

  // ---------------------------------------------------------------------------------------

  private static List<YamlDocument> parse(String yaml) throws BadInputException {
    return parseAs("x.yaml", yaml);
  }

  private static List<YamlDocument> parseAs(String name, String text) throws BadInputException {
    return ManifestParser.parse(InputFile.of(name, text), ManifestParser.Positions.DROP);
  }

  private static List<YamlDocument> parseWith(String text, InputLimits limits)
      throws BadInputException {
    return parseWith(text, limits, "x.yaml");
  }

  private static List<YamlDocument> parseWith(String text, InputLimits limits, String name)
      throws BadInputException {
    return ManifestParser.parse(
        InputFile.of(name, text), ManifestParser.Positions.DROP, new SharedStrings(), limits);
  }

  /** The tree with every PlainScalar as YAML 1.1 (without timestamps) reads its text. */
  private static Object asYaml11(Object value) {
    if (value instanceof PlainScalar p) {
      Map<?, ?> m = oracle().load("v: " + p.text());
      return m.get("v");
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(asYaml11(k), asYaml11(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(asYaml11(v)));
      return out;
    }
    return value;
  }

  /** Each value with its class spelled out (maps and lists by interface, not implementation). */
  private static String describe(Object value) {
    return String.valueOf(typed(value, new IdentityHashMap<>()));
  }

  private static Object typed(Object value, IdentityHashMap<Object, Boolean> seen) {
    if (value == null) {
      return "null";
    }
    if ((value instanceof Map<?, ?> || value instanceof List<?>) && seen.containsKey(value)) {
      return "<shared>";
    }
    if (value instanceof Map<?, ?> m) {
      List<Object> out = new ArrayList<>();
      m.forEach((k, v) -> out.add(typed(k, seen) + "=" + typed(v, seen)));
      return "Map" + out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(typed(v, seen)));
      return "List" + out;
    }
    return value.getClass().getSimpleName() + ":" + value;
  }
}

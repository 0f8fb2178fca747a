package dev.convoy.engine.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The printer's own emitter against SnakeYAML's, and both against the parser: for random trees full
 * of YAML look-alikes and for every manifest in the repo and the shared corpus, printing then
 * parsing gives the same tree back, and the bytes are SnakeYAML's.
 */
class ManifestPrinterTest {
  private final ManifestPrinter printer = new ManifestPrinter();

  /** Strings that are easy to get wrong: other types in YAML 1.1, indicators, spaces, breaks. */
  private static final String[] TRICKY = {
    "",
    " ",
    "  ",
    "a",
    "yes",
    "Yes",
    "YES",
    "no",
    "No",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
    "y",
    "Y",
    "n",
    "N",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "FALSE",
    "null",
    "Null",
    "NULL",
    "~",
    "nulls",
    "nothing",
    "0",
    "00",
    "0755",
    "0o755",
    "0x1F",
    "0b101",
    "1_000",
    "12",
    "-12",
    "+12",
    "1e3",
    "1E3",
    "1.5",
    ".5",
    "-.5",
    "+.5",
    "1.",
    "1.0e-3",
    ".inf",
    "-.inf",
    ".Inf",
    ".nan",
    ".NaN",
    "1:30",
    "190:20:30",
    "1:70",
    "123456789012345678901234567890",
    "2024-01-02",
    "2024-1-2 10:00:00",
    "2001-12-14t21:59:43.10-05:00",
    "12:30",
    "1.2.3",
    "v1",
    "8080",
    "9090/TCP",
    "-",
    "--",
    "---",
    "--- x",
    "...",
    "... x",
    "-a",
    "- a",
    "?",
    "? a",
    "?a",
    ":",
    ": a",
    ":a",
    "a:",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "#a",
    ",",
    ",a",
    "[a]",
    "]",
    "{a}",
    "}",
    "&a",
    "*a",
    "!a",
    "!!str",
    "|",
    "|a",
    ">",
    ">-",
    "'a'",
    "'",
    "\"",
    "\"a\"",
    "%a",
    "@a",
    "`a",
    "=",
    "<<",
    "<",
    "a\\b",
    "\\",
    "a'b",
    "it's",
    "a\"b",
    " a",
    "a ",
    " a ",
    "a  b",
    "a\tb",
    "\t",
    "a\n",
    "a\nb",
    "a\nb\n",
    "a\nb\n\n",
    "\n",
    "\n\n",
    "\na",
    "  a\nb",
    "a \nb",
    "a\n b",
    "a\n\nb",
    "line one\nline two\n",
    "#!/bin/sh\necho hi\n",
    "x\n  indented\n",
    "tab\tin\nblock",
    "trailing \nspace",
    "é",
    "naïve café",
    "日本語",
    "emoji 😀",
    "\u00a0",
    "a\u00a0b",
    "\ufeffbom",
    "ctl\u0001",
    "\u007f",
    "cr\rlf",
    "key=value",
    "=a",
    "a=",
    "@",
    "%",
    "100m",
    "128Mi",
    "0.5",
    "1e-3",
    "-1",
    "+",
    "+a",
    ".",
    "..",
    ".a",
    "1-2",
    "http://example.com/a?b=c#d",
    "image:tag",
    "registry:5000/app:1.0",
    "a,b",
    "a[0]",
    "a{b}",
    "a|b",
    "a>b",
    "--flag=value",
    "-Dx=y",
    "$(VAR)",
    "${VAR}",
    "a*",
    "a&",
    "a!",
    "0.0.0.0",
    "::1",
    "[::1]:80",
  };

  @Test
  void randomTreesPrintLikeSnakeYamlAndParseBack() throws BadInputException {
    Random random = new Random(20261124L);
    for (int i = 0; i < 3000; i++) {
      Object tree = random.nextInt(10) == 0 ? list(random, 0) : map(random, 0);
      check(tree, "random tree " + i);
    }
  }

  @Test
  void everyTrickyStringAsValueKeyAndItem() throws BadInputException {
    for (String s : TRICKY) {
      Map<String, Object> tree = new LinkedHashMap<>();
      tree.put("value", s);
      tree.put(s, "key");
      tree.put("items", new ArrayList<>(List.of(s, List.of(s), Map.of("k", s))));
      Map<String, Object> nested = new LinkedHashMap<>();
      nested.put("deeper", new LinkedHashMap<>(Map.of("value", s)));
      tree.put("nested", nested);
      check(tree, "string " + printable(s));
    }
  }

  @Test
  void controlCharactersAreEscapedNotBinary() throws BadInputException {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("bell", "ring\u0007");
    tree.put("nul", "a\0b");
    String printed = printer.print(tree);
    assertThat(printed).isEqualTo("bell: \"ring\\a\"\nnul: \"a\\0b\"\n");
    assertThat(parse(printed)).isEqualTo(tree);
  }

  @Test
  void kubectlLayout() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("apiVersion", "v1");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put(
        "containers",
        List.of(
            new LinkedHashMap<>(Map.of("name", "app")),
            new LinkedHashMap<>(Map.of("args", List.of("a", "b")))));
    spec.put("volumes", List.of());
    spec.put("nodeSelector", Map.of());
    spec.put("script", "#!/bin/sh\necho hi\n");
    spec.put("port", "8080");
    spec.put("replicas", 3);
    tree.put("spec", spec);
    assertThat(printer.print(tree))
        .isEqualTo(
            """
        apiVersion: v1
        spec:
          containers:
          - name: app
          - args:
            - a
            - b
          volumes: []
          nodeSelector: {}
          script: |
            #!/bin/sh
            echo hi
          port: '8080'
          replicas: 3
        """);
  }

  @ParameterizedTest
  @MethodSource("dev.convoy.engine.yaml.TestManifests#folders")
  void everyManifestInTheRepoAndCorpus(String folder) throws IOException, BadInputException {
    List<Path> files = TestManifests.under(folder);
    for (Path p : files) {
      List<YamlDocument> documents;
      try {
        documents =
            ManifestParser.parse(
                new InputFile(p.toString(), Files.readAllBytes(p)), ManifestParser.Positions.DROP);
      } catch (BadInputException e) {
        continue; // invalid-input fixtures
      }
      for (YamlDocument d : documents) {
        if (d.content() instanceof Map<?, ?> || d.content() instanceof List<?>) {
          check(d.content(), p + " document " + d.index());
          // Real manifests never need the SnakeYAML fallback.
          new BlockEmitter(new StringBuilder()).document(d.content());
        }
      }
    }
  }

  private void check(Object tree, String what) throws BadInputException {
    String printed = printer.print(tree);
    assertThat(parse(printed)).as(what + ":\n" + printed).isEqualTo(tree);
    if (!printed.contains("\\ufeff")
        && !hasLeadingZeroScalar(tree)
        && !java.util.regex.Pattern.compile("(?m)^ *(- )*\\? ").matcher(printed).find()) {
      // SnakeYAML writes a byte order mark plain, where a document start drops it; we escape it.
      // An unquoted 0400 we write as read, where SnakeYAML would write !!int '0400'. Explicit
      // "? key" entries we lay out in our own (equally valid) way.
      assertThat(printed).as(what).isEqualTo(printer.printWithSnakeYaml(tree));
    }
  }

  private static boolean hasLeadingZeroScalar(Object tree) {
    if (tree instanceof PlainScalar p) {
      return p.text().matches("0[0-9_]+");
    }
    if (tree instanceof Map<?, ?> m) {
      return m.keySet().stream().anyMatch(ManifestPrinterTest::hasLeadingZeroScalar)
          || m.values().stream().anyMatch(ManifestPrinterTest::hasLeadingZeroScalar);
    }
    return tree instanceof List<?> l
        && l.stream().anyMatch(ManifestPrinterTest::hasLeadingZeroScalar);
  }

  private static Object parse(String yaml) throws BadInputException {
    List<YamlDocument> docs =
        ManifestParser.parse(InputFile.of("printed.yaml", yaml), ManifestParser.Positions.DROP);
    assertThat(docs).hasSize(1);
    return docs.get(0).content();
  }

  private static String printable(String s) {
    return s.replace("\n", "\\n").replace("\t", "\\t");
  }

  private static Map<String, Object> map(Random random, int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = depth > 4 ? random.nextInt(2) : random.nextInt(5);
    for (int i = 0; i < n; i++) {
      // Keys with line breaks are left to SnakeYAML (it writes them as "? key"): not generated.
      Object key =
          random.nextInt(30) == 0 ? (Object) random.nextInt(100) : string(random).replace("\n", "");
      m.put(key instanceof String s ? s : String.valueOf(key), value(random, depth + 1));
    }
    return m;
  }

  private static List<Object> list(Random random, int depth) {
    List<Object> l = new ArrayList<>();
    int n = depth > 4 ? random.nextInt(2) : random.nextInt(4);
    for (int i = 0; i < n; i++) {
      l.add(value(random, depth + 1));
    }
    return l;
  }

  private static Object value(Random random, int depth) {
    return switch (random.nextInt(12)) {
      case 0, 1 -> map(random, depth);
      case 2 -> list(random, depth);
      case 3 -> random.nextInt(1000) - 500;
      case 4 -> random.nextLong();
      case 5 -> random.nextBoolean();
      case 6 -> null;
      case 7 ->
          random.nextInt(4) == 0
              ? new BigInteger("123456789012345678901234567890")
              : random.nextDouble() * 1000;
      default -> string(random);
    };
  }

  private static String string(Random random) {
    if (random.nextBoolean()) {
      return TRICKY[random.nextInt(TRICKY.length)];
    }
    StringBuilder sb = new StringBuilder();
    int parts = 1 + random.nextInt(3);
    for (int i = 0; i < parts; i++) {
      sb.append(TRICKY[random.nextInt(TRICKY.length)]);
    }
    return sb.toString();
  }
}

package dev.convoy.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.render.InjectionRecord;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.YamlDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading the injection record from printed text must give what parsing gives, or step aside. */
class PrintedAnnotationTest {
  private static final String KEY = InjectionRecord.INJECTED;
  private static final List<String> DEPLOYMENT = WorkloadKind.DEPLOYMENT.templatePath();

  /** Every workload document the engine's golden cases expect, read both ways. */
  @Test
  void agreesWithTheParserOnEveryRenderedWorkloadOfTheGoldenCases() throws Exception {
    int settled = 0;
    int workloads = 0;
    for (Path file : expectedFiles()) {
      for (byte[] document : OutputFiles.documents(Files.readAllBytes(file))) {
        List<YamlDocument> docs =
            ManifestParser.parse(
                new InputFile(file.toString(), document), ManifestParser.Positions.DROP);
        if (docs.size() != 1 || docs.get(0).map() == null) {
          continue;
        }
        Map<String, Object> object = docs.get(0).map();
        WorkloadKind kind = WorkloadKind.of(Trees.string(object, "kind"));
        if (kind == null || kind.podTemplateOf(object) == null) {
          continue;
        }
        workloads++;
        Map<String, Object> metadata = Trees.map(object, "metadata");
        String parsed =
            Trees.string(
                Trees.map(Trees.map(kind.podTemplateOf(object), "metadata"), "annotations"), KEY);
        PrintedAnnotation.Answer read =
            PrintedAnnotation.read(
                document,
                kind.kind(),
                Trees.string(metadata, "name"),
                Trees.string(metadata, "namespace"),
                kind.templatePath(),
                KEY);
        if (read instanceof PrintedAnnotation.Unsure) {
          continue;
        }
        settled++;
        assertThat(read)
            .as(file + ": " + Trees.string(metadata, "name"))
            .isEqualTo(
                parsed == null
                    ? new PrintedAnnotation.Absent()
                    : new PrintedAnnotation.Found(parsed));
      }
    }
    assertThat(workloads).isGreaterThan(100);
    // The point of it: nearly every printed workload is read without a parse.
    assertThat(settled).isGreaterThan(workloads * 9 / 10);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          the template's record             | Found   | '      annotations:\\n        convoy.dev/injected: mesh@abc\\n'
          no record                         | Absent  | '      labels:\\n        app: web\\n'
          on the Deployment, not the pods   | Unsure  | '      labels:\\n        app: web\\n  annotationz: {}\\n    convoy.dev/injected: mesh@abc\\n'
          quoted                            | Unsure  | '      annotations:\\n        convoy.dev/injected: "mesh@abc"\\n'
          in a block scalar                 | Unsure  | '      annotations:\\n        note: |\\n          convoy.dev/injected: mesh@abc\\n'
          twice                             | Unsure  | '      annotations:\\n        convoy.dev/injected: mesh@abc\\n        x: convoy.dev/injected: y\\n'
          a tab                             | Unsure  | '      annotations:\\n\\t convoy.dev/injected: mesh@abc\\n'
          """)
  void settlesOnlyWhatTheTextMakesCertain(String row, String expected, String template) {
    String document =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
            + "spec:\n  replicas: 2\n  template:\n    metadata:\n"
            + template.translateEscapes()
            + "    spec:\n      containers:\n      - name: app\n        image: nginx\n";

    PrintedAnnotation.Answer answer = read(document, "web", "shop");

    assertThat(answer.getClass().getSimpleName()).as(row).isEqualTo(expected);
    if (answer instanceof PrintedAnnotation.Found f) {
      assertThat(f.value()).isEqualTo("mesh@abc");
    }
  }

  @Test
  void anotherObjectOrAListIsNotReadAsTheWorkload() {
    String web =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n";
    assertThat(read(web, "api", "shop")).isInstanceOf(PrintedAnnotation.NotThis.class);
    assertThat(read(web, "web", "other")).isInstanceOf(PrintedAnnotation.NotThis.class);
    assertThat(read(web.replace("kind: Deployment", "kind: DeploymentList"), "web", "shop"))
        .isInstanceOf(PrintedAnnotation.Unsure.class);
    assertThat(read("{kind: Deployment, metadata: {name: web}}\n", "web", null))
        .isInstanceOf(PrintedAnnotation.Unsure.class);
  }

  private static PrintedAnnotation.Answer read(String document, String name, String namespace) {
    return PrintedAnnotation.read(
        document.getBytes(StandardCharsets.UTF_8), "Deployment", name, namespace, DEPLOYMENT, KEY);
  }

  private static List<Path> expectedFiles() throws IOException {
    Path cases = Path.of("src/test/resources/cases");
    try (Stream<Path> all = Files.walk(cases)) {
      return all.filter(p -> p.toString().contains("/expected/"))
          .filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.toString().contains("/.convoy/"))
          .sorted()
          .toList();
    }
  }
}

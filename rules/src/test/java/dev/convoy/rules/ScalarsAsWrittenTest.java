package dev.convoy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigParser;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.output.OutputFolder;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.YamlDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scalars Convoy does not own come out as they were written, in a workload it injects into (its pod
 * annotations are copied and changed, its containers rebuilt) and in a document it passes through:
 * the rendered text is the source text, and {@code kubectl kustomize} reads the rendered folder to
 * the same values as the source folder.
 */
class ScalarsAsWrittenTest {
  /**
   * Values YAML readers disagree on. ({@code .inf} and {@code .nan} are kept as written too, see
   * the golden case scalars-as-written, but kustomize cannot turn them into JSON at all.)
   */
  private static final List<String> VALUES =
      List.of(
          "12:30",
          "1:1",
          "on",
          "off",
          "yes",
          "no",
          "y",
          "n",
          "0755",
          "0o17",
          "0x1F",
          "1e3",
          "~",
          "null",
          "2024-01-02",
          "+1",
          "1_000",
          "1.30",
          "-0",
          "0b101",
          "1.0",
          "007",
          "0.5");

  /** Keys: kustomize refuses keys that are not strings to it, so only those it reads as strings. */
  private static final List<String> KEYS =
      List.of("12:30", "1:1", "on", "off", "yes", "no", "y", "n", "Y", "NO");

  private static final String CONFIG =
      "apiVersion: convoy.dev/v1alpha1\nkind: ConvoyConfig\ntargets:\n"
          + "  - name: prod\n    kubernetesVersion: 1.30\n";
  private static final String POLICY =
      """
      apiVersion: convoy.dev/v1alpha1
      kind: SidecarPolicy
      metadata:
        name: mesh
      spec:
        selector:
          matchLabels: {mesh: enabled}
        sidecars:
          - position: pre
            container: {name: proxy, image: envoyproxy/envoy:v1.31.0}
      """;

  @Test
  void renderedTextIsTheSourceTextAndKustomizeReadsTheSameValues(@TempDir Path tmp)
      throws Exception {
    String source = source();
    ConfigRepo repo =
        new ConfigRepo(
            ConfigParser.parse(InputFile.of("convoy.yaml", CONFIG)),
            List.of(InputFile.of("manifests/values.yaml", source)),
            List.of(InputFile.of("policies/mesh.yaml", POLICY)),
            List.of());
    RenderResult result = EngineCasesTest.render(repo);
    assertThat(result.violations()).isEmpty();
    var files = result.targets().get(0).files();
    String rendered = new String(files.get("manifests/values.yaml"), StandardCharsets.UTF_8);

    // kubernetesVersion: 1.30 is 1.30 (native sidecars), not 1.3 (legacy).
    assertThat(rendered).contains("restartPolicy: Always");
    for (int i = 0; i < VALUES.size(); i++) {
      String v = VALUES.get(i);
      assertThat(rendered).as("value " + v).contains("\n  v" + i + ": " + v + "\n");
      assertThat(rendered)
          .as("annotation " + v)
          .contains("\n        example.com/v" + i + ": " + v + "\n");
      assertThat(rendered).as("arg " + v).contains("\n        - " + v + "\n");
    }
    for (int i = 0; i < KEYS.size(); i++) {
      assertThat(rendered)
          .as("key " + KEYS.get(i))
          .contains("\n  " + KEYS.get(i) + ": k" + i + "\n");
    }

    Assumptions.assumeTrue(kubectl(), "kubectl is not on the PATH");
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("values.yaml"), source);
    Files.writeString(src.resolve("kustomization.yaml"), "resources:\n- values.yaml\n");
    Path out = tmp.resolve("out");
    new OutputFolder(out).write(files);
    Map<String, Object> before = values(kustomize(src));
    Map<String, Object> after = values(kustomize(out));
    assertThat(after).isEqualTo(before);
    assertThat(((Map<?, ?>) before.get("values"))).hasSize(VALUES.size());
  }

  private static String source() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\n  namespace: shop\ndata:\n");
    for (int i = 0; i < VALUES.size(); i++) {
      sb.append("  v").append(i).append(": ").append(VALUES.get(i)).append('\n');
    }
    sb.append(
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keys\n  namespace: shop\ndata:\n");
    for (int i = 0; i < KEYS.size(); i++) {
      sb.append("  ").append(KEYS.get(i)).append(": k").append(i).append('\n');
    }
    sb.append(
        """
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
                mesh: enabled
              annotations:
        """);
    for (int i = 0; i < VALUES.size(); i++) {
      sb.append("        example.com/v").append(i).append(": ").append(VALUES.get(i)).append('\n');
    }
    sb.append("    spec:\n      containers:\n      - name: app\n        image: example/web:1\n");
    sb.append("        args:\n");
    for (String v : VALUES) {
      sb.append("        - ").append(v).append('\n');
    }
    return sb.toString();
  }

  /** The values under test in a kustomize build, loaded as Convoy loads them (text kept). */
  private static Map<String, Object> values(String built) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    for (YamlDocument d :
        ManifestParser.parse(InputFile.of("built.yaml", built), ManifestParser.Positions.DROP)) {
      Map<String, Object> m = d.map();
      String name = Trees.string(Trees.map(m, "metadata"), "name");
      if ("ConfigMap".equals(d.kind())) {
        out.put(name, Trees.map(m, "data"));
      } else if ("Deployment".equals(d.kind())) {
        Map<String, Object> template = Trees.map(Trees.map(m, "spec"), "template");
        Map<Object, Object> annotations = new LinkedHashMap<>();
        Trees.map(Trees.map(template, "metadata"), "annotations")
            .forEach(
                (k, v) -> {
                  if (k.startsWith("example.com/")) {
                    annotations.put(k, v);
                  }
                });
        out.put("annotations", annotations);
        List<Object> args = new ArrayList<>();
        for (Map<String, Object> c : Trees.mapList(Trees.map(template, "spec"), "containers")) {
          if ("app".equals(c.get("name"))) {
            args.addAll((List<?>) c.get("args"));
          }
        }
        out.put("args", args);
      }
    }
    return out;
  }

  private static boolean kubectl() {
    try {
      Process p =
          new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String kustomize(Path dir) throws Exception {
    Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}

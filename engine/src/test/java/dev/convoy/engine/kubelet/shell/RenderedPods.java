package dev.convoy.engine.kubelet.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Pod specs out of rendered output: the golden case {@code kubelet-scenarios}' expected folders by
 * default, or any folder with the same layout ({@code -Dconvoy.scenarios.rendered=DIR}, e.g. what
 * another build of Convoy rendered from that case's {@code in/}).
 */
final class RenderedPods {
  static final Path CASE =
      Path.of(
          System.getProperty("convoy.engineTestResources", "src/test/resources"),
          "cases",
          "kubelet-scenarios");

  private RenderedPods() {}

  static Path root() {
    String override = System.getProperty("convoy.scenarios.rendered");
    return override != null ? Path.of(override) : CASE.resolve("expected");
  }

  /** The pod spec of {@code Kind/namespace/name} as rendered for {@code target}. */
  static Map<String, Object> pod(String target, String ref) {
    String[] parts = ref.split("/", 3);
    for (Map<String, Object> doc : documents(root().resolve(target))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> meta = (Map<String, Object>) doc.get("metadata");
      if (parts[0].equals(doc.get("kind"))
          && meta != null
          && parts[2].equals(meta.get("name"))
          && parts[1].equals(meta.getOrDefault("namespace", "default"))) {
        return podSpec(doc);
      }
    }
    throw new IllegalArgumentException("no " + ref + " rendered for " + target + " in " + root());
  }

  /** Every YAML document under a folder, in path order. */
  static List<Map<String, Object>> documents(Path folder) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (Object doc : yaml.loadAll(Files.readString(f))) {
          if (doc instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            out.add(map);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The pod spec inside a workload document (Pod, Deployment, Job, CronJob, ...). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> podSpec(Map<String, Object> doc) {
    Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
    return switch (String.valueOf(doc.get("kind"))) {
      case "Pod" -> spec;
      case "CronJob" ->
          (Map<String, Object>)
              ((Map<String, Object>)
                      ((Map<String, Object>)
                              ((Map<String, Object>) spec.get("jobTemplate")).get("spec"))
                          .get("template"))
                  .get("spec");
      default -> (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    };
  }
}

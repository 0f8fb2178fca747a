package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.RenderRun;
import dev.convoy.engine.TargetRender;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.engine.model.Workload;
import dev.convoy.rules.DroolsPolicyRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading a head by reusing its base's parse gives what loading the head whole gives. */
class HeadLoaderTest {
  private static final Path CASES = Path.of("src", "test", "resources", "review-cases");
  private static DroolsPolicyRules rules;

  @TempDir Path tmp;

  @BeforeAll
  static void compileRules() throws Exception {
    rules = DroolsPolicyRules.builder().setRecordFirings(false).build();
  }

  static Stream<String> cases() throws Exception {
    try (Stream<Path> list = Files.list(CASES)) {
      return list
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void reusingTheBaseLoadsWhatALoadOfTheWholeHeadLoads(String name) throws Exception {
    ConfigRepo base = ConfigRepo.read(onDisk(name, "base"));
    ConfigRepo head = ConfigRepo.read(onDisk(name, "head"));

    assertSameLoad(HeadLoader.load(head, base, RepoLoader.load(base)), RepoLoader.load(head));
  }

  @Test
  void aSampleRepoWithEditsInSomeFilesLoadsTheSame() throws Exception {
    Path baseDir = tmp.resolve("base");
    CliRun.copy(CliRun.sample(), baseDir);
    Path headDir = tmp.resolve("head");
    CliRun.copy(CliRun.sample(), headDir);
    Path cart = headDir.resolve("manifests/shop/cart.yaml");
    Files.writeString(cart, Files.readString(cart).replace("cart:3.1.0", "cart:3.2.0"));
    Files.delete(headDir.resolve("manifests/shop/debug-pod.yaml"));
    Files.writeString(
        headDir.resolve("manifests/shop/extra.yaml"),
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: extra, namespace: shop}
        spec:
          selector: {matchLabels: {app: extra}}
          template:
            metadata: {labels: {app: extra, mesh: enabled}}
            spec:
              containers: [{name: app, image: extra:1}]
        """);
    ConfigRepo base = ConfigRepo.read(baseDir);
    ConfigRepo head = ConfigRepo.read(headDir);

    assertSameLoad(HeadLoader.load(head, base, RepoLoader.load(base)), RepoLoader.load(head));
  }

  @Test
  void aWorkloadDefinedTwiceAcrossAReusedAndAChangedFileIsTheLoadersError() throws Exception {
    Path baseDir = tmp.resolve("base");
    CliRun.copy(CliRun.sample(), baseDir);
    Path headDir = tmp.resolve("head");
    CliRun.copy(CliRun.sample(), headDir);
    Files.copy(
        headDir.resolve("manifests/shop/cart.yaml"), headDir.resolve("manifests/shop/cart-2.yaml"));
    ConfigRepo base = ConfigRepo.read(baseDir);
    ConfigRepo head = ConfigRepo.read(headDir);

    BadInputException whole =
        catchThrowableOfType(BadInputException.class, () -> RepoLoader.load(head));
    BadInputException reused =
        catchThrowableOfType(
            BadInputException.class, () -> HeadLoader.load(head, base, RepoLoader.load(base)));

    assertThat(whole).isNotNull();
    assertThat(reused).isNotNull();
    assertThat(reused.errors()).isEqualTo(whole.errors());
  }

  @Test
  void aNamespaceChangedInTheHeadChangesWhatPoliciesSelect() throws Exception {
    Path baseDir = tmp.resolve("base");
    CliRun.copy(CliRun.sample(), baseDir);
    Path headDir = tmp.resolve("head");
    CliRun.copy(CliRun.sample(), headDir);
    Path ns = headDir.resolve("manifests/namespaces.yaml");
    Files.writeString(ns, Files.readString(ns).replace("mesh: enabled", "mesh: disabled"));
    ConfigRepo base = ConfigRepo.read(baseDir);
    ConfigRepo head = ConfigRepo.read(headDir);

    LoadedRepo reused = HeadLoader.load(head, base, RepoLoader.load(base));

    assertThat(reused.namespaceLabels()).isEqualTo(RepoLoader.load(head).namespaceLabels());
    assertThat(reused.namespaceLabels()).isNotEqualTo(RepoLoader.load(base).namespaceLabels());
  }

  private static void assertSameLoad(LoadedRepo reused, LoadedRepo whole) {
    assertThat(reused.sourceFiles().stream().map(LoadedRepo.SourceFile::path))
        .containsExactlyElementsOf(
            whole.sourceFiles().stream().map(LoadedRepo.SourceFile::path).toList());
    assertThat(reused.workloads().stream().map(Workload::ref))
        .containsExactlyElementsOf(whole.workloads().stream().map(Workload::ref).toList());
    assertThat(reused.namespaceLabels()).isEqualTo(whole.namespaceLabels());
    assertThat(reused.policies()).isEqualTo(whole.policies());
    assertThat(render(reused)).isEqualTo(render(whole));
  }

  /** Every target's files as text, and the violations. */
  private static Map<String, String> render(LoadedRepo repo) {
    RenderResult result =
        RenderRun.of(repo).setRules(rules).setNow(Instant.parse("2026-01-01T00:00:00Z")).call();
    Map<String, String> out = new TreeMap<>();
    for (TargetRender t : result.targets()) {
      t.files()
          .forEach((path, bytes) -> out.put(t.target().name() + "/" + path, new String(bytes)));
    }
    out.put("violations", List.copyOf(result.violations()).toString());
    return out;
  }

  /**
   * A copy of a case's side as a checkout has it: git keeps no empty folders, so the cases carry no
   * {@code rules/} folder, which convoy.yaml names and a folder on disk must have.
   */
  private Path onDisk(String name, String side) throws Exception {
    Path copy = tmp.resolve(name + "-" + side);
    CliRun.copy(CASES.resolve(name).resolve(side), copy);
    Files.createDirectories(copy.resolve("rules"));
    return copy;
  }
}

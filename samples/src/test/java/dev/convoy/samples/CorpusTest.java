package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every set of real public manifests renders with a policy that selects every workload, and {@code
 * kubectl kustomize} builds the result: the project's own sets ({@code src/test/resources/corpus},
 * always) and those of a larger corpus beside the checkout ({@code ../shared/corpus}, or {@code
 * -Dconvoy.corpus=DIR}), which are skipped with the reason when it is absent.
 */
class CorpusTest {
  private static final Path OWN = Path.of("src/test/resources/corpus");

  private static final Path SHARED =
      Path.of(System.getProperty("convoy.corpus", "../../shared/corpus"));

  private static final String CONFIG =
      """
      apiVersion: convoy.dev/v1alpha1
      kind: ConvoyConfig
      targets:
        - name: prod
          kubernetesVersion: "1.31"
      """;

  private static final String POLICY =
      """
      apiVersion: convoy.dev/v1alpha1
      kind: SidecarPolicy
      metadata:
        name: everywhere
      spec:
        sidecars:
          - position: pre
            ready: {httpGet: {path: /ready, port: 15021}}
            container: {name: convoy-proxy, image: envoyproxy/envoy:v1.31.0}
          - position: post
            container: {name: convoy-logs, image: fluent/fluent-bit:3.1.9}
      """;

  @TestFactory
  Stream<DynamicTest> rendersEverySetOfTheProjectsCorpusIntoAFolderKustomizeBuilds()
      throws IOException {
    return renderEverySet(OWN);
  }

  @TestFactory
  Stream<DynamicTest> rendersEverySetOfTheCorpusBesideTheCheckout() throws IOException {
    if (!Files.isDirectory(SHARED)) {
      // A skipped test, not an aborted factory: Surefire counts and reports only the former.
      return Stream.of(
          DynamicTest.dynamicTest(
              "corpus beside the checkout",
              () ->
                  assumeTrue(
                      false,
                      "no corpus at "
                          + SHARED.toAbsolutePath().normalize()
                          + " (set -Dconvoy.corpus=DIR to render one); the project's own corpus"
                          + " still ran")));
    }
    return renderEverySet(SHARED);
  }

  private static Stream<DynamicTest> renderEverySet(Path corpus) throws IOException {
    try (Stream<Path> sets = Files.list(corpus)) {
      List<Path> found = sets.filter(Files::isDirectory).sorted().toList();
      assertThat(found).as("sets of manifests in " + corpus).isNotEmpty();
      return found.stream()
          .map(
              set ->
                  DynamicTest.dynamicTest(set.getFileName().toString(), () -> renderAndBuild(set)));
    }
  }

  private static void renderAndBuild(Path set) throws Exception {
    Path repo = Files.createTempDirectory("convoy-corpus-");
    copyTree(set, repo.resolve("manifests"));
    Files.writeString(repo.resolve("convoy.yaml"), CONFIG);
    Files.createDirectories(repo.resolve("policies"));
    Files.writeString(repo.resolve("policies/everywhere.yaml"), POLICY);

    Convoy.Run run = Convoy.run("render", "--report", repo.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    // Every Deployment of the set (counted in the source text) is injected, proxy first, logs last.
    long deployments;
    try (Stream<Path> files = Files.walk(set)) {
      deployments =
          files
              .filter(Files::isRegularFile)
              .flatMap(
                  f -> {
                    try {
                      return Files.readAllLines(f).stream();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .filter(l -> l.equals("kind: Deployment"))
              .count();
    }
    assertThat(deployments).isPositive();
    assertThat(run.out().lines().filter(l -> l.startsWith("prod Deployment/")))
        .as(run.out())
        .hasSize((int) deployments)
        .allSatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "prod Deployment/\\S+ injected order=\\[convoy-proxy( \\S+)+ convoy-logs\\] .*"));
    Kubectl.Result built = Kubectl.kustomize(repo.resolve("rendered/prod"));
    assertThat(built.exitCode()).as(built.err()).isZero();
    assertThat(built.out())
        .contains(
            "kind: VirtualService", "kind: Gateway", "name: convoy-proxy", "restartPolicy: Always");
  }

  /**
   * Copies a folder tree, or one file, making the parent folders; shared by the samples' tests that
   * change a copy of a sample.
   */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target);
        }
      }
    }
  }
}

package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.cli.ConvoyCommand;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.YamlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deployment samples work: they parse, their convoy command lines are valid, their paths exist.
 */
class DeploySamplesTest {
  private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DEPLOY = Path.of("deploy").toAbsolutePath();

  @Test
  void everyDeploySampleParsesAsKubernetesYaml() throws Exception {
    List<Path> files = yamlFiles(DEPLOY);
    files.add(Path.of("ci/github-actions.yaml").toAbsolutePath());

    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    for (Path f : files) {
      assertThat(documents(f))
          .as(f.toString())
          .isNotEmpty()
          .allSatisfy(d -> assertThat(d.map()).as(f + " document " + d.index()).isNotNull());
    }
  }

  @Test
  void theCronJobRunsAReconcileCommandLineTheCliAccepts() throws Exception {
    Map<String, Object> cronJob =
        documents(DEPLOY.resolve("cronjob/convoy-reconcile.yaml")).stream()
            .map(YamlDocument::map)
            .filter(m -> "CronJob".equals(m.get("kind")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> container =
        Trees.mapList(
                Trees.at(cronJob, List.of("spec", "jobTemplate", "spec", "template", "spec")),
                "containers")
            .get(0);
    @SuppressWarnings("unchecked")
    List<String> args = (List<String>) container.get("args");

    CommandLine.ParseResult parsed =
        ConvoyCommand.commandLine().parseArgs(args.toArray(String[]::new));

    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("reconcile");
    assertThat(parsed.subcommand().hasMatchedOption("--git-credentials-dir")).isTrue();
    assertThat(parsed.subcommand().hasMatchedOption("--work-dir")).isTrue();
    // The credentials folder the CronJob names is the secret volume it mounts.
    String credentials =
        String.valueOf(
            parsed.subcommand().matchedOptionValue("--git-credentials-dir", (Object) null));
    assertThat(Trees.mapList(container, "volumeMounts"))
        .anySatisfy(m -> assertThat(m.get("mountPath")).isEqualTo(credentials));
  }

  @Test
  void theCiWorkflowRunsConvoyCommandLinesTheCliAccepts() throws Exception {
    List<String[]> commands = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("ci/github-actions.yaml"))) {
      int at = line.indexOf("bin/convoy ");
      if (at >= 0 && !line.contains("bin/convoy --")) {
        commands.add(line.substring(at + "bin/convoy ".length()).trim().split("\\s+"));
      }
    }

    assertThat(commands).extracting(c -> c[0]).containsExactly("validate", "test", "diff");
    for (String[] command : commands) {
      CommandLine.ParseResult parsed = ConvoyCommand.commandLine().parseArgs(command);
      assertThat(parsed.subcommand()).as(Arrays.toString(command)).isNotNull();
    }
  }

  @Test
  void argoCdAndFluxSyncARenderedFolderThatKustomizeBuilds() throws Exception {
    Map<String, Object> application =
        documents(DEPLOY.resolve("argocd/application.yaml")).get(0).map();
    String argoPath = Trees.string(Trees.at(application, List.of("spec", "source")), "path");
    Map<String, Object> kustomization =
        documents(DEPLOY.resolve("flux/config-repo.yaml")).stream()
            .map(YamlDocument::map)
            .filter(m -> "Kustomization".equals(m.get("kind")))
            .findFirst()
            .orElseThrow();
    String fluxPath =
        Trees.string(Trees.map(kustomization, "spec"), "path").replaceFirst("^\\./", "");

    for (String path : List.of(argoPath, fluxPath)) {
      Path folder = PROJECT.resolve(path);
      assertThat(folder.resolve("kustomization.yaml")).as(path).isRegularFile();
      Kubectl.Result built = Kubectl.kustomize(folder);
      assertThat(built.exitCode()).as(built.err()).isZero();
    }
  }

  @Test
  void kustomizeBuildsTheDeployFolder() throws Exception {
    Kubectl.Result built = Kubectl.kustomize(DEPLOY);

    assertThat(built.exitCode()).as(built.err()).isZero();
    assertThat(built.out())
        .contains("name: convoy-reconcile")
        .contains("name: convoy-fleet")
        .contains("completionMode: Indexed")
        .contains("kind: PrometheusRule");
  }

  @Test
  void everySampleRunsTheImageTheBuildMakes() throws Exception {
    String expected =
        System.getProperty("convoy.image") + ":" + System.getProperty("convoy.version");
    List<String> images = new ArrayList<>();
    for (Path f : yamlFiles(DEPLOY)) {
      for (String line : Files.readAllLines(f)) {
        if (line.strip().startsWith("image:")) {
          images.add(line.strip().substring("image:".length()).strip());
        }
      }
    }

    assertThat(images).hasSizeGreaterThanOrEqualTo(2).containsOnly(expected);
  }

  @Test
  void theFleetIsAnIndexedJobWithOneShardPerCompletion() throws Exception {
    Map<String, Object> cronJob =
        documents(DEPLOY.resolve("fleet/convoy-fleet.yaml")).stream()
            .map(YamlDocument::map)
            .filter(m -> "CronJob".equals(m.get("kind")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> job = Trees.at(cronJob, List.of("spec", "jobTemplate", "spec"));
    Map<String, Object> container =
        Trees.mapList(Trees.at(job, List.of("template", "spec")), "containers").get(0);
    @SuppressWarnings("unchecked")
    List<String> args = (List<String>) container.get("args");

    CommandLine.ParseResult parsed =
        ConvoyCommand.commandLine().parseArgs(args.toArray(String[]::new));

    assertThat(job.get("completionMode")).isEqualTo("Indexed");
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("reconcile");
    assertThat(parsed.subcommand().hasMatchedOption("--shard-index"))
        .as("the index comes from JOB_COMPLETION_INDEX")
        .isFalse();
    assertThat((Integer) parsed.subcommand().matchedOptionValue("--shard-count", 1))
        .isEqualTo(job.get("completions"));
    String repos = String.valueOf(parsed.subcommand().matchedOptionValue("--repos", (Object) null));
    assertThat(Trees.mapList(container, "volumeMounts"))
        .anySatisfy(m -> assertThat(repos).startsWith(m.get("mountPath") + "/"));
  }

  @Test
  void theCiWorkflowInstallsTheTarballTheBuildMakes() throws Exception {
    String workflow = Files.readString(Path.of("ci/github-actions.yaml"));
    String version = System.getProperty("convoy.version");

    assertThat(workflow)
        .contains("CONVOY_VERSION: \"" + version + "\"")
        .contains("convoy-$CONVOY_VERSION.tar.gz")
        .doesNotContain("example.invalid");
    Path dist = Path.of(System.getProperty("convoy.dist"));
    if (Files.isRegularFile(dist)) {
      Process tar = new ProcessBuilder("tar", "tzf", dist.toString()).start();
      List<String> entries = new String(tar.getInputStream().readAllBytes()).lines().toList();
      assertThat(tar.waitFor()).isZero();
      assertThat(entries)
          .contains(
              "convoy-" + version + "/bin/convoy",
              "convoy-" + version + "/convoy.jar",
              "convoy-" + version + "/convoy.classlist")
          .anyMatch(e -> e.startsWith("convoy-" + version + "/lib/org.eclipse.jgit-"));
    }
  }

  private static List<YamlDocument> documents(Path file) throws Exception {
    return ManifestParser.parse(
            new InputFile(file.getFileName().toString(), Files.readAllBytes(file)),
            ManifestParser.Positions.DROP)
        .stream()
        .filter(d -> d.content() != null)
        .toList();
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return new ArrayList<>(walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList());
    }
  }
}

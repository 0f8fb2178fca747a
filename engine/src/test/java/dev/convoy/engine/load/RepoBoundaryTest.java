package dev.convoy.engine.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config repo is hostile input: symlinks never make a run read outside the repo or inside .git,
 * and nothing of their targets shows in an error. Real files and real symlinks in a temp folder.
 */
class RepoBoundaryTest {
  static final String TOKEN = "token-5f0c2e9a-do-not-leak";
  static final String APP =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          spec:
            containers: [{name: app, image: example/web:1}]
      """;

  @TempDir Path tmp;
  Path repo;
  Path outside;

  @BeforeEach
  void repo() throws IOException {
    repo = Files.createDirectories(tmp.resolve("repo"));
    outside = Files.createDirectories(tmp.resolve("bot-home"));
    Files.writeString(outside.resolve("kubeconfig.yaml"), "token: " + TOKEN + "\n");
    write(
        "convoy.yaml",
        "apiVersion: convoy.dev/v1alpha1\nkind: ConvoyConfig\ntargets:\n  - name: prod\n");
    write("manifests/app.yaml", APP);
    write("policies/.keep.yaml", "");
  }

  @Test
  void aFileSymlinkOutsideTheRepoIsRefusedNamingTheLinkAndNothingOfItIsRead() throws IOException {
    Files.createSymbolicLink(
        repo.resolve("manifests/kubeconfig.yaml"), outside.resolve("kubeconfig.yaml"));

    List<String> errors = errors();

    assertThat(errors)
        .containsExactly(
            "manifests/kubeconfig.yaml: is a symlink pointing outside the repo; refused, nothing"
                + " of it is read");
    assertThat(String.join("\n", errors)).doesNotContain(TOKEN).doesNotContain(outside.toString());
  }

  @Test
  void aRelativeSymlinkClimbingOutOfTheRepoIsRefusedToo() throws IOException {
    Files.createSymbolicLink(
        repo.resolve("manifests/up.yaml"), Path.of("../../bot-home/kubeconfig.yaml"));

    assertThat(errors())
        .singleElement()
        .asString()
        .startsWith("manifests/up.yaml: is a symlink pointing outside");
  }

  @Test
  void aSymlinkIntoDotGitIsRefused() throws IOException {
    write(".git/config", "[remote \"origin\"]\n  url = https://robot:" + TOKEN + "@git.example\n");
    Files.createSymbolicLink(repo.resolve("manifests/git.yaml"), Path.of("../.git/config"));

    assertThat(errors())
        .containsExactly(
            "manifests/git.yaml: is a symlink into .git; refused, nothing of it is read");
  }

  @Test
  void folderSymlinksAndDanglingSymlinksAreRefused() throws IOException {
    Files.createSymbolicLink(repo.resolve("manifests/etc"), outside);
    Files.createDirectories(repo.resolve("shared"));
    Files.createSymbolicLink(repo.resolve("manifests/shared"), Path.of("../shared"));
    Files.createSymbolicLink(repo.resolve("manifests/gone.yaml"), Path.of("nowhere.yaml"));

    assertThat(errors())
        .containsExactlyInAnyOrder(
            "manifests/etc: is a symlink pointing outside the repo; refused, nothing of it is read",
            "manifests/shared: is a symlink to a folder; folder symlinks are not followed (list"
                + " the folder itself in convoy.yaml)",
            "manifests/gone.yaml: is a symlink whose target does not exist");
  }

  @Test
  void aFileSymlinkInsideTheRepoIsReadAsTheFileItPointsTo() throws Exception {
    write("common/app.yaml", APP.replace("web", "api"));
    Files.createSymbolicLink(repo.resolve("manifests/api.yaml"), Path.of("../common/app.yaml"));

    ConfigRepo read = ConfigRepo.read(repo);

    assertThat(read.sources().stream().map(InputFile::path))
        .containsExactly("manifests/api.yaml", "manifests/app.yaml");
    assertThat(new String(read.sources().get(0).bytes(), StandardCharsets.UTF_8))
        .contains("name: api");
  }

  @Test
  void aConvoyYamlLinkedFromOutsideIsRefusedBeforeItIsRead() throws IOException {
    Files.delete(repo.resolve("convoy.yaml"));
    Files.writeString(outside.resolve("convoy.yaml"), "password: " + TOKEN + "\n");
    Files.createSymbolicLink(repo.resolve("convoy.yaml"), outside.resolve("convoy.yaml"));

    assertThat(errors())
        .containsExactly(
            "convoy.yaml: is a symlink pointing outside the repo; refused, nothing of it is read");
  }

  @Test
  void aConfiguredFolderThatIsOrPassesThroughASymlinkIsRefused() throws IOException {
    write(
        "convoy.yaml",
        """
        apiVersion: convoy.dev/v1alpha1
        kind: ConvoyConfig
        sources: [linked, via/manifests]
        targets:
          - name: prod
        """);
    Files.createSymbolicLink(repo.resolve("linked"), outside);
    Files.createSymbolicLink(repo.resolve("via"), outside);

    assertThat(errors())
        .containsExactly(
            "convoy.yaml:3: (document 1, ConvoyConfig) sources[0]: 'linked': 'linked' is a symlink;"
                + " folder symlinks are not followed (list the folder itself)",
            "convoy.yaml:3: (document 1, ConvoyConfig) sources[1]: 'via/manifests': 'via' is a"
                + " symlink; folder symlinks are not followed (list the folder itself)");
  }

  @Test
  void anOutputFolderOrAParentOfItThatIsASymlinkIsRefused() throws IOException {
    Files.createSymbolicLink(repo.resolve("rendered"), outside);

    assertThat(errors())
        .containsExactly(
            "convoy.yaml:4: (document 1, ConvoyConfig) targets[0].output: 'rendered/prod':"
                + " 'rendered' is a symlink; rendering through it would write outside the folder"
                + " and delete what the link points to");
    assertThat(outside.resolve("kubeconfig.yaml")).exists();
  }

  @Test
  void aMissingFolderMarkedOptionalIsSkippedAndAnUnmarkedOneIsAnError() throws IOException {
    write(
        "convoy.yaml",
        """
        apiVersion: convoy.dev/v1alpha1
        kind: ConvoyConfig
        sources:
          - manifests
          - {path: generated, optional: true}
          - typo
        targets:
          - name: prod
        """);

    assertThat(errors())
        .containsExactly(
            "convoy.yaml:6: (document 1, ConvoyConfig) sources[2]: folder 'typo' does not exist;"
                + " write {path: typo, optional: true} if it may be missing");
  }

  private List<String> errors() {
    try {
      ConfigRepo.read(repo);
    } catch (BadInputException e) {
      return e.errors().stream().map(InputError::describe).collect(Collectors.toList());
    }
    throw new AssertionError("read " + repo + " without errors");
  }

  private void write(String path, String content) throws IOException {
    Path file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}

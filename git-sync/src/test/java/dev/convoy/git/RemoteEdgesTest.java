package dev.convoy.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.RemoteHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of talking to a remote: failures classified by what happened (not by words in a URL),
 * hooks that refuse a push, and work folders that are not Convoy's.
 */
class RemoteEdgesTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  static final Author CONVOY = new Author("convoy", "convoy@example.invalid");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:1/team-403/config.git",
        "http://127.0.0.1:1/team-401/config.git",
        "git://127.0.0.1:1/team-401/not-authorized.git",
        "http://127.0.0.1:1/team-404/not-found.git"
      })
  void aRefusedConnectionIsANetworkFailureWhateverTheUrlSays(String uri) throws Exception {
    assertThatThrownBy(
            () -> GitSync.sync().setUri(uri).setWorkDir(SERVERS.newFolder("work-")).call())
        .isInstanceOf(NetworkFailureException.class)
        .hasMessageStartingWith("fetch " + uri + " failed: ")
        .hasMessageContaining("onnection refused")
        .message()
        .doesNotContain("refused the credentials")
        .doesNotContain("no such repository");
  }

  @Test
  void aMissingRepositoryIsNotFoundOverEveryTransport() throws Exception {
    GitServers.Repo repo = SERVERS.createRepo("present", Map.of("a.yaml", "a: 1\n"));
    for (Protocol protocol : Protocol.values()) {
      String uri = SERVERS.uri(protocol, repo).replace("present.git", "absent-401.git");
      assertThatThrownBy(
              () ->
                  GitSync.sync()
                      .setUri(uri)
                      .setCredentials(SERVERS.credentials(protocol))
                      .setWorkDir(SERVERS.newFolder("work-"))
                      .call())
          .as(protocol.name())
          .isInstanceOf(RemoteNotFoundException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aPushRefusedByAServerHookShowsTheHooksMessageAndChangesNothing(Protocol protocol)
      throws Exception {
    GitServers.Repo repo =
        SERVERS.createRepo(
            "hooked-" + protocol.name().toLowerCase(),
            Map.of("manifests/app.yaml", "kind: Deployment\n"));
    SERVERS.installHook(
        repo,
        "pre-receive",
        "#!/bin/sh\n"
            + "echo 'policy: main is protected, open a merge request (OPS-42)' >&2\n"
            + "echo 'second line of the hook' >&2\n"
            + "exit 1\n");
    String seed;
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      seed = remote.tip("main").name();
    }

    assertThatThrownBy(
            () ->
                GitSync.publish()
                    .setUri(SERVERS.uri(protocol, repo))
                    .setCredentials(SERVERS.credentials(protocol))
                    .setWorkDir(SERVERS.newFolder("work-"))
                    .setAuthor(CONVOY)
                    .setRenderer(UppercaseRenderer.toFolder("rendered/prod"))
                    .call())
        .isInstanceOf(PushRejectedException.class)
        .hasMessageContaining("rejected: refs/heads/main")
        .hasMessageContaining("remote: policy: main is protected, open a merge request (OPS-42)")
        .hasMessageContaining("remote: second line of the hook");
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      assertThat(remote.tip("main").name()).isEqualTo(seed);
    }
  }

  @Test
  void aWorkFolderHoldingAnotherRemoteIsRefusedUntouchedUnlessTakenOver() throws Exception {
    GitServers.Repo mine = SERVERS.createRepo("mine", Map.of("a.yaml", "mine: 1\n"));
    GitServers.Repo theirs = SERVERS.createRepo("theirs", Map.of("a.yaml", "theirs: 1\n"));
    Path work = SERVERS.newFolder("someones-checkout-");
    String theirUri = SERVERS.uri(Protocol.FILE, theirs);
    try (Git git = Git.cloneRepository().setURI(theirUri).setDirectory(work.toFile()).call()) {
      // a clone made by a person, with work in progress
    }
    Path untracked = Files.writeString(work.resolve("notes.txt"), "unsaved work\n");
    String myUri = SERVERS.uri(Protocol.GIT, mine);

    assertThatThrownBy(() -> GitSync.sync().setUri(myUri).setWorkDir(work).call())
        .isInstanceOf(ForeignWorkDirException.class)
        .hasMessageContaining(work.toString())
        .hasMessageContaining(theirUri)
        .hasMessageContaining("not " + myUri);

    assertThat(untracked).hasContent("unsaved work");
    assertThat(Files.readString(work.resolve("a.yaml"))).isEqualTo("theirs: 1\n");
    assertThat(Files.readString(work.resolve(".git/config"))).contains(theirUri);

    Checkout taken = GitSync.sync().setUri(myUri).setWorkDir(work).setTakeOverWorkDir(true).call();

    assertThat(Files.readString(taken.workTree().resolve("a.yaml"))).isEqualTo("mine: 1\n");
    assertThat(untracked).doesNotExist();
  }

  @Test
  void aRepositoryWithHistoryButNoRemoteIsRefusedAndAnInterruptedFirstRunIsNot() throws Exception {
    GitServers.Repo repo = SERVERS.createRepo("own", Map.of("a.yaml", "own: 1\n"));
    Path local = SERVERS.newFolder("local-");
    try (Git git = Git.init().setDirectory(local.toFile()).call()) {
      Files.writeString(local.resolve("x"), "x\n");
      git.add().addFilepattern("x").call();
      git.commit().setMessage("mine").setSign(false).call();
    }

    assertThatThrownBy(
            () -> GitSync.sync().setUri(SERVERS.uri(Protocol.FILE, repo)).setWorkDir(local).call())
        .isInstanceOf(ForeignWorkDirException.class)
        .hasMessageContaining("holds a repository of no remote");

    // git init then killed before the remote was recorded: nothing there to lose.
    Path interrupted = SERVERS.newFolder("interrupted-");
    Git.init().setDirectory(interrupted.toFile()).call().close();
    Checkout checkout =
        GitSync.sync().setUri(SERVERS.uri(Protocol.FILE, repo)).setWorkDir(interrupted).call();
    assertThat(Files.readString(checkout.workTree().resolve("a.yaml"))).isEqualTo("own: 1\n");
  }
}

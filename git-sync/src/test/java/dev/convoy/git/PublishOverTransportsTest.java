package dev.convoy.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.RemoteHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PublishOverTransportsTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  static final Author CONVOY = new Author("convoy", "convoy@example.invalid");

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void clonesRendersCommitsAndPushesThenFindsNothingToDoOnTheNextRun(Protocol protocol)
      throws Exception {
    GitServers.Repo repo =
        SERVERS.createRepo(
            "transport-" + protocol.name().toLowerCase(),
            Map.of("manifests/app.yaml", "kind: Deployment\n", "README.md", "config\n"));
    String uri = SERVERS.uri(protocol, repo);
    Path work = SERVERS.newFolder("work-");
    String seed;
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      seed = remote.tip("main").name();
    }

    PublishResult first = publish(protocol, uri, work);

    assertThat(first.outcome()).isEqualTo(PublishResult.Outcome.PUSHED);
    assertThat(first.source().commitId()).isEqualTo(seed);
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      RevCommit tip = remote.tip("main");
      assertThat(tip.name()).isEqualTo(first.commits().get(0).commitId());
      assertThat(tip.getParent(0).name()).isEqualTo(seed);
      assertThat(tip.getAuthorIdent().getName()).isEqualTo("convoy");
      assertThat(tip.getFullMessage())
          .isEqualTo(
              "convoy: render 1 manifests\n\n"
                  + "Convoy-Source-Commit: "
                  + seed
                  + "\n"
                  + "Convoy-Policy: mesh@3f2a9c1b0d\n");
      assertThat(remote.textFiles(tip, "rendered/prod"))
          .containsExactly(Map.entry("app.yaml", "KIND: DEPLOYMENT\n"));
      assertThat(remote.textFiles(tip, "")).containsKeys("README.md", "manifests/app.yaml");
    }
    assertThat(Files.readString(work.resolve(".git/config")))
        .doesNotContain(SERVERS.httpPassword())
        .doesNotContain(SERVERS.httpUser() + "@");

    PublishResult second = publish(protocol, uri, work);

    assertThat(second.outcome()).isEqualTo(PublishResult.Outcome.UP_TO_DATE);
    assertThat(second.commits()).isEmpty();
    try (RemoteHistory remote = new RemoteHistory(repo.path())) {
      assertThat(remote.tip("main").name()).isEqualTo(first.commits().get(0).commitId());
    }
  }

  private static PublishResult publish(Protocol protocol, String uri, Path work) throws Exception {
    return GitSync.publish()
        .setUri(uri)
        .setWorkDir(work)
        .setCredentials(SERVERS.credentials(protocol))
        .setAuthor(CONVOY)
        .setRenderer(UppercaseRenderer.toFolder("rendered/prod"))
        .call();
  }
}

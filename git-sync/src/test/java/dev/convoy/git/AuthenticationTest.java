package dev.convoy.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Wrong credentials and unknown host keys fail clearly; secrets never show anywhere. */
class AuthenticationTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  static GitServers.Repo repo;

  @BeforeAll
  static void createRepo() throws Exception {
    repo = SERVERS.createRepo("auth", Map.of("manifests/app.yaml", "kind: Pod\n"));
  }

  @Test
  void aWrongPasswordFailsWithAuthenticationFailed() throws Exception {
    String uri = SERVERS.uri(Protocol.HTTP, repo);

    assertThatThrownBy(
            () ->
                GitSync.sync()
                    .setUri(uri)
                    .setWorkDir(SERVERS.newFolder("work-"))
                    .setCredentials(
                        Credentials.usernamePassword(
                            SERVERS.httpUser(), Secret.of("wrong-password-123")))
                    .call())
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageStartingWith("fetch " + uri + " failed: the server refused the credentials")
        .message()
        .doesNotContain("wrong-password-123");
  }

  @Test
  void missingCredentialsOnAProtectedRemoteFailWithAuthenticationFailed() throws Exception {
    assertThatThrownBy(
            () ->
                GitSync.sync()
                    .setUri(SERVERS.uri(Protocol.HTTP, repo))
                    .setWorkDir(SERVERS.newFolder("work-"))
                    .call())
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void anUnknownSshHostKeyFailsWithUnknownHostKeyNamingTheFingerprint() throws Exception {
    Path emptyKnownHosts = Files.writeString(SERVERS.newFolder("ssh-").resolve("known_hosts"), "");
    Credentials key = Credentials.sshKey(SERVERS.sshClientKey(), emptyKnownHosts);

    assertThatThrownBy(
            () ->
                GitSync.sync()
                    .setUri(SERVERS.uri(Protocol.SSH, repo))
                    .setWorkDir(SERVERS.newFolder("work-"))
                    .setCredentials(key)
                    .call())
        .isInstanceOf(UnknownHostKeyException.class)
        .hasMessageContaining("[127.0.0.1]:" + SERVERS.sshPort())
        .hasMessageContaining("SHA256:")
        .hasMessageContaining(emptyKnownHosts.toString());
  }

  @Test
  void aChangedSshHostKeyFailsWithUnknownHostKey() throws Exception {
    Path otherKey = SERVERS.newFolder("ssh-").resolve("other");
    new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", otherKey.toString())
        .start()
        .waitFor();
    String[] pub = Files.readString(Path.of(otherKey + ".pub")).split(" ");
    Path knownHosts =
        Files.writeString(
            otherKey.resolveSibling("known_hosts"),
            "[127.0.0.1]:" + SERVERS.sshPort() + " " + pub[0] + " " + pub[1] + "\n");

    assertThatThrownBy(
            () ->
                GitSync.sync()
                    .setUri(SERVERS.uri(Protocol.SSH, repo))
                    .setWorkDir(SERVERS.newFolder("work-"))
                    .setCredentials(Credentials.sshKey(SERVERS.sshClientKey(), knownHosts))
                    .call())
        .isInstanceOf(UnknownHostKeyException.class);
  }

  @Test
  void hostKeyCheckingCanBeTurnedOffExplicitly() throws Exception {
    Path emptyKnownHosts = Files.writeString(SERVERS.newFolder("ssh-").resolve("known_hosts"), "");

    Checkout checkout =
        GitSync.sync()
            .setUri(SERVERS.uri(Protocol.SSH, repo))
            .setWorkDir(SERVERS.newFolder("work-"))
            .setCredentials(
                Credentials.sshKey(SERVERS.sshClientKey(), emptyKnownHosts)
                    .withoutHostKeyChecking())
            .call();

    assertThat(checkout.workTree().resolve("manifests/app.yaml")).exists();
  }

  @Test
  void anSshKeyTheServerDoesNotKnowFailsWithAuthenticationFailed() throws Exception {
    Path stranger = SERVERS.newFolder("ssh-").resolve("stranger");
    new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", stranger.toString())
        .start()
        .waitFor();

    assertThatThrownBy(
            () ->
                GitSync.sync()
                    .setUri(SERVERS.uri(Protocol.SSH, repo))
                    .setWorkDir(SERVERS.newFolder("work-"))
                    .setCredentials(Credentials.sshKey(stranger, SERVERS.sshKnownHosts()))
                    .call())
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void credentialsFitOnlyTheirTransport() {
    assertThatThrownBy(
            () ->
                GitSync.sync()
                    .setUri(SERVERS.uri(Protocol.GIT, repo))
                    .setWorkDir(SERVERS.newFolder("work-"))
                    .setCredentials(Credentials.token(Secret.of("tok-abc")))
                    .call())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("only for http(s) remotes")
        .message()
        .doesNotContain("tok-abc");
  }

  @Test
  void readsCredentialsFromAKubernetesSecretVolumeAndTheEnvironment() throws Exception {
    Path basicAuth = SERVERS.newFolder("secret-");
    Files.writeString(basicAuth.resolve("username"), "robot\n");
    Files.writeString(basicAuth.resolve("password"), "s3cret\n");
    Path token = SERVERS.newFolder("secret-");
    Files.writeString(token.resolve("token"), "tok\n");

    assertThat(Credentials.fromSecretDirectory(basicAuth))
        .isEqualTo(Credentials.usernamePassword("robot", Secret.of("s3cret")))
        .hasToString("UsernamePassword[username=robot, password=***]");
    assertThat(Credentials.fromSecretDirectory(token))
        .isEqualTo(Credentials.token(Secret.of("tok")));
    assertThat(Credentials.fromEnvironment(Map.of("CONVOY_GIT_TOKEN", "tok")))
        .isEqualTo(Credentials.token(Secret.of("tok")));
    assertThat(Credentials.fromEnvironment(Map.of())).isEqualTo(Credentials.none());
    assertThatThrownBy(() -> Credentials.fromEnvironment(Map.of("CONVOY_GIT_USERNAME", "robot")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("CONVOY_GIT_PASSWORD");
  }

  /**
   * Runs successful and failing operations with a secret in the URL and in the credentials, and
   * searches every byte of output, every exception (with causes and stack traces), the commit
   * messages and the stored git config for it.
   */
  @Test
  void credentialsNeverAppearInLogsMessagesCommitsOrTheStoredUrl() throws Exception {
    String password = SERVERS.httpPassword();
    String httpUri = SERVERS.uri(Protocol.HTTP, repo);
    String uriWithSecret =
        httpUri.replace("http://", "http://" + SERVERS.httpUser() + ":" + password + "@");
    Path work = SERVERS.newFolder("work-");
    StringWriter seen = new StringWriter();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      // Credentials in the URL only.
      PublishResult pushed =
          GitSync.publish()
              .setUri(uriWithSecret)
              .setWorkDir(work)
              .setAuthor(new Author("convoy", "convoy@example.invalid"))
              .setRenderer(UppercaseRenderer.toFolder("rendered/prod"))
              .call();
      seen.append(pushed.toString());
      pushed.commits().forEach(c -> seen.append(c.message()));
      // Credentials given explicitly, reusing the folder.
      seen.append(
          GitSync.sync()
              .setUri(httpUri)
              .setWorkDir(work)
              .setCredentials(SERVERS.credentials(Protocol.HTTP))
              .call()
              .toString());
      seen.append(SERVERS.credentials(Protocol.HTTP).toString());
      // Failures: a wrong secret in the URL, a renderer that throws with the URL in its message.
      for (String badUri :
          new String[] {
            uriWithSecret.replace(password, password + "x"), uriWithSecret + "-missing"
          }) {
        try {
          GitSync.sync().setUri(badUri).setWorkDir(SERVERS.newFolder("work-")).call();
        } catch (GitSyncException e) {
          e.printStackTrace(new PrintWriter(seen));
          seen.append(e.getMessage());
        }
      }
      try {
        GitSync.publish()
            .setUri(uriWithSecret)
            .setWorkDir(work)
            .setAuthor(new Author("convoy", "convoy@example.invalid"))
            .setRenderer(
                checkout -> {
                  throw new IllegalStateException("cannot read " + uriWithSecret);
                })
            .call();
      } catch (RenderFailedException e) {
        seen.append(e.getMessage());
      }
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    String everything =
        seen
            + captured.toString(StandardCharsets.UTF_8)
            + Files.readString(work.resolve(".git/config"));
    try (Stream<Path> logs = Files.list(SERVERS.root())) {
      // Sanity: the capture really saw Convoy's log lines and the failures.
      assertThat(captured.toString(StandardCharsets.UTF_8)).contains("pushed");
    }
    assertThat(seen.toString()).contains(AuthenticationFailedException.class.getName());
    assertThat(everything).doesNotContain(password);
  }
}

package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.HumanCommitter;
import dev.convoy.git.testing.RemoteHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code convoy reconcile} against real git servers: one commit when something changed, none
 * otherwise.
 */
class ReconcileCommandTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  private static final String PASSWORD_VARIABLE = "TEST_GIT_PASSWORD";

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void pushesExactlyOneCommitWhenSomethingChangedAndNoneWhenNothingDid(Protocol protocol)
      throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "transport-" + protocol.name().toLowerCase());
    Path work = SERVERS.newFolder("work-");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--repo",
                SERVERS.uri(protocol, repo),
                "--branch",
                "main",
                "--work-dir",
                work.toString()));
    args.addAll(credentialArgs(protocol));
    Map<String, String> env = Map.of(PASSWORD_VARIABLE, SERVERS.httpPassword());

    ReconcileRun first = ReconcileRun.of(env, args.toArray(String[]::new));

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).contains("pushed ").contains("prod: ");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      List<RevCommit> log = served.log("main");
      assertThat(log).hasSize(2);
      RevCommit commit = log.get(0);
      assertThat(commit.getAuthorIdent().getName()).isEqualTo("convoy");
      assertThat(commit.getFullMessage())
          .startsWith("convoy: prod: ")
          .contains("injected")
          .contains("Convoy-Source-Commit: " + log.get(1).name())
          .contains("Convoy-Policy: mesh@");
      assertThat(RemoteHistory.text(served.files(commit, "rendered/prod")))
          .containsKey("kustomization.yaml")
          .containsKey("manifests/shop/cart.yaml");
      assertThat(
              RemoteHistory.text(served.files(commit, "rendered/prod"))
                  .get("manifests/shop/cart.yaml"))
          .contains("name: proxy");
    }

    ReconcileRun second = ReconcileRun.of(env, args.toArray(String[]::new));

    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).startsWith("nothing to change");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.log("main")).hasSize(2);
    }
  }

  @Test
  void aWrongPasswordExitsThreeWithAClearMessageAndNoSecret() throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "wrong-password");
    String secret = "wrong-Secret-4711";

    ReconcileRun run =
        ReconcileRun.of(
            Map.of(PASSWORD_VARIABLE, secret),
            "--repo",
            SERVERS.uri(Protocol.HTTP, repo),
            "--work-dir",
            SERVERS.newFolder("work-").toString(),
            "--git-username",
            SERVERS.httpUser(),
            "--git-password-env",
            PASSWORD_VARIABLE,
            "--stacktrace");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.GIT_FAILURE);
    assertThat(run.err())
        .contains(
            "error: fetch "
                + SERVERS.uri(Protocol.HTTP, repo)
                + " failed: the server refused the credentials")
        .contains("hint: check the credentials");
    assertThat(run.all()).doesNotContain(secret);
  }

  @Test
  void anUnknownHostKeyExitsThreeWithAClearMessage() throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "unknown-host");
    Path emptyKnownHosts = Files.writeString(SERVERS.newFolder("ssh-").resolve("known_hosts"), "");

    ReconcileRun run =
        ReconcileRun.of(
            "--repo",
            SERVERS.uri(Protocol.SSH, repo),
            "--work-dir",
            SERVERS.newFolder("work-").toString(),
            "--ssh-key",
            SERVERS.sshClientKey().toString(),
            "--known-hosts",
            emptyKnownHosts.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.GIT_FAILURE);
    assertThat(run.err())
        .contains("[127.0.0.1]:" + SERVERS.sshPort())
        .contains("SHA256:")
        .contains("hint: add the server's host key");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.log("main")).hasSize(1);
    }
  }

  @Test
  void skippingTheHostKeyCheckIsExplicitAndWarns() throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "insecure-ssh");

    ReconcileRun run =
        ReconcileRun.of(
            "--repo",
            SERVERS.uri(Protocol.SSH, repo),
            "--work-dir",
            SERVERS.newFolder("work-").toString(),
            "--ssh-key",
            SERVERS.sshClientKey().toString(),
            "--insecure-skip-host-key-check");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).contains("warning: SSH host key checking is off");
  }

  @Test
  void theSecretAppearsInNoOutputCommitMessageOrGitConfig() throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "secrets");
    String password = SERVERS.httpPassword();
    String url = SERVERS.uri(Protocol.HTTP, repo);
    Path secretVolume = SERVERS.newFolder("secret-");
    Files.writeString(secretVolume.resolve("username"), SERVERS.httpUser() + "\n");
    Files.writeString(secretVolume.resolve("password"), password + "\n");
    Path work = SERVERS.newFolder("work-");
    Path otherWork = SERVERS.newFolder("work-");
    List<ReconcileRun> runs = new ArrayList<>();

    // From a mounted secret, from the URL itself, and once failing with --stacktrace.
    runs.add(
        ReconcileRun.of(
            "--repo",
            url,
            "--work-dir",
            work.toString(),
            "--git-credentials-dir",
            secretVolume.toString(),
            "--timings"));
    try (HumanCommitter human =
        new HumanCommitter(
            url.replace("://", "://" + SERVERS.httpUser() + ":" + password + "@"),
            SERVERS.newFolder("human-"))) {
      human.edit(
          "manifests/shop/cart.yaml", s -> s.replace("replicas: 2", "replicas: 4"), "more carts");
    }
    String urlWithPassword = url.replace("://", "://" + SERVERS.httpUser() + ":" + password + "@");
    runs.add(
        ReconcileRun.of(
            "--repo", urlWithPassword, "--work-dir", otherWork.toString(), "--dry-run"));
    runs.add(ReconcileRun.of("--repo", urlWithPassword, "--work-dir", otherWork.toString()));
    runs.add(
        ReconcileRun.of(
            "--repo",
            url.replace("://", "://" + SERVERS.httpUser() + ":" + password + "x@"),
            "--work-dir",
            SERVERS.newFolder("work-").toString(),
            "--stacktrace"));

    assertThat(runs.get(0).exitCode()).as(runs.get(0).toString()).isZero();
    assertThat(runs.get(1).exitCode()).as(runs.get(1).toString()).isZero();
    assertThat(runs.get(2).exitCode()).as(runs.get(2).toString()).isZero();
    assertThat(runs.get(3).exitCode()).as(runs.get(3).toString()).isEqualTo(ExitCodes.GIT_FAILURE);
    for (ReconcileRun run : runs) {
      assertThat(run.all()).doesNotContain(password);
    }
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      List<RevCommit> log = served.log("main");
      assertThat(log).hasSize(4);
      for (RevCommit c : log) {
        assertThat(c.getFullMessage()).doesNotContain(password);
      }
    }
    for (Path w : List.of(work, otherWork)) {
      assertThat(Files.readString(w.resolve(".git/config"))).contains(url).doesNotContain(password);
      assertThat(grep(w.resolve(".git"), password))
          .as("files under %s/.git holding the password", w)
          .isEmpty();
    }
  }

  @Test
  void dryRunPushesNothingAndPrintsTheCommit() throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "dry-run");

    ReconcileRun run =
        ReconcileRun.of(
            "--repo",
            SERVERS.uri(Protocol.FILE, repo),
            "--work-dir",
            SERVERS.newFolder("work-").toString(),
            "--dry-run");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .startsWith("dry run: nothing pushed; would push 1 commit(s)")
        .containsPattern("commit [0-9a-f]{40}")
        .contains("    convoy: prod: ")
        .contains("    Convoy-Policy: mesh@")
        .contains("  A rendered/prod/kustomization.yaml")
        .contains("  A rendered/prod/manifests/shop/cart.yaml");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.log("main")).hasSize(1);
    }
  }

  @Test
  void aYamlErrorExitsTwoAndPushesNothing() throws Exception {
    Path seed = SampleRepo.seed(SERVERS.newFolder("seed-"));
    Files.writeString(
        seed.resolve("manifests/shop/broken.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n");
    GitServers.Repo repo = SERVERS.createRepo("yaml-error", seed);

    ReconcileRun run =
        ReconcileRun.of(
            "--repo",
            SERVERS.uri(Protocol.GIT, repo),
            "--work-dir",
            SERVERS.newFolder("work-").toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("manifests/shop/broken.yaml:").contains("nothing pushed");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.log("main")).hasSize(1);
    }
  }

  @Test
  void aViolationKeepsTheLastRenderedVersionPushesTheRestAndExitsOne() throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "violation");
    String url = SERVERS.uri(Protocol.FILE, repo);
    Path work = SERVERS.newFolder("work-");
    assertThat(ReconcileRun.of("--repo", url, "--work-dir", work.toString()).exitCode()).isZero();
    byte[] frontendBefore;
    byte[] cartBefore;
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      frontendBefore =
          served.files(served.tip("main"), "rendered/prod").get("manifests/shop/frontend.yaml");
      cartBefore =
          served.files(served.tip("main"), "rendered/prod").get("manifests/shop/cart.yaml");
    }
    breakFrontendAndScaleCart(url);

    ReconcileRun run = ReconcileRun.of("--repo", url, "--work-dir", work.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.VIOLATIONS);
    assertThat(run.err()).contains("Deployment/shop/frontend");
    assertThat(run.out()).contains("pushed ");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      RevCommit tip = served.tip("main");
      assertThat(tip.getAuthorIdent().getName()).isEqualTo("convoy");
      assertThat(
              new String(
                  served.files(tip, "rendered/prod").get("manifests/shop/frontend.yaml"),
                  StandardCharsets.UTF_8))
          .isEqualTo(new String(frontendBefore, StandardCharsets.UTF_8));
      assertThat(
              new String(
                  served.files(tip, "rendered/prod").get("manifests/shop/cart.yaml"),
                  StandardCharsets.UTF_8))
          .isNotEqualTo(new String(cartBefore, StandardCharsets.UTF_8))
          .contains("replicas: 7");
    }
  }

  @Test
  void strictPushesNothingWhenAWorkloadHasAnError() throws Exception {
    GitServers.Repo repo = SampleRepo.served(SERVERS, "strict");
    String url = SERVERS.uri(Protocol.FILE, repo);
    Path work = SERVERS.newFolder("work-");
    assertThat(ReconcileRun.of("--repo", url, "--work-dir", work.toString()).exitCode()).isZero();
    String humanTip = breakFrontendAndScaleCart(url);

    ReconcileRun run = ReconcileRun.of("--repo", url, "--work-dir", work.toString(), "--strict");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.VIOLATIONS);
    assertThat(run.err())
        .contains("Deployment/shop/frontend")
        .contains("nothing pushed (--strict)");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.tip("main").name()).isEqualTo(humanTip);
    }
  }

  @Test
  void aBranchTargetIsCommittedToItsOwnBranchOnce() throws Exception {
    Path seed = SampleRepo.seed(SERVERS.newFolder("seed-"));
    Files.writeString(
        seed.resolve("convoy.yaml"),
        Files.readString(seed.resolve("convoy.yaml"))
            .replace("output: rendered/prod", "branch: rendered/prod"));
    GitServers.Repo repo = SERVERS.createRepo("branch-target", seed);
    String url = SERVERS.uri(Protocol.GIT, repo);
    Path work = SERVERS.newFolder("work-");

    ReconcileRun first = ReconcileRun.of("--repo", url, "--work-dir", work.toString());
    ReconcileRun second = ReconcileRun.of("--repo", url, "--work-dir", work.toString());

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).contains("to rendered/prod of");
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).startsWith("nothing to change");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.log("main")).hasSize(1);
      assertThat(served.log("rendered/prod")).hasSize(1);
      assertThat(RemoteHistory.text(served.files(served.tip("rendered/prod"), "")))
          .containsKey("kustomization.yaml")
          .containsKey("manifests/shop/cart.yaml");
    }
  }

  /**
   * A human adds an impossible start-order edge to frontend and scales cart to 7; returns the
   * human's commit.
   */
  private static String breakFrontendAndScaleCart(String url) throws Exception {
    try (HumanCommitter human = new HumanCommitter(url, SERVERS.newFolder("human-"))) {
      human.edit(
          "manifests/shop/frontend.yaml",
          s ->
              s.replaceFirst(
                  "(?m)^  name: frontend\n",
                  "  name: frontend\n  annotations:\n    convoy.dev/start-order: \"app < proxy\"\n"),
          "frontend: proxy after app");
      return human.edit(
          "manifests/shop/cart.yaml",
          s -> s.replace("replicas: 2", "replicas: 7"),
          "cart: 7 replicas");
    }
  }

  private static List<String> credentialArgs(Protocol protocol) throws IOException {
    return switch (protocol) {
      case FILE, GIT -> List.of();
      case HTTP ->
          List.of("--git-username", SERVERS.httpUser(), "--git-password-env", PASSWORD_VARIABLE);
      case SSH ->
          List.of(
              "--ssh-key",
              SERVERS.sshClientKey().toString(),
              "--known-hosts",
              SERVERS.sshKnownHosts().toString());
    };
  }

  /** Files under {@code dir} whose bytes contain {@code needle}. */
  static List<Path> grep(Path dir, String needle) throws IOException {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
            .contains(new String(n, StandardCharsets.ISO_8859_1))) {
          hits.add(p);
        }
      }
    }
    return hits;
  }
}

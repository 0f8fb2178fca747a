package dev.convoy.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CommitReaderTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  @TempDir Path tmp;

  static {
    // JGit probes the file system's timestamp resolution with files of its own; measured in the
    // foreground, its probe files are gone before a test compares folder listings.
    org.eclipse.jgit.util.FS.FileStoreAttributes.setBackground(false);
  }

  @Test
  void readsTwoCommitsFromObjectsLeavingWorkTreeIndexAndRefsAsTheyWere() throws Exception {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo.resolve("manifests"));
    git(repo, "init", "-q", "-b", "main");
    write(repo, "convoy.yaml", "sources: [manifests]\n");
    write(repo, "manifests/app.yaml", "kind: Deployment # base\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "base");
    write(repo, "manifests/app.yaml", "kind: Deployment # head\n");
    write(repo, "manifests/new.yaml", "kind: Service\n");
    git(repo, "add", "-A");
    git(
        repo,
        "commit",
        "-q",
        "-m",
        "head\n\nConvoy-Wave: prod/mesh -> abc: wave 1 moves 1 workload");
    // A checkout in the middle of someone's work: a staged change, a modified file, an untracked
    // file, and HEAD on base.
    git(repo, "checkout", "-q", "HEAD~1");
    write(repo, "manifests/app.yaml", "kind: Deployment # staged\n");
    git(repo, "add", "manifests/app.yaml");
    write(repo, "manifests/app.yaml", "kind: Deployment # work tree\n");
    write(repo, "manifests/untracked.yaml", "kind: ConfigMap\n");
    Map<String, String> before = state(repo);

    try (CommitReader reader = CommitReader.open(repo)) {
      Commit base = reader.resolve("main~1");
      Commit head = reader.resolve("main");
      TreeFiles baseFiles = reader.files(base, List.of("convoy.yaml", "manifests"));
      TreeFiles headFiles = reader.files(head, List.of("manifests"));

      assertThat(text(baseFiles))
          .containsExactly(
              Map.entry("convoy.yaml", "sources: [manifests]\n"),
              Map.entry("manifests/app.yaml", "kind: Deployment # base\n"));
      assertThat(text(headFiles))
          .containsExactly(
              Map.entry("manifests/app.yaml", "kind: Deployment # head\n"),
              Map.entry("manifests/new.yaml", "kind: Service\n"));
      assertThat(head.subject()).isEqualTo("head");
      assertThat(head.trailers())
          .containsExactly(new Trailer("Convoy-Wave", "prod/mesh -> abc: wave 1 moves 1 workload"));
      assertThat(reader.history(head, 10))
          .extracting(Commit::id)
          .containsExactly(head.id(), base.id());
    }

    assertThat(state(repo)).isEqualTo(before);
  }

  @Test
  void neverFollowsASymbolicLinkOrASubmodule() throws Exception {
    Path repo = tmp.resolve("links");
    Files.createDirectories(repo.resolve("manifests"));
    git(repo, "init", "-q", "-b", "main");
    write(repo, "manifests/app.yaml", "kind: Deployment\n");
    Files.createSymbolicLink(repo.resolve("manifests/passwd.yaml"), Path.of("/etc/passwd"));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "links");

    try (CommitReader reader = CommitReader.open(repo)) {
      TreeFiles files = reader.files(reader.resolve("HEAD"), List.of("manifests"));

      assertThat(files.files()).containsOnlyKeys("manifests/app.yaml");
      assertThat(files.skipped()).containsOnlyKeys("manifests/passwd.yaml");
    }
  }

  @Test
  void readsAConfigRepoInASubFolderWithPathsRelativeToIt() throws Exception {
    Path repo = tmp.resolve("mono");
    Files.createDirectories(repo.resolve("deploy/convoy/manifests"));
    git(repo, "init", "-q", "-b", "main");
    write(repo, "deploy/convoy/manifests/app.yaml", "kind: Deployment\n");
    write(repo, "manifests/elsewhere.yaml", "kind: Service\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "mono");

    try (CommitReader reader = CommitReader.open(repo.resolve("deploy/convoy"))) {
      assertThat(reader.prefix()).isEqualTo("deploy/convoy/");
      TreeFiles all = reader.files(reader.resolve("main"), List.of(""));
      assertThat(all.files()).containsOnlyKeys("manifests/app.yaml");
      assertThat(reader.files(reader.resolve("main"), List.of("manifests")).files())
          .containsOnlyKeys("manifests/app.yaml");
    }
  }

  @Test
  void anUnknownRevisionOrAFolderOutsideGitIsRevisionNotFound() throws Exception {
    Path repo = tmp.resolve("one");
    Files.createDirectories(repo);
    git(repo, "init", "-q", "-b", "main");
    write(repo, "a.txt", "a\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "one");

    try (CommitReader reader = CommitReader.open(repo)) {
      assertThatThrownBy(() -> reader.resolve("no-such-branch"))
          .isInstanceOf(RevisionNotFoundException.class)
          .hasMessageContaining("no-such-branch");
      assertThat(reader.branch("no-such-branch")).isEmpty();
      assertThat(reader.branch("main")).isPresent();
    }
    Path plain = tmp.resolve("plain");
    Files.createDirectories(plain);
    assertThatThrownBy(() -> CommitReader.open(plain))
        .isInstanceOf(RevisionNotFoundException.class)
        .hasMessageContaining("not a git repository");
  }

  @Test
  void readsARemoteIntoMemoryWithoutAWorkFolder() throws Exception {
    GitServers.Repo served =
        SERVERS.createRepo("read-remote", Map.of("convoy.yaml", "targets: []\n"));
    String uri = SERVERS.uri(Protocol.HTTP, served);
    List<Path> before = listing(tmp);

    try (CommitReader remote =
        GitSync.readRemote()
            .setUri(uri)
            .setCredentials(SERVERS.credentials(Protocol.HTTP))
            .call()) {
      Commit main = remote.branch("main").orElseThrow();
      assertThat(text(remote.files(main, List.of("convoy.yaml"))))
          .containsExactly(Map.entry("convoy.yaml", "targets: []\n"));
    }
    assertThat(listing(tmp)).isEqualTo(before);
  }

  @Test
  void aRemoteThatRefusesTheCredentialsIsAnAuthenticationFailure() throws Exception {
    GitServers.Repo served = SERVERS.createRepo("read-remote-auth", Map.of("a.txt", "a\n"));
    String uri = SERVERS.uri(Protocol.HTTP, served);

    assertThatThrownBy(
            () ->
                GitSync.readRemote()
                    .setUri(uri)
                    .setCredentials(
                        Credentials.usernamePassword(SERVERS.httpUser(), Secret.of("wrong")))
                    .call())
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageNotContaining("wrong");
  }

  private static Map<String, String> text(TreeFiles files) {
    Map<String, String> out = new TreeMap<>();
    files.files().forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
    return out;
  }

  /** What a checkout's owner would notice changing: status, index bytes and time, HEAD, refs. */
  private static Map<String, String> state(Path repo) throws Exception {
    Map<String, String> s = new TreeMap<>();
    Path index = repo.resolve(".git/index");
    s.put("index", java.util.HexFormat.of().formatHex(Files.readAllBytes(index)));
    FileTime time = Files.getLastModifiedTime(index);
    s.put("index-mtime", time.toString());
    // --no-optional-locks: a plain status refreshes the index's stat data, itself a write.
    s.put(
        "status",
        git(
            repo,
            "--no-optional-locks",
            "status",
            "--porcelain=v2",
            "--branch",
            "--untracked-files=all"));
    s.put("HEAD", Files.readString(repo.resolve(".git/HEAD")));
    s.put("refs", git(repo, "show-ref"));
    s.put("work-tree", Files.readString(repo.resolve("manifests/app.yaml")));
    s.put("files", listing(repo.resolve(".git")).toString());
    return s;
  }

  private static List<Path> listing(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return new ArrayList<>(walk.sorted().toList());
    }
  }

  private static void write(Path repo, String path, String content) throws IOException {
    Path file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  static String git(Path dir, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@x"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
    }
    return out;
  }
}

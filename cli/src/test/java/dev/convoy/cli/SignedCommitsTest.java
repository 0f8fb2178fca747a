package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.RemoteHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code commit.sign} of {@code convoy.yaml}: reconcile pushes commits that {@code git
 * verify-commit} accepts, with an SSH key (checked against {@code gpg.ssh.allowedSignersFile}) and
 * an OpenPGP key made by GnuPG (checked against a test keyring); a missing or wrong key is exit 2
 * and pushes nothing. Keys are made by the real {@code ssh-keygen} and {@code gpg}.
 */
class SignedCommitsTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  private static final String EMAIL = "convoy@example.invalid";
  private static final String SSH_PASSPHRASE = "ssh pass phrase";
  private static final String PGP_PASSPHRASE = "pgp pass phrase";

  private static Path keys;
  private static Path gnupgHome;
  private static Path allowedSigners;
  private static String armoredPgpKey;

  record Result(int exitCode, String out) {}

  @BeforeAll
  static void makeKeys() throws Exception {
    assumeTrue(onPath("ssh-keygen"), "ssh-keygen is not installed (.ci/install-test-deps.sh)");
    assumeTrue(
        onPath("gpg") && onPath("gpg-agent"), "gpg is not installed (.ci/install-test-deps.sh)");
    keys = SERVERS.newFolder("signing-keys-");
    // An encrypted SSH key: the passphrase comes from a file beside it.
    check(
        run(
            Map.of(),
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-C",
            EMAIL,
            "-N",
            SSH_PASSPHRASE,
            "-f",
            keys.resolve("ssh-privatekey").toString()));
    Files.writeString(keys.resolve("ssh-passphrase"), SSH_PASSPHRASE + "\n");
    String publicKey = Files.readString(keys.resolve("ssh-privatekey.pub")).strip();
    allowedSigners = SERVERS.root().resolve("allowed_signers");
    Files.writeString(allowedSigners, EMAIL + " " + publicKey + "\n");

    // A short path: gpg-agent's socket lives in GNUPGHOME.
    gnupgHome = Files.createTempDirectory("convoy-gpg-");
    check(gpg("--quick-gen-key", "Convoy Bot <" + EMAIL + ">", "ed25519", "sign", "never"));
    armoredPgpKey = check(gpg("--armor", "--export-secret-keys", EMAIL));
    // A key that expired in 2020: made with the clock set back.
    check(
        gpg(
            "--faked-system-time",
            "20200101T000000",
            "--quick-gen-key",
            "Old Bot <old@example.invalid>",
            "ed25519",
            "sign",
            "1d"));
    Files.writeString(
        keys.resolve("expired.asc"),
        check(gpg("--armor", "--export-secret-keys", "old@example.invalid")));
    assertThat(armoredPgpKey).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
  }

  @AfterAll
  static void stopAgent() throws Exception {
    if (gnupgHome != null) {
      run(gpgEnv(), "gpgconf", "--kill", "gpg-agent");
      try (var walk = Files.walk(gnupgHome)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        // the agent may still be removing its socket
      }
    }
  }

  @Test
  void pushesCommitsSignedWithAnSshKeyThatGitVerifies() throws Exception {
    GitServers.Repo repo =
        repo(
            "ssh-signed",
            "format: ssh",
            "key: {file: ssh-privatekey}",
            "passphrase: {file: ssh-passphrase}");

    ReconcileRun run = reconcile(repo, Map.of(), "--signing-key-dir", keys.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).containsPattern("signing commits with SSH key SHA256:[A-Za-z0-9+/]+");
    RevCommit pushed = tip(repo);
    assertThat(pushed.getRawGpgSignature()).isNotNull();
    assertThat(new String(pushed.getRawGpgSignature(), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN SSH SIGNATURE-----");
    Result verify =
        run(
            Map.of(),
            "git",
            "--git-dir",
            repo.path().toString(),
            "-c",
            "gpg.ssh.allowedSignersFile=" + allowedSigners,
            "verify-commit",
            pushed.name());
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("Good \"git\" signature for " + EMAIL + " with ED25519 key");
  }

  @Test
  void pushesCommitsSignedWithAGnuPgKeyFromTheEnvironmentThatGitVerifies() throws Exception {
    Files.writeString(keys.resolve("pgp-passphrase"), PGP_PASSPHRASE);
    GitServers.Repo repo =
        repo(
            "pgp-signed",
            "format: openpgp",
            "key: {env: CONVOY_SIGNING_KEY}",
            "passphrase: {file: pgp-passphrase}");

    ReconcileRun run =
        reconcile(
            repo,
            Map.of("CONVOY_SIGNING_KEY", armoredPgpKey),
            "--signing-key-dir",
            keys.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err())
        .containsPattern("signing commits with OpenPGP key [0-9A-F]{40} Convoy Bot");
    RevCommit pushed = tip(repo);
    assertThat(new String(pushed.getRawGpgSignature(), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN PGP SIGNATURE-----");
    Result verify =
        run(gpgEnv(), "git", "--git-dir", repo.path().toString(), "verify-commit", pushed.name());
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("Good signature from \"Convoy Bot <" + EMAIL + ">\"");
    assertThat(run.all()).doesNotContain(PGP_PASSPHRASE).doesNotContain("PRIVATE KEY");
  }

  @Test
  void aMissingOrWrongKeyIsExitTwoAndPushesNothing() throws Exception {
    Path outside = SERVERS.newFolder("outside-");
    Files.copy(keys.resolve("ssh-privatekey"), outside.resolve("stolen"));
    Files.createSymbolicLink(keys.resolve("link-out"), outside.resolve("stolen"));
    Files.writeString(keys.resolve("wrong-passphrase"), "not it");
    Files.writeString(keys.resolve("pgp.asc"), armoredPgpKey);
    Files.writeString(keys.resolve("pgp-passphrase"), PGP_PASSPHRASE);

    record Case(String name, List<String> sign, Map<String, String> env, String error) {}
    List<Case> cases =
        List.of(
            new Case(
                "variable unset",
                List.of("format: openpgp", "key: {env: CONVOY_SIGNING_KEY}"),
                Map.of(),
                "commit.sign.key: environment variable CONVOY_SIGNING_KEY is not set or empty"),
            new Case(
                "file missing",
                List.of("format: ssh", "key: {file: no-such-key}"),
                Map.of(),
                "commit.sign.key.file 'no-such-key' not found in " + keys),
            new Case(
                "link out of the folder",
                List.of(
                    "format: ssh", "key: {file: link-out}", "passphrase: {file: ssh-passphrase}"),
                Map.of(),
                "commit.sign.key.file 'link-out' links outside " + keys + ": refused"),
            new Case(
                "wrong passphrase",
                List.of(
                    "format: openpgp",
                    "key: {file: pgp.asc}",
                    "passphrase: {file: wrong-passphrase}"),
                Map.of(),
                "commit.sign: wrong passphrase for commit.sign.key (file pgp.asc)"),
            new Case(
                "no passphrase for an encrypted key",
                List.of("format: openpgp", "key: {env: CONVOY_SIGNING_KEY}"),
                Map.of("CONVOY_SIGNING_KEY", armoredPgpKey),
                "is protected by a passphrase: give commit.sign.passphrase"),
            new Case(
                "expired key",
                List.of(
                    "format: openpgp",
                    "key: {file: expired.asc}",
                    "passphrase: {file: pgp-passphrase}"),
                Map.of(),
                "has no secret key that may sign now: expired, revoked"),
            new Case(
                "an SSH key where an OpenPGP key is expected",
                List.of("format: openpgp", "key: {file: ssh-privatekey}"),
                Map.of(),
                "commit.sign: commit.sign.key (file ssh-privatekey) is not an OpenPGP secret key"),
            new Case(
                "wrong SSH passphrase",
                List.of(
                    "format: ssh",
                    "key: {file: ssh-privatekey}",
                    "passphrase: {file: wrong-passphrase}"),
                Map.of(),
                "commit.sign: cannot sign with SSH signing key "));

    for (Case c : cases) {
      GitServers.Repo repo =
          repo("bad-" + c.name().replace(' ', '-'), c.sign().toArray(String[]::new));
      ReconcileRun run = reconcile(repo, c.env(), "--signing-key-dir", keys.toString());

      assertThat(run.exitCode()).as(c.name() + "\n" + run).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(run.err()).as(c.name()).contains("error: convoy.yaml: ").contains(c.error());
      assertThat(run.err()).as(c.name()).contains("nothing pushed");
      assertThat(run.all()).as(c.name()).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN");
      try (RemoteHistory served = new RemoteHistory(repo.path())) {
        assertThat(served.log("main")).as(c.name() + ": only the seed commit").hasSize(1);
      }
    }
  }

  @Test
  void aKeyFileNeedsTheOperatorsSigningKeyFolder() throws Exception {
    GitServers.Repo repo = repo("no-key-dir", "format: ssh", "key: {file: ssh-privatekey}");

    ReconcileRun run = reconcile(repo, Map.of());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("needs reconcile --signing-key-dir DIR");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      assertThat(served.log("main")).hasSize(1);
    }
  }

  /** A repo seeded from the sample, with {@code commit.sign} set to these lines. */
  private static GitServers.Repo repo(String name, String... sign) throws Exception {
    Path seed = SampleRepo.seed(SERVERS.newFolder("seed-"));
    StringBuilder yaml = new StringBuilder("  sign:\n");
    for (String line : sign) {
      yaml.append("    ").append(line).append('\n');
    }
    Files.writeString(seed.resolve("convoy.yaml"), yaml, StandardOpenOption.APPEND);
    return SERVERS.createRepo(name, seed);
  }

  private static ReconcileRun reconcile(
      GitServers.Repo repo, Map<String, String> env, String... more) throws Exception {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--repo",
            SERVERS.uri(Protocol.GIT, repo),
            "--work-dir",
            SERVERS.newFolder("work-").resolve("config").toString()));
    args.addAll(List.of(more));
    return ReconcileRun.of(env, args.toArray(String[]::new));
  }

  private static RevCommit tip(GitServers.Repo repo) throws IOException {
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      List<RevCommit> log = served.log("main");
      assertThat(log).hasSize(2);
      assertThat(log.get(0).getFullMessage()).startsWith("convoy: prod: ");
      return log.get(0);
    }
  }

  /** gpg in the test's GNUPGHOME, answering the key's passphrase without a pinentry. */
  private static Result gpg(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", PGP_PASSPHRASE));
    command.addAll(List.of(args));
    return run(gpgEnv(), command.toArray(String[]::new));
  }

  private static Map<String, String> gpgEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("GNUPGHOME", gnupgHome.toString());
    return env;
  }

  private static String check(Result r) {
    assertThat(r.exitCode()).as(r.out()).isZero();
    return r.out();
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static Result run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}

package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.RemoteHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The container image built by {@code -Pimage} (cli/target/convoy-image.tar), run by podman as a
 * Kubernetes pod would run it: as user 65532, with a read-only root file system and no shell,
 * reconciling a config repo served by a real {@code git daemon} on the host.
 *
 * <p>Runs when the {@code image} profile passes {@code convoy.image.tar} and podman is installed
 * ({@code .ci/install-test-deps.sh}); skipped with the reason otherwise.
 */
class ContainerImageTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  private static final Path TAR = Path.of(System.getProperty("convoy.image.tar", "-"));
  private static final String VERSION = System.getProperty("convoy.version", "");

  /** What these machines need to run a container; not something users of the image need. */
  private static final List<String> SANDBOX_FLAGS =
      List.of(
          "--runtime",
          "runc",
          "--cgroup-manager",
          "cgroupfs",
          "--ulimit",
          "nofile=4096:4096",
          "--ulimit",
          "nproc=4096:4096");

  private static String image;

  record Result(int exitCode, String out) {}

  @BeforeAll
  static void load() throws Exception {
    assumeTrue(Files.isRegularFile(TAR), "no image tarball: build with ./mvnw -Pimage package");
    assumeTrue(onPath("podman"), "podman is not installed (.ci/install-test-deps.sh)");
    Result loaded = run(List.of("podman", "load", "-i", TAR.toString()), 300);
    assertThat(loaded.exitCode()).as(loaded.out()).isZero();
    Matcher m = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)").matcher(loaded.out());
    assertThat(m.find()).as(loaded.out()).isTrue();
    image = m.group(1);
  }

  @Test
  void printsTheVersionItWasBuiltFrom() throws Exception {
    Result r = convoy(List.of(), "--version");

    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out().strip())
        .matches("convoy " + Pattern.quote(VERSION) + " \\([0-9a-f]{7}(-dirty)?\\)");
  }

  @Test
  void runsAsNonRootWithoutAShell() throws Exception {
    Result inspect =
        run(List.of("podman", "image", "inspect", image, "--format", "{{.Config.User}}"), 60);
    assertThat(inspect.out().strip()).isEqualTo("65532:65532");

    List<String> shell = new ArrayList<>(List.of("podman", "run", "--rm"));
    shell.addAll(SANDBOX_FLAGS);
    shell.addAll(List.of("--entrypoint", "/bin/sh", image, "-c", "true"));
    Result r = run(shell, 60);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.out()).contains("/bin/sh");
  }

  @Test
  void reconcilesARepoOnTheHostWithAReadOnlyRootFileSystem() throws Exception {
    GitServers.Repo repo = SERVERS.createRepo("image-config", seed(SERVERS.newFolder("seed-")));
    String url = SERVERS.uri(Protocol.GIT, repo);

    // Only /work is writable: the work folder and metrics, as an emptyDir in a pod.
    Result r =
        convoy(
            List.of("--tmpfs", "/work:rw,mode=1777"),
            "reconcile",
            "--repo",
            url,
            "--work-dir",
            "/work/config",
            "--metrics-file",
            "/work/convoy.prom",
            "--log-format",
            "json");

    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).contains("pushed ").doesNotContain("error");
    try (RemoteHistory served = new RemoteHistory(repo.path())) {
      List<RevCommit> log = served.log("main");
      assertThat(log).hasSize(2);
      assertThat(log.get(0).getFullMessage()).startsWith("convoy: prod: ");
    }
  }

  private static Result convoy(List<String> podmanFlags, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("podman", "run", "--rm"));
    command.addAll(SANDBOX_FLAGS);
    // The host's loopback: the git daemon listens on 127.0.0.1.
    command.addAll(List.of("--network", "host", "--read-only", "--read-only-tmpfs=false"));
    command.addAll(podmanFlags);
    command.add(image);
    command.addAll(List.of(args));
    return run(command, 300);
  }

  private static Path seed(Path into) throws IOException {
    Path sample = Path.of("config-repo").toAbsolutePath();
    for (String part : List.of("convoy.yaml", "manifests", "policies")) {
      CorpusTest.copyTree(sample.resolve(part), into.resolve(part));
    }
    // Without the sample's DRL rules (a faster run), so without its rules: entry either.
    // Plain sources only: the image has no kustomize, and the chart's build in the image is not
    // yet shown to work with a read-only root (README, "The container image").
    Path config = into.resolve("convoy.yaml");
    String text = Files.readString(config).replace("rules: [rules]\n", "");
    String plain = text.replaceFirst("(?m)^sources:\\n(?: +.*\\n)+", "sources: [manifests]\n");
    assertThat(plain).as("the sample's sources: block").isNotEqualTo(text);
    Files.writeString(config, plain);
    return into;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static Result run(List<String> command, int timeoutSeconds) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}

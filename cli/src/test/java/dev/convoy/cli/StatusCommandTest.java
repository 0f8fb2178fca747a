package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.git.testing.GitServers;
import dev.convoy.git.testing.GitServers.Protocol;
import dev.convoy.git.testing.HumanCommitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code convoy status}: a real rollout made by two reconcile runs (the sample's mesh proxy bumped
 * between them: wave 1 moves one of seven workloads), read back from the remote and from a clone.
 */
class StatusCommandTest {
  @RegisterExtension static final GitServers SERVERS = new GitServers();

  private static final String FIRST = "2026-03-01T03:00:00Z";
  private static final String WAVE_1 = "2026-03-01T04:00:00Z";
  private static String uri;
  private static Path bare;
  private static Path clone;

  @BeforeAll
  static void rollOutOneWave() throws Exception {
    GitServers.Repo repo =
        SERVERS.createRepo("status", SampleRepo.seed(SERVERS.newFolder("seed-")));
    uri = SERVERS.uri(Protocol.GIT, repo);
    bare = repo.path();
    Path work = SERVERS.newFolder("work-");
    ReconcileRun first =
        ReconcileRun.of("--repo", uri, "--work-dir", work.toString(), "--now", FIRST);
    assertThat(first.exitCode()).as(first.toString()).isZero();
    try (HumanCommitter human = new HumanCommitter(uri, SERVERS.newFolder("human-"))) {
      human.edit(
          "policies/mesh.yaml",
          s -> s.replace("envoyproxy/envoy:v1.31.0", "envoyproxy/envoy:v1.31.1"),
          "mesh: envoy v1.31.1");
    }
    ReconcileRun wave =
        ReconcileRun.of("--repo", uri, "--work-dir", work.toString(), "--now", WAVE_1);
    assertThat(wave.exitCode()).as(wave.toString()).isZero();
    assertThat(wave.err()).contains("upgrade prod/mesh -> ").contains("wave 1 moves 1 workload");
    clone = SERVERS.newFolder("clone-");
    Git.cloneRepository().setURI(uri).setDirectory(clone.toFile()).call().close();
  }

  @Test
  void theRemoteShowsTheRevisionTheWaveTheNextDueTimeAndWhyTheRestIsHeld() throws Exception {
    CliRun run = CliRun.of("status", "--repo", uri, "--now", "2026-03-01T04:10:00Z");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0).split("\\s{2,}"))
        .containsExactly(
            "TARGET", "POLICY", "REVISION", "PHASE", "WAVES", "LAST WAVE", "NEXT WAVE", "HELD");
    String mesh =
        lines.stream().filter(l -> l.startsWith("prod    mesh")).findFirst().orElseThrow();
    assertThat(mesh.split("\\s{2,}"))
        .containsExactly(
            "prod",
            "mesh",
            recordedRevision(),
            "rolling",
            "1",
            WAVE_1,
            "2026-03-01T05:00:00Z",
            "6");
    assertThat(run.out())
        .contains(
            "    6 held (rank): waits for a later wave: update.maxUnavailable 25% of 7 workloads moves 1 per wave");
    String logging =
        lines.stream().filter(l -> l.startsWith("prod    logging")).findFirst().orElseThrow();
    assertThat(logging.split("\\s{2,}")).containsSubsequence("complete", "0", "-", "-", "0");
  }

  @Test
  void aRemoteGivenAsALocalPathOrFileUrlReadsAsOverGit() throws Exception {
    CliRun remote = CliRun.of("status", "--repo", uri, "--now", "2026-03-01T04:10:00Z");
    CliRun path = CliRun.of("status", "--repo", bare.toString(), "--now", "2026-03-01T04:10:00Z");
    CliRun file =
        CliRun.of("status", "--repo", bare.toUri().toString(), "--now", "2026-03-01T04:10:00Z");

    // JGit's local transport needs the fetching repository's file system, which an in-memory
    // repository has only when given one: this was an internal error.
    assertThat(path.exitCode()).as(path.err()).isZero();
    assertThat(file.exitCode()).as(file.err()).isZero();
    assertThat(path.out()).isEqualTo(remote.out()).contains("rolling");
    assertThat(file.out()).isEqualTo(remote.out());
  }

  @Test
  void aCloneShowsTheSameAndJsonSaysWhenTheWaveIsDue() throws Exception {
    CliRun text = CliRun.of("status", clone.toString(), "--now", "2026-03-01T04:10:00Z");
    CliRun remote = CliRun.of("status", "--repo", uri, "--now", "2026-03-01T04:10:00Z");
    CliRun later =
        CliRun.of("status", clone.toString(), "--now", "2026-03-01T06:00:00Z", "-o", "json");

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).isEqualTo(remote.out());
    assertThat(later.exitCode()).isZero();
    JsonNode json = JsonMapper.builder().build().readTree(later.out());
    JsonNode mesh = null;
    for (JsonNode r : json.get("rollouts")) {
      if (r.get("policy").asString().equals("mesh")) {
        mesh = r;
      }
    }
    assertThat(mesh).isNotNull();
    assertThat(mesh.get("phase").asString()).isEqualTo("rolling");
    assertThat(mesh.get("wave").asInt()).isEqualTo(1);
    assertThat(mesh.get("lastWave").asString()).isEqualTo(WAVE_1);
    assertThat(mesh.get("nextWaveDue").asString()).isEqualTo("2026-03-01T05:00:00Z");
    assertThat(mesh.get("due").asBoolean()).isTrue();
    assertThat(mesh.get("held").asInt()).isEqualTo(6);
    assertThat(mesh.get("heldBy").get(0).get("reason").asString()).isEqualTo("rank");
    assertThat(mesh.get("olderRevisions").size()).isEqualTo(1);
  }

  @Test
  void aPausedPolicyIsPausedWithItsHeldWorkloads() throws Exception {
    Path copy = SERVERS.newFolder("paused-");
    CliRun.copy(clone, copy);
    Path mesh = copy.resolve("policies/mesh.yaml");
    Files.writeString(
        mesh, Files.readString(mesh).replace("  update:\n", "  update:\n    paused: true\n"));

    CliRun run = CliRun.of("status", copy.toString(), "--now", "2026-03-01T06:00:00Z");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> cells = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      if (line.startsWith("prod    mesh")) {
        cells.addAll(List.of(line.split("\\s{2,}")));
      }
    }
    assertThat(cells).containsSubsequence("paused", "1", WAVE_1, "paused", "6");
  }

  @Test
  void anUnreachableRemoteIsAGitFailure() throws Exception {
    CliRun run =
        CliRun.of("status", "--repo", "git://127.0.0.1:1/nothing.git", "--git-timeout", "5");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.GIT_FAILURE);
    assertThat(run.err()).startsWith("error: ");
  }

  /** The revision the clone's state file says waves move to. */
  private static String recordedRevision() throws Exception {
    byte[] state = Files.readAllBytes(clone.resolve("rendered/prod").resolve(RolloutState.FILE));
    return RolloutState.of(java.util.Map.of(RolloutState.FILE, state))
        .policies()
        .get("mesh")
        .revision();
  }
}

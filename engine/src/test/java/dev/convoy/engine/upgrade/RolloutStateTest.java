package dev.convoy.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RolloutStateTest {

  private static RolloutState sample() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put(
        "sidecars",
        List.of(
            Map.of("position", "pre", "container", Map.of("name", "proxy", "image", "envoy:1"))));
    RolloutState.PolicyRollout mesh =
        new RolloutState.PolicyRollout(
            "abc",
            2,
            Instant.parse("2026-11-24T03:00:00Z"),
            5,
            new TreeMap<>(Map.of("abc", spec, "old", spec)));
    return new RolloutState(new TreeMap<>(Map.of("mesh", mesh)));
  }

  @Test
  void printsAndReadsBackTheSameState() {
    byte[] printed = sample().print();

    RolloutState read = RolloutState.of(Map.of(RolloutState.FILE, printed));

    assertThat(read).isEqualTo(sample());
    assertThat(read.print()).isEqualTo(printed);
    assertThat(read.inProgress()).isTrue();
  }

  @Test
  void aRolloutWithEveryWorkloadOnItsRevisionIsNotInProgress() {
    RolloutState.PolicyRollout done =
        new RolloutState.PolicyRollout("abc", 3, null, 0, new TreeMap<>(Map.of("abc", Map.of())));

    assertThat(done.inProgress()).isFalse();
  }

  @Test
  void aMissingFileIsTheEmptyStateAndAnUnreadableOneIsBrokenNeverEmpty() {
    assertThat(RolloutState.of(Map.of())).isEqualTo(RolloutState.EMPTY);
    assertThat(RolloutState.EMPTY.broken()).isFalse();
    String badTime =
        new String(sample().print(), StandardCharsets.UTF_8)
            .replace("2026-11-24T03:00:00Z", "yesterday");
    for (String bad : List.of("kind: [unclosed", "kind: Other\n", badTime)) {
      RolloutState state =
          RolloutState.of(Map.of(RolloutState.FILE, bad.getBytes(StandardCharsets.UTF_8)));
      assertThat(state.broken()).as(bad).isTrue();
      assertThat(state.problems()).as(bad).hasSize(1);
      // A broken state renders anyway (reconcile never skips it) so its violation is reported.
      assertThat(state.inProgress()).as(bad).isTrue();
    }
    String negative =
        new String(sample().print(), StandardCharsets.UTF_8).replaceFirst("held: \\d+", "held: -4");
    RolloutState.PolicyRollout p =
        RolloutState.of(Map.of(RolloutState.FILE, negative.getBytes(StandardCharsets.UTF_8)))
            .policies()
            .values()
            .iterator()
            .next();
    assertThat(p.problem()).isEqualTo("a negative wave or held count");
  }

  @Test
  void movedWorkloadsKeepTheirWaveAndAnOlderFileReadsAsTheFirstWave() {
    RolloutState.PolicyRollout p = sample().policies().get("mesh");
    RolloutState moved =
        new RolloutState(
            new TreeMap<>(
                Map.of(
                    "mesh",
                    new RolloutState.PolicyRollout(
                        p.revision(),
                        p.wave(),
                        p.lastWave(),
                        p.held(),
                        p.revisions(),
                        new TreeMap<>(
                            Map.of(
                                "Deployment/shop/a", new RolloutState.Moved("old", 1),
                                "Deployment/shop/b", new RolloutState.Moved("old", 2))),
                        null,
                        false,
                        null))));
    String printed = new String(moved.print(), StandardCharsets.UTF_8);
    assertThat(read(printed).policies().get("mesh").lastMovedWave()).isEqualTo(2);
    assertThat(read(printed)).isEqualTo(moved);

    // Written before waves were recorded per workload: the revision alone.
    String older =
        printed.replaceAll("(Deployment/shop/.): *\\n *from: (\\w+)\\n *wave: \\d+", "$1: $2");
    assertThat(older).contains("Deployment/shop/a: old");
    assertThat(read(older).policies().get("mesh").moved())
        .containsEntry("Deployment/shop/a", new RolloutState.Moved("old", 0));

    String noFrom = printed.replaceFirst("from: old", "to: old");
    assertThat(read(noFrom).policies().get("mesh").problem())
        .isEqualTo("moved Deployment/shop/a has no from revision or wave");
  }

  private static RolloutState read(String file) {
    return RolloutState.of(Map.of(RolloutState.FILE, file.getBytes(StandardCharsets.UTF_8)));
  }
}

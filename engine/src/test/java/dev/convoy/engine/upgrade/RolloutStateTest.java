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
  void aMissingOrUnreadableFileIsTheEmptyState() {
    assertThat(RolloutState.of(Map.of())).isEqualTo(RolloutState.EMPTY);
    assertThat(
            RolloutState.of(
                Map.of(RolloutState.FILE, "kind: [unclosed".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(RolloutState.EMPTY);
    assertThat(
            RolloutState.of(
                Map.of(RolloutState.FILE, "kind: Other\n".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(RolloutState.EMPTY);
    String badTime =
        new String(sample().print(), StandardCharsets.UTF_8)
            .replace("2026-11-24T03:00:00Z", "yesterday");
    assertThat(RolloutState.of(Map.of(RolloutState.FILE, badTime.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(RolloutState.EMPTY);
  }
}

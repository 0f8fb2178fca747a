package dev.convoy.engine.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeDiffTest {
  @Test
  void keyOrderAndNamedListOrderMeanNothing() {
    Map<String, Object> a =
        Map.of(
            "a",
            1,
            "env",
            List.of(Map.of("name", "X", "value", "1"), Map.of("name", "Y", "value", "2")));
    Map<String, Object> b =
        Map.of(
            "env",
            List.of(Map.of("name", "Y", "value", "2"), Map.of("name", "X", "value", "1")),
            "a",
            1);

    assertThat(TreeDiff.between(a, b)).isEmpty();
  }

  @Test
  void changesAreLeafPathsWithNamedEntriesAndQuotedKeys() {
    Map<String, Object> a =
        Map.of(
            "image", "app:1",
            "env", List.of(Map.of("name", "X", "value", "1")),
            "command", List.of("run", "--a"),
            "metadata", Map.of("annotations", Map.of("prometheus.io/port", "80")));
    Map<String, Object> b =
        Map.of(
            "image", "app:2",
            "env", List.of(Map.of("name", "X", "value", "2"), Map.of("name", "Z", "value", "3")),
            "command", List.of("run", "--b"),
            "metadata", Map.of("annotations", Map.of("prometheus.io/port", "8080")));

    assertThat(TreeDiff.between(a, b))
        .containsExactlyInAnyOrder(
            new FieldChange("image", "app:1", "app:2"),
            new FieldChange("env[X].value", "1", "2"),
            new FieldChange("env[Z]", null, Map.of("name", "Z", "value", "3")),
            new FieldChange("command", List.of("run", "--a"), List.of("run", "--b")),
            new FieldChange("metadata.annotations[\"prometheus.io/port\"]", "80", "8080"));
  }
}

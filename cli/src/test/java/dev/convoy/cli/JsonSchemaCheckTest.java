package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JsonSchemaCheckTest {
  @Test
  void reportsMissingUnexpectedAndMistypedFields() throws Exception {
    JsonSchemaCheck schema =
        new JsonSchemaCheck(Files.readString(Path.of("..", "docs", "review.schema.json")));
    String good =
        Files.readString(
            Path.of("src", "test", "resources", "review-cases", "policy-bump", "expected.json"));

    assertThat(schema.problems(good)).isEmpty();
    assertThat(schema.problems(good.replace("\"newErrors\" : 0,", "")))
        .containsExactly("$: missing newErrors");
    assertThat(
            schema.problems(
                good.replace("\"empty\" : false,", "\"empty\" : false, \"extra\" : 1,")))
        .containsExactly("$: unexpected field extra");
    assertThat(
            schema.problems(good.replace("\"headRules\" : \"same\"", "\"headRules\" : \"maybe\"")))
        .hasSize(1)
        .allSatisfy(p -> assertThat(p).startsWith("$.headRules:"));
    assertThat(schema.problems(good.replace("\"moves\" : true", "\"moves\" : \"yes\"")))
        .hasSize(1)
        .allSatisfy(p -> assertThat(p).contains(".waves[0].moves"));
  }
}

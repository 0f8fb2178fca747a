package dev.convoy.engine.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.resolver.Resolver;

/** The resolver's shortcuts answer exactly what its regular expressions alone answer. */
class ManifestResolverTest {
  /** The same implicit resolvers, without the shortcuts. */
  private static final Resolver PATTERNS_ONLY =
      new Resolver() {
        @Override
        protected void addImplicitResolvers() {
          addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
          addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.INT, INT, "-+0123456789");
          addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.FLOAT, FLOAT, "-+0123456789.");
          addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.MERGE, MERGE, "<", 10);
          addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, NULL, "~nN\0", 10);
          addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, EMPTY, null, 10);
        }
      };

  private final Resolver resolver = new ManifestParser.ManifestResolver();

  @Test
  void wordsNumbersAndLookAlikes() {
    List<String> values =
        new ArrayList<>(
            List.of(
                "",
                " ",
                "~",
                "null",
                "Null",
                "NULL",
                "nULL",
                "nul",
                "nulls",
                "name",
                "yes",
                "Yes",
                "YES",
                "yES",
                "y",
                "Y",
                "n",
                "N",
                "no",
                "No",
                "NO",
                "nO",
                "true",
                "True",
                "TRUE",
                "tRUE",
                "false",
                "False",
                "FALSE",
                "on",
                "On",
                "ON",
                "oN",
                "off",
                "Off",
                "OFF",
                "oFF",
                "<<",
                "<",
                "<<<",
                "=",
                "\0",
                "\0a",
                "0",
                "01",
                "10",
                "-1",
                "+1",
                "1_000",
                "0x1F",
                "0o7",
                "0b1",
                "1:30",
                "1.5",
                ".5",
                ".inf",
                "-.inf",
                ".nan",
                "100m",
                "128Mi",
                "8080",
                "v1",
                "tier",
                "team",
                "type",
                "open",
                "nginx",
                "2024-01-02",
                "yes ",
                " yes"));
    Random random = new Random(42);
    String alphabet = "yYnNtTfFoOrueals~<lL0123456789.-+_:xbeE ";
    for (int i = 0; i < 20000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(7);
      for (int j = 0; j < length; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      values.add(sb.toString());
    }
    for (String v : values) {
      for (boolean implicit : new boolean[] {true, false}) {
        assertThat(resolver.resolve(NodeId.scalar, v, implicit))
            .as("'%s' implicit=%s", v, implicit)
            .isEqualTo(PATTERNS_ONLY.resolve(NodeId.scalar, v, implicit));
      }
    }
  }
}

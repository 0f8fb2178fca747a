package dev.convoy.engine.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Which unquoted scalars every reader agrees are strings, and what Kubernetes makes of the rest.
 */
class ScalarFormsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "name",
        "nginx:1.25",
        "100m",
        "128Mi",
        "v1",
        "1.25.3",
        "a:b",
        "-flag",
        "--port=80",
        "0x",
        "0b",
        "1e",
        "e3",
        "yesterday",
        "online",
        "nulls",
        "<<<",
        ".",
        "-",
        "+",
        "1-2",
        "10.0.0.1",
        "1:a",
        "0:0:0",
        "Tru",
        "0xZZ"
      })
  void stringsEveryReaderAgreesOn(String s) {
    assertThat(ScalarForms.isPlainString(s)).as(s).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "12:30",
        "1:1",
        "on",
        "off",
        "yes",
        "no",
        "y",
        "n",
        "Y",
        "N",
        "On",
        "OFF",
        "true",
        "False",
        "0755",
        "0o17",
        "0x1F",
        "0b101",
        "1e3",
        "1E+3",
        ".5",
        "5.",
        ".inf",
        "-.Inf",
        ".nan",
        "~",
        "null",
        "NULL",
        "2024-01-02",
        "2001-12-14t21:59:43.10-05:00",
        "+1",
        "-1",
        "1_000",
        "0888",
        "<<",
        "=",
        "1.30",
        "0.5",
        "42",
        "-_1"
      })
  void notStringsToSomeReader(String s) {
    assertThat(ScalarForms.isPlainString(s)).as(s).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          on          | Boolean:true
          y           | Boolean:true
          NO          | Boolean:false
          ~           | null
          0755        | Integer:493
          0o17        | Integer:15
          0x1F        | Integer:31
          0b101       | Integer:5
          1_000       | Integer:1000
          +1          | Integer:1
          1e3         | Double:1000.0
          1.30        | Double:1.3
          .inf        | Double:Infinity
          12:30       | String:12:30
          2024-01-02  | String:2024-01-02
          18446744073709551616 | Double:1.8446744073709552E19
          """)
  void whatKubernetesReads(String text, String expected) {
    Object v = ScalarForms.kubernetesValue(text);
    assertThat(v == null ? "null" : v.getClass().getSimpleName() + ":" + v).isEqualTo(expected);
  }

  @Test
  void canonicalNumbersPrintAsWritten() {
    assertThat(ScalarForms.canonicalDouble("0.5")).isEqualTo(0.5);
    assertThat(ScalarForms.canonicalDouble("-12.25")).isEqualTo(-12.25);
    assertThat(ScalarForms.canonicalDouble("1.0E10")).isEqualTo(1.0E10);
    assertThat(ScalarForms.canonicalDouble("1.30")).isNull();
    assertThat(ScalarForms.canonicalDouble("1e3")).isNull();
    assertThat(ScalarForms.canonicalDouble("00.5")).isNull();
    assertThat(ScalarForms.isCanonicalInteger("0")).isTrue();
    assertThat(ScalarForms.isCanonicalInteger("-7")).isTrue();
    assertThat(ScalarForms.isCanonicalInteger("-0")).isFalse();
    assertThat(ScalarForms.isCanonicalInteger("007")).isFalse();
    assertThat(ScalarForms.integer("12345678901")).isEqualTo(12345678901L);
    assertThat(ScalarForms.integer("123456789012345678901"))
        .isEqualTo(new BigInteger("123456789012345678901"));
  }

  /** A plain string to us is a string to YAML 1.1 too, on random look-alikes. */
  @Test
  void plainStringsAreStringsToYaml11() {
    Resolver yaml11 = new Resolver();
    List<String> values = new ArrayList<>();
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
      if (ScalarForms.isPlainString(v)) {
        assertThat(yaml11.resolve(NodeId.scalar, v, true)).as("'%s'", v).isEqualTo(Tag.STR);
        assertThat(ScalarForms.kubernetesValue(v)).as("'%s'", v).isEqualTo(v);
      }
    }
  }
}

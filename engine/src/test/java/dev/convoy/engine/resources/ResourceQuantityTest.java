package dev.convoy.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceQuantityTest {

  @ParameterizedTest(name = "{0} of {1} is {2}")
  @CsvSource(
      textBlock =
          """
          # text,  resource,          canonical
          100m,    cpu,               100m
          0.5,     cpu,               500m
          .5,      cpu,               500m
          2,       cpu,               2
          +2,      cpu,               2
          2000m,   cpu,               2
          1500m,   cpu,               1500m
          1e3,     cpu,               1000
          12e-1,   cpu,               1200m
          1E-3,    cpu,               1m
          0.1m,    cpu,               100u
          250000u, cpu,               250m
          5n,      cpu,               5n
          0,       cpu,               0
          0m,      cpu,               0
          64Mi,    memory,            64Mi
          0.5Gi,   memory,            512Mi
          1536Mi,  memory,            1536Mi
          1048576, memory,            1Mi
          2Ki,     memory,            2Ki
          1024,    memory,            1Ki
          1G,      memory,            1G
          1e3,     memory,            1k
          1000k,   memory,            1M
          123,     memory,            123
          1.5,     memory,            1500m
          1Ei,     memory,            1Ei
          1E,      memory,            1E
          0,       memory,            0
          10Gi,    ephemeral-storage, 10Gi
          """)
  void parsesAndFormatsCanonically(String text, String resource, String canonical) {
    ResourceName name = ResourceName.ofKey(resource).orElseThrow();

    ResourceQuantity quantity = ResourceQuantity.parse(text);

    assertThat(quantity.format(name)).isEqualTo(canonical);
    assertThat(ResourceQuantity.parse(canonical)).isEqualTo(quantity);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"100m", "0.5", "64Mi", "1G", "1e3", "2Ki", "1.5Gi", "12e-1", "7E", "250u"})
  void agreesWithFabric8NumericalAmount(String text) {
    BigDecimal fabric8 = new Quantity(text).getNumericalAmount();

    assertThat(ResourceQuantity.parse(text).amount()).isEqualByComparingTo(fabric8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "m", "Mi", "1.2.3", "10x", "1mi", "1 Mi", "--1", "1e", "1Mi3", "0x10"})
  void rejectsTextThatIsNotAQuantity(String text) {
    assertThatThrownBy(() -> ResourceQuantity.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid quantity");
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          1,    1
          0.25, 250m
          """)
  void acceptsYamlNumbersAsSnakeYamlLoadsThem(double yaml, String canonical) {
    Object scalar = yaml == Math.rint(yaml) ? (Object) (int) yaml : (Object) yaml;

    assertThat(ResourceQuantity.of(scalar).format(ResourceName.CPU)).isEqualTo(canonical);
  }

  @org.junit.jupiter.api.Test
  void equalQuantitiesAreEqualWhateverTheirSpelling() {
    assertThat(ResourceQuantity.parse("1")).isEqualTo(ResourceQuantity.parse("1000m"));
    assertThat(ResourceQuantity.parse("1Ki")).isEqualTo(ResourceQuantity.parse("1.024k"));
    assertThat(ResourceQuantity.parse("1Ki").hashCode())
        .isEqualTo(ResourceQuantity.parse("1.024k").hashCode());
  }

  @org.junit.jupiter.api.Test
  void sumsExactly() {
    ResourceQuantity sum = ResourceQuantity.parse("0.1").plus(ResourceQuantity.parse("200m"));

    assertThat(sum).isEqualTo(ResourceQuantity.parse("300m"));
    assertThat(
            ResourceQuantity.parse("1G")
                .plus(ResourceQuantity.parse("1Gi"))
                .format(ResourceName.MEMORY))
        .isEqualTo("2073741824");
  }
}

package dev.convoy.engine.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkerTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # script                                                        | awaited                  | written
          until [ -f /convoy/run/proxy.ready ]; do sleep 1; done          | /convoy/run/proxy.ready  | -
          test -e "/convoy/run/app.exited"                                | /convoy/run/app.exited   | -
          poll http://127.0.0.1:15021/ready && touch /convoy/run/proxy.ready | -                     | /convoy/run/proxy.ready
          trap "touch /convoy/run/app.exited" TERM; exec app              | -                        | /convoy/run/app.exited
          echo done > /convoy/run/migrate.exited                          | -                        | /convoy/run/migrate.exited
          touch /tmp/proxy.ready; [ -f /convoy/run/Proxy.ready ]          | -                        | -
          [ -f /convoy/run/proxy.readyz ]                                 | -                        | -
          : >/convoy/run/app.running                                      | -                        | /convoy/run/app.running
          while [ -f /convoy/run/app.running ]; do sleep 1; done          | /convoy/run/app.running  | -
          """)
  void recognisesTestsAndWritesOfTheConvention(String script, String awaited, String written) {
    assertThat(Marker.testedBy(script).stream().map(Marker::path).toList())
        .isEqualTo(awaited == null ? List.of() : List.of(awaited));
    assertThat(Marker.writtenBy(script).stream().map(Marker::path).toList())
        .isEqualTo(written == null ? List.of() : List.of(written));
  }

  @Test
  void recognisesRemovals() {
    assertThat(
            Marker.removedBy("rm -f /convoy/run/app.done /convoy/run/app.ready; rm -f /tmp/x")
                .stream()
                .map(Marker::path))
        .containsExactly("/convoy/run/app.done", "/convoy/run/app.ready");
  }
}

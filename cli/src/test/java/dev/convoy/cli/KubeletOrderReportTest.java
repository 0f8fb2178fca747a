package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code explain} and {@code render --report} state the order the kubelet really runs the rendered
 * pod in, per kind of node, and the edges the mode cannot honour: in legacy mode a pre sidecar
 * starts after every init container, and pre sidecars stop in reverse start order only as far as
 * the rendered preStop hooks make them.
 */
class KubeletOrderReportTest {
  private static final Path CASES =
      Path.of("..", "engine", "src", "test", "resources", "cases").toAbsolutePath().normalize();
  private static final String MODES =
      CASES.resolve("modes-one-policy-for-1.27-1.31-and-unversioned/in").toString();
  private static final String SCENARIOS = CASES.resolve("kubelet-scenarios/in").toString();

  @TempDir Path tmp;

  @Test
  void explainShowsTheLegacyOrderAndTheEdgeItCannotHonour() {
    CliRun run = CliRun.of("explain", MODES, "Deployment/shop/shop", "--target", "old");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(section(run.out(), "Start order"))
        .containsExactly(
            "1. proxy                pre sidecar, policy mesh",
            "2. migrate              init container",
            "3. app                  app container",
            "4. log-shipper          post sidecar, policy logs");
    assertThat(section(run.out(), "As the kubelet starts it on nodes without native sidecars"))
        .containsExactly(
            "1. migrate              init container, runs to completion first",
            "2. proxy                regular container, its postStart gate returns first",
            "3. app                  regular container, its postStart gate returns first",
            "4. log-shipper          regular container");
    assertThat(section(run.out(), "Not honoured on nodes without native sidecars"))
        .containsExactly(
            "proxy -> migrate: proxy runs as a regular container here, and the kubelet starts"
                + " regular containers only after every init container");
  }

  @Test
  void explainShowsTheLegacyStopChain() {
    CliRun run =
        CliRun.of("explain", SCENARIOS, "Deployment/scenarios/chain", "--target", "legacy");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(section(run.out(), "Stop order on nodes without native sidecars"))
        .containsExactly("1. ledger", "2. db-client", "3. proxy");
  }

  @Test
  @SuppressWarnings("unchecked")
  void explainJsonHasOneKubeletOrderPerKindOfNodeInUniversalMode() {
    CliRun run =
        CliRun.of(
            "explain", MODES, "Deployment/shop/shop", "--target", "unknown", "--output", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, Object> root = JsonMapper.builder().build().readValue(run.out(), Map.class);
    Map<String, Object> target = ((List<Map<String, Object>>) root.get("targets")).get(0);
    List<Map<String, Object>> kubelet = (List<Map<String, Object>>) target.get("kubelet");
    assertThat(kubelet)
        .extracting(k -> k.get("nodes"))
        .containsExactly("native_sidecars", "no_native_sidecars");
    assertThat(((List<Map<String, Object>>) kubelet.get(1).get("start")))
        .extracting(s -> s.get("name") + (Boolean.TRUE.equals(s.get("idle")) ? " (idle)" : ""))
        .containsExactly("proxy (idle)", "migrate", "proxy-legacy", "app", "log-shipper");
  }

  @Test
  void reportPrintsTheKubeletsOrderStopOrderAndWhatIsNotHonoured() {
    CliRun run = CliRun.of("render", MODES, "--report", "--out", tmp.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("old Deployment/shop/shop injected order=[migrate proxy app log-shipper]")
        .contains("  stop     app log-shipper, then proxy\n")
        .contains(
            "  not honoured on nodes without native sidecars: proxy -> migrate (proxy runs as a"
                + " regular container here")
        .contains("new Deployment/shop/shop injected order=[proxy migrate app log-shipper]")
        .contains(
            "unknown Deployment/shop/shop injected order=[proxy migrate proxy-legacy app log-shipper]")
        .contains(
            "  order on nodes without native sidecars=[proxy migrate proxy-legacy app log-shipper]");
  }

  /** The indented lines under a heading, trimmed, up to the next blank line. */
  private static List<String> section(String text, String heading) {
    List<String> lines = text.lines().toList();
    int start = 0;
    while (!lines.get(start).startsWith(heading)) {
      start++;
    }
    return lines.subList(start + 1, lines.size()).stream()
        .takeWhile(l -> !l.isBlank())
        .map(String::strip)
        .toList();
  }
}

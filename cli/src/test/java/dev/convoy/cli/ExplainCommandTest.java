package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code convoy explain} over the sample config repo and its custom rules. */
class ExplainCommandTest {
  private static final String SAMPLE = CliRun.sample().toString();

  @Test
  void explainsOrderEdgesAndDroppedDefaultsOfARuleEdge() {
    CliRun run = CliRun.of("explain", SAMPLE, "Deployment/shop/cart");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "matched   mesh: selector sidecar.convoy.dev/mesh notin (disabled); namespaceSelector mesh=enabled (namespace shop)")
        .contains("shop: warm-cache runs before the mesh  (rules/ordering.drl)")
        .contains(
            "warm-cache -> cert-fetcher  [rule] rule \"shop: warm-cache runs before the mesh\"  (rules/ordering.drl:")
        .contains(
            "warm-cache -> app  [kubernetes] kubernetes: init containers complete before app containers")
        .contains("dropped: cert-fetcher -> warm-cache  [policy, default]");
    assertThat(section(run.out(), "Start order"))
        .containsExactly(
            "1. warm-cache           init container",
            "2. cert-fetcher         pre sidecar, policy mesh",
            "3. proxy                pre sidecar, policy mesh",
            "4. app                  app container",
            "5. log-shipper          post sidecar, policy logging");
    assertThat(section(run.out(), "Stop order"))
        .containsExactly("1. app, log-shipper  (together)", "2. proxy", "3. cert-fetcher");
  }

  @Test
  void explainsVetoesAndForcedInjections() {
    assertThat(CliRun.of("explain", SAMPLE, "DaemonSet/monitoring/node-exporter").out())
        .contains("matched   logging: selector logging=enabled; kind DaemonSet")
        .contains(
            "vetoed    logging: rule \"platform: no sidecars in system and platform namespaces\": namespace monitoring")
        .contains("no policy applies, passed through unchanged");
    assertThat(CliRun.of("explain", SAMPLE, "Deployment/payments/settlement").out())
        .contains("forced    logging: injected by a rule")
        .contains(
            "proxy -> mysql-client  [rule] rule \"payments: mysql-client starts after proxy\"")
        .contains("proxy -> mysql-client  [policy] policy mysql-client: after");
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonOutputForTools() {
    CliRun run = CliRun.of("explain", SAMPLE, "Deployment/payments/ledger", "--output", "json");
    assertThat(run.exitCode()).isZero();
    Map<String, Object> root = JsonMapper.builder().build().readValue(run.out(), Map.class);
    assertThat(root).containsEntry("workload", "Deployment/payments/ledger");
    Map<String, Object> prod = ((List<Map<String, Object>>) root.get("targets")).get(0);
    assertThat(prod)
        .containsEntry("target", "prod")
        .containsEntry("sidecarMode", "native")
        .containsEntry("outcome", "injected");
    assertThat(
            ((List<Map<String, Object>>) prod.get("startOrder")).stream().map(s -> s.get("name")))
        .containsExactly("cert-fetcher", "proxy", "mysql-client", "app", "log-shipper");
    assertThat((List<Object>) prod.get("stopOrder"))
        .containsExactly(
            List.of("app", "log-shipper"),
            List.of("mysql-client"),
            List.of("proxy"),
            List.of("cert-fetcher"));
    assertThat((List<Map<String, Object>>) prod.get("edges"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("first", "proxy")
                    .containsEntry("then", "mysql-client")
                    .containsEntry("source", "rule")
                    .containsEntry("origin", "rule \"payments: mysql-client starts after proxy\"")
                    .containsEntry("file", "rules/ordering.drl"));
  }

  @Test
  void unknownWorkloadExitsTwoWithCloseNames() {
    CliRun run = CliRun.of("explain", SAMPLE, "Deployment/payments/ledgr");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("error: no workload Deployment/payments/ledgr")
        .contains("did you mean:\n  Deployment/payments/ledger");
  }

  @Test
  void closeNamesPreferTheSameName() {
    assertThat(
            ExplainCommand.closeNames(
                "Deployment/shop/ledger",
                List.of(
                    "Deployment/payments/ledger",
                    "StatefulSet/payments/ledger-db",
                    "Pod/shop/debug-shell")))
        .first()
        .isEqualTo("Deployment/payments/ledger");
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

package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example report in docs/review.md is what {@code convoy review} prints for the pull request
 * the page describes; {@code -Dreview.cases.update=true} rewrites it.
 */
class ReviewDocsTest {
  private static final Path DOC = Path.of("..", "docs", "review.md");
  private static final String START = "<!-- example-report:start -->\n";
  private static final String END = "<!-- example-report:end -->\n";

  @TempDir Path tmp;

  @Test
  void theExampleReportIsTheRealOutput() throws Exception {
    Path base = tmp.resolve("base");
    CliRun.copy(CliRun.sample(), base);
    Path head = tmp.resolve("head");
    CliRun.copy(CliRun.sample(), head);
    replace(head, "policies/mesh.yaml", "envoyproxy/envoy:v1.31.0", "envoyproxy/envoy:v1.31.1");
    replace(
        head,
        "manifests/shop/cart.yaml",
        "labels: {app: cart, logging: enabled}",
        "labels: {app: cart}");
    replace(
        head,
        "manifests/shop/cart.yaml",
        "ghcr.io/example/cart:3.1.0",
        "ghcr.io/example/cart:3.2.0");
    replace(
        head,
        "manifests/shop/cart.yaml",
        "requests: {cpu: 100m, memory: 128Mi}",
        "requests: {cpu: 150m, memory: 128Mi}");
    replace(head, "manifests/shop/cart.yaml", "CACHE_TTL: \"300\"", "CACHE_TTL: \"600\"");
    Path cart = head.resolve("manifests/shop/cart.yaml");
    Files.writeString(
        cart,
        Files.readString(cart)
            + """
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: cart-payment-key
              namespace: shop
            type: Opaque
            stringData:
              api-key: sk_live_4eC39HqLyjWDarjtT1zdp7dc
            """);
    Path repo = ReviewRepo.create(tmp.resolve("repo"), base, "main", head, "mesh-1.31.1");

    CliRun run = CliRun.of("review", "--base", "main", "--head", "mesh-1.31.1", repo.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain("sk_live_4eC39HqLyjWDarjtT1zdp7dc");
    String doc = Files.readString(DOC);
    int from = doc.indexOf(START);
    int to = doc.indexOf(END);
    assertThat(from).as("docs/review.md has the example markers").isNotNegative();
    assertThat(to).isGreaterThan(from);
    if (Boolean.getBoolean("review.cases.update")) {
      Files.writeString(
          DOC, doc.substring(0, from + START.length()) + run.out() + doc.substring(to));
      return;
    }
    assertThat(doc.substring(from + START.length(), to)).isEqualTo(run.out());
  }

  private static void replace(Path repo, String file, String from, String to) throws Exception {
    Path p = repo.resolve(file);
    String text = Files.readString(p);
    assertThat(text).as(file).contains(from);
    Files.writeString(p, text.replace(from, to));
  }
}

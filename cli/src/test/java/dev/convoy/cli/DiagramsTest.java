package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pictures parse with the real tools: {@code convoy explain -o dot} with Graphviz ({@code dot
 * -Tsvg}), and the Mermaid of {@code explain -o mermaid}, of every golden review report and of
 * docs/review.md with Mermaid's own parser (run by Node in jsdom; {@code .ci/install-test-deps.sh}
 * installs both). Off CI a missing tool skips with the reason; on CI it fails.
 */
class DiagramsTest {
  private static final Pattern MERMAID_BLOCK =
      Pattern.compile("```mermaid\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path tmp;

  @Test
  void graphvizDrawsTheExplainGraphOfEveryWorkloadKind() throws Exception {
    requireTool("dot", "-V");
    for (String workload :
        List.of(
            "Deployment/payments/ledger",
            "StatefulSet/payments/ledger-db",
            "Deployment/shop/cart",
            "CronJob/batch/cleanup",
            "Job/batch/nightly-report",
            "Pod/shop/debug-shell")) {
      CliRun run = CliRun.of("explain", CliRun.sample().toString(), workload, "-o", "dot");
      assertThat(run.exitCode()).as(run.err()).isZero();
      Path dot = tmp.resolve(workload.replace('/', '_') + ".dot");
      Files.writeString(dot, run.out());

      Result svg = exec(List.of("dot", "-Tsvg", dot.toString()));

      assertThat(svg.code()).as(svg.err()).isZero();
      assertThat(svg.err()).as("Graphviz warnings").isEmpty();
      assertThat(svg.out()).startsWith("<?xml").contains("<svg");
      // Every container of the start order is a node of the picture.
      var json =
          tools.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(
                  CliRun.of("explain", CliRun.sample().toString(), workload, "-o", "json").out());
      var order = json.get("targets").get(0).get("startOrder");
      assertThat(order.size()).as(workload).isPositive();
      for (var step : order) {
        assertThat(svg.out().replace("&#45;", "-"))
            .as(workload)
            .contains(". " + step.get("name").asString() + "</text>");
      }
    }
  }

  @Test
  void aCycleIsDrawnInRed() throws Exception {
    Path repo = tmp.resolve("cycle");
    CliRun.copy(
        Path.of("src", "test", "resources", "review-cases", "cycle-introduced", "head"), repo);
    // git keeps no empty folders: the case has no rules/ folder, which its convoy.yaml names.
    Files.createDirectories(repo.resolve("rules"));

    CliRun dot = CliRun.of("explain", repo.toString(), "Deployment/shop/cart", "-o", "dot");
    CliRun mermaid = CliRun.of("explain", repo.toString(), "Deployment/shop/cart", "-o", "mermaid");

    assertThat(dot.out()).contains("color=\"#d62728\"");
    assertThat(mermaid.out()).contains("==>").contains("linkStyle");
  }

  @Test
  void mermaidParsesEveryDiagramWeDraw() throws Exception {
    Path home = mermaidHome();
    List<Path> diagrams = new ArrayList<>();
    for (String workload :
        List.of("Deployment/payments/ledger", "Deployment/shop/cart", "Pod/shop/debug-shell")) {
      CliRun run = CliRun.of("explain", CliRun.sample().toString(), workload, "-o", "mermaid");
      assertThat(run.exitCode()).as(workload + ": " + run.err()).isZero();
      diagrams.add(write("explain-" + diagrams.size(), run.out()));
    }
    Path cycle = tmp.resolve("cycle");
    CliRun.copy(
        Path.of("src", "test", "resources", "review-cases", "cycle-introduced", "head"), cycle);
    Files.createDirectories(cycle.resolve("rules"));
    diagrams.add(
        write(
            "explain-cycle",
            CliRun.of("explain", cycle.toString(), "Deployment/shop/cart", "-o", "mermaid").out()));
    List<Path> markdown = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(Path.of("src", "test", "resources", "review-cases"))) {
      walk.filter(p -> p.getFileName().toString().equals("expected.md"))
          .sorted()
          .forEach(markdown::add);
    }
    markdown.add(Path.of("..", "docs", "review.md"));
    for (Path md : markdown) {
      Matcher m = MERMAID_BLOCK.matcher(Files.readString(md));
      while (m.find()) {
        diagrams.add(write("md-" + diagrams.size(), m.group(1)));
      }
    }
    assertThat(diagrams).as("diagrams, including some from review reports").hasSizeGreaterThan(5);

    List<String> command = new ArrayList<>(List.of("node", script().toString(), home.toString()));
    diagrams.forEach(d -> command.add(d.toString()));
    Result parsed = exec(command);

    assertThat(parsed.code()).as(parsed.out() + parsed.err()).isZero();
    assertThat(parsed.out().lines().filter(l -> l.startsWith("ok "))).hasSize(diagrams.size());
  }

  @Test
  void mermaidRejectsABrokenDiagram() throws Exception {
    Path home = mermaidHome();
    // `x` right after a link is Mermaid's cross arrow: why node ids are generated, never names.
    Path broken = write("broken", "flowchart LR\n  subgraph s\n    x-->y\n  end\n");

    Result parsed = exec(List.of("node", script().toString(), home.toString(), broken.toString()));

    assertThat(parsed.code()).isEqualTo(1);
    assertThat(parsed.out()).startsWith("error ");
  }

  private Path write(String name, String text) throws IOException {
    Path p = tmp.resolve(name + ".mmd");
    Files.writeString(p, text);
    return p;
  }

  private static Path script() {
    return Path.of("src", "test", "resources", "mermaid", "check.mjs").toAbsolutePath();
  }

  /** Where {@code npm install mermaid jsdom} ran; see .ci/install-test-deps.sh. */
  private static Path mermaidHome() throws Exception {
    String configured =
        System.getProperty("convoy.mermaidHome", System.getenv("CONVOY_MERMAID_HOME"));
    Path home = Path.of(configured != null ? configured : "/opt/convoy-test-deps/mermaid");
    boolean present =
        Files.isDirectory(home.resolve("node_modules/mermaid"))
            && Files.isDirectory(home.resolve("node_modules/jsdom"));
    requireTool("node", "--version");
    require(present, "Mermaid is not installed in " + home + " (run .ci/install-test-deps.sh)");
    return home;
  }

  private static void requireTool(String tool, String versionFlag) throws Exception {
    boolean found;
    try {
      found = exec(List.of(tool, versionFlag)).code() == 0;
    } catch (IOException e) {
      found = false;
    }
    require(found, tool + " is not installed (run .ci/install-test-deps.sh)");
  }

  /** On CI a missing tool is a failure, elsewhere a visible skip. */
  private static void require(boolean present, String reason) {
    if ("true".equals(System.getenv("CI"))) {
      assertThat(present).as(reason).isTrue();
    } else {
      assumeThat(present).as(reason).isTrue();
    }
  }

  private record Result(int code, String out, String err) {}

  private static Result exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    var out = p.getInputStream();
    var err = p.getErrorStream();
    byte[][] bytes = new byte[2][];
    Thread reader =
        new Thread(
            () -> {
              try {
                bytes[1] = err.readAllBytes();
              } catch (IOException e) {
                bytes[1] = new byte[0];
              }
            });
    reader.start();
    bytes[0] = out.readAllBytes();
    reader.join();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    return new Result(
        p.exitValue(),
        new String(bytes[0], StandardCharsets.UTF_8),
        new String(bytes[1], StandardCharsets.UTF_8));
  }
}

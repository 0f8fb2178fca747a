package dev.convoy.engine.kubelet.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every script in the golden cases' expected output and the sample config repo's rendered output
 * (wrapped commands, postStart and preStop hooks, exec probes: whatever runs as {@code /bin/sh -c
 * SCRIPT}) parses under {@code dash -n} and {@code busybox sh -n}, the two shells images most often
 * have as {@code /bin/sh}.
 */
class GeneratedScriptsTest {
  private static final Path CASES =
      Path.of(System.getProperty("convoy.engineTestResources", "src/test/resources"), "cases");
  private static final Path SAMPLE = Path.of("../samples/config-repo/rendered");

  @ParameterizedTest
  @EnumSource(Shell.class)
  void everyRenderedScriptParses(Shell shell) throws Exception {
    assumeTrue(shell.available(), shell.missing());
    List<Script> scripts = new ArrayList<>();
    try (Stream<Path> cases = Files.list(CASES)) {
      for (Path c : cases.sorted().toList()) {
        Path expected = c.resolve("expected");
        if (Files.isDirectory(expected)) {
          for (Map<String, Object> doc : RenderedPods.documents(expected)) {
            collect(c.getFileName().toString(), doc, scripts);
          }
        }
      }
    }
    // The sample config repo's rendered output, when the checkout has it beside the engine.
    if (Files.isDirectory(SAMPLE)) {
      for (Map<String, Object> doc : RenderedPods.documents(SAMPLE)) {
        collect("samples/config-repo/rendered", doc, scripts);
      }
    }
    assertThat(scripts).as("scripts in the golden cases").hasSizeGreaterThan(50);
    assertThat(scripts.stream().filter(s -> s.text().contains("\"$@\"")))
        .as("wrappers among them")
        .isNotEmpty();
    List<String> failures = new ArrayList<>();
    for (Script s : scripts) {
      String error = parse(shell, s.text());
      if (error != null) {
        failures.add(s.where() + ":\n" + error + "\n" + s.text());
      }
    }
    assertThat(failures).as("scripts %s cannot parse", shell).isEmpty();
  }

  record Script(String where, String text) {}

  /** Every {@code [/bin/sh, -c, SCRIPT, ...]} anywhere in a document. */
  private static void collect(String where, Object node, List<Script> out) {
    if (node instanceof Map<?, ?> m) {
      String name = m.get("name") instanceof String n ? where + " " + n : where;
      m.values().forEach(v -> collect(name, v, out));
    } else if (node instanceof List<?> l) {
      if (l.size() >= 3 && "/bin/sh".equals(l.get(0)) && "-c".equals(l.get(1))) {
        out.add(new Script(where, String.valueOf(l.get(2))));
      }
      l.forEach(v -> collect(where, v, out));
    }
  }

  /** The shell's complaint about a script, or null when it parses. */
  private static String parse(Shell shell, String script) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(shell.argv());
    argv.addAll(List.of("-n", "-c", script));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : output.strip();
  }
}

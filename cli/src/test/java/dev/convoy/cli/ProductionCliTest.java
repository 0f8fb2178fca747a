package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Violation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The version, JSON logs, --quiet, NO_COLOR and shell completion. */
class ProductionCliTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-24T03:00:00Z"), ZoneOffset.UTC);

  @Test
  void versionNamesTheMavenVersionAndTheCommit() {
    CliRun v = CliRun.of("--version");
    CliRun json = CliRun.of("version", "-o", "json");

    assertThat(v.out().strip())
        .matches("convoy \\d+\\.\\d+\\.\\d+\\S* \\(([0-9a-f]{7}(-dirty)?|unknown)\\)");
    JsonNode node = new JsonMapper().readTree(json.out());
    assertThat(node.get("convoy").asString()).isEqualTo(BuildInfo.version());
    assertThat(node.get("drools").asString()).isEqualTo("10.2.0");
    assertThat(node.get("jgit").asString()).startsWith("7.8.1");
    assertThat(node.get("java").asString()).isEqualTo(System.getProperty("java.version"));
    assertThat(node.has("kustomize")).isTrue();
  }

  @Test
  void jsonLogsAreOneObjectPerLineWithTheViolationsFields() {
    StringWriter out = new StringWriter();
    LogWriter log = LogWriter.of(new PrintWriter(out), LogWriter.Format.json, false, false, CLOCK);

    log.println("rules: loaded rules/a.drl sha256:0123");
    log.println("error: convoy.yaml:3: targets: must be a list");
    log.println("  3 | targets: 3");
    log.println("    |          ^");
    log.println("hint: see docs");
    LogWriter.violation(
        log,
        Violation.error(
            "cycle",
            "start order has a cycle",
            "prod/Deployment/shop/cart",
            "mesh",
            "manifests/shop/cart.yaml",
            7));
    log.flush();

    List<JsonNode> events = out.toString().lines().map(l -> new JsonMapper().readTree(l)).toList();
    assertThat(events).hasSize(4);
    assertThat(events)
        .allSatisfy(e -> assertThat(e.get("time").asString()).isEqualTo("2026-11-24T03:00:00Z"));
    assertThat(events.get(0).get("level").asString()).isEqualTo("info");
    assertThat(events.get(1).get("level").asString()).isEqualTo("error");
    assertThat(events.get(1).get("message").asString())
        .isEqualTo("convoy.yaml:3: targets: must be a list\n  3 | targets: 3\n    |          ^");
    JsonNode v = events.get(3);
    assertThat(v.get("level").asString()).isEqualTo("error");
    assertThat(v.get("code").asString()).isEqualTo("cycle");
    assertThat(v.get("target").asString()).isEqualTo("prod");
    assertThat(v.get("workload").asString()).isEqualTo("Deployment/shop/cart");
    assertThat(v.get("policy").asString()).isEqualTo("mesh");
    assertThat(v.get("line").asInt()).isEqualTo(7);
  }

  @Test
  void quietKeepsErrorsAndTheirHintsOnly() {
    StringWriter out = new StringWriter();
    LogWriter log = LogWriter.of(new PrintWriter(out), LogWriter.Format.text, true, false, CLOCK);

    log.println("rules: loaded rules/a.drl");
    log.println("warning: mode-version-mismatch");
    log.println("error: bad thing");
    log.println("  1 | source");
    log.println("hint: fix it");
    log.println("3 error(s), 1 warning(s)");
    LogWriter.progress(log, "load: 10 workloads");
    log.flush();

    assertThat(out.toString()).isEqualTo("error: bad thing\n  1 | source\nhint: fix it\n");
  }

  @Test
  void progressIsShownOnlyWhenAskedForAndNeverInJson() {
    StringWriter text = new StringWriter();
    StringWriter json = new StringWriter();
    LogWriter onTerminal =
        LogWriter.of(new PrintWriter(text), LogWriter.Format.text, false, true, CLOCK);
    LogWriter inPipe =
        LogWriter.of(new PrintWriter(json), LogWriter.Format.json, false, false, CLOCK);

    LogWriter.progress(onTerminal, "load: 10000 workloads");
    LogWriter.progress(inPipe, "load: 10000 workloads");
    inPipe.flush();

    assertThat(text.toString()).matches("\\[\\s*\\d+\\.\\ds\\] load: 10000 workloads\\n");
    assertThat(json.toString()).isEmpty();
    assertThat(LogWriter.stderrIsTerminal(Map.of("TERM", "dumb"))).isFalse();
  }

  @Test
  void jsonModeCoversAWholeCommandsDiagnostics(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("convoy.yaml"), "kind: ConvoyConfig\ntargets: 3\n");

    CliRun run = CliRun.of("validate", "--log-format", "json", tmp.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err().lines().toList())
        .isNotEmpty()
        .allSatisfy(l -> assertThat(new JsonMapper().readTree(l).get("level")).isNotNull());
    assertThat(run.err()).contains("\"level\":\"error\"").contains("convoy.yaml");
  }

  @Test
  void noColorTurnsOffAnsiInHelp() {
    var cl = ConvoyCommand.commandLine(Map.of("NO_COLOR", "1"));
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.execute("render", "--help");

    assertThat(out.toString()).contains("Usage: convoy render").doesNotContain("\u001B[");
    assertThat(cl.getColorScheme().ansi()).isEqualTo(picocli.CommandLine.Help.Ansi.OFF);
  }

  @Test
  void bashCompletionCompletesCommandsAndOptions(@TempDir Path tmp) throws Exception {
    Path script = tmp.resolve("convoy.bash");
    Files.writeString(script, CliRun.of("completion", "bash").out(), StandardCharsets.UTF_8);

    String commands = complete(script, "convoy rec");
    String options = complete(script, "convoy reconcile --shard");

    assertThat(commands.strip()).isEqualTo("reconcile");
    assertThat(options.split("\\s+")).contains("--shard-index", "--shard-count");
    assertThat(CliRun.of("completion", "fish").out())
        .contains("complete -c convoy -n __fish_use_subcommand -a reconcile")
        .contains("-l log-format");
  }

  private static String complete(Path script, String line) throws Exception {
    String[] words = line.split(" ");
    String program =
        "source "
            + script
            + "; COMP_WORDS=("
            + line
            + "); COMP_CWORD="
            + (words.length - 1)
            + "; COMP_LINE='"
            + line
            + "'; COMP_POINT=${#COMP_LINE}; _complete_convoy convoy; echo \"${COMPREPLY[@]}\"";
    Process p =
        new ProcessBuilder("bash", "-c", program)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}

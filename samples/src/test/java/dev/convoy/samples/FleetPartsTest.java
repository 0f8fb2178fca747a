package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.RenderRun;
import dev.convoy.engine.TargetRender;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.rules.DroolsPolicyRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness's generated fleet (3,000 workloads, 20 policies, its custom rules and
 * planted violations) decided in one rule session and in parts of the fleet renders the same bytes
 * and the same violations, in a steady state and while an upgrade wave is cut across the parts
 * (every policy's {@code maxUnavailable} counts workloads of the whole fleet).
 */
class FleetPartsTest {
  private static final int WORKLOADS = 3_000;
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir static Path dir;
  private static ConfigRepo repo;

  @BeforeAll
  static void generate() throws Exception {
    Path out = dir.resolve("fleet");
    Process generator =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "bench/GenerateRepo.java",
                "--workloads",
                String.valueOf(WORKLOADS),
                "--policies",
                "20",
                "--seed",
                "42",
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("generate.log").toFile())
            .start();
    assertThat(generator.waitFor(120, TimeUnit.SECONDS)).as("GenerateRepo finished").isTrue();
    assertThat(generator.exitValue()).as(Files.readString(dir.resolve("generate.log"))).isZero();
    repo = ConfigRepo.read(out);
  }

  @Test
  void partsRenderWhatOneSessionRenders() throws Exception {
    DroolsPolicyRules rules = rules(repo);
    assertThat(rules.ruleAcrossWorkloads())
        .as("the harness's custom rules keep to a workload")
        .isEmpty();
    RenderResult whole = render(repo, rules, Integer.MAX_VALUE, Map.of());
    assertThat(whole.violations()).as("the planted violations").isNotEmpty();
    for (int size : List.of(2_000, 701)) {
      assertSame(whole, render(repo, rules, size, Map.of()), "parts of " + size);
    }

    // The mesh proxy bumped over the first output: its rollout moves a wave, cut fleet-wide.
    ConfigRepo bumped = bumpMesh(repo);
    DroolsPolicyRules bumpedRules = rules(bumped);
    Map<String, SortedMap<String, byte[]>> previous = new HashMap<>();
    whole.targets().forEach(t -> previous.put(t.target().name(), t.files()));
    RenderResult wave = render(bumped, bumpedRules, Integer.MAX_VALUE, previous);
    assertThat(wave.decisions().waves()).as("the bump starts a wave").isNotEmpty();
    assertThat(wave.decisions().waves().stream().filter(w -> !w.moves()))
        .as("the wave holds workloads back")
        .isNotEmpty();
    for (int size : List.of(2_000, 701)) {
      RenderResult parts = render(bumped, bumpedRules, size, previous);
      assertSame(wave, parts, "wave in parts of " + size);
      assertThat(parts.decisions().waves()).isEqualTo(wave.decisions().waves());
    }
  }

  private static void assertSame(RenderResult want, RenderResult got, String what) {
    assertThat(got.violations().stream().map(Violation::describe).toList())
        .as(what + ": violations")
        .containsExactlyElementsOf(want.violations().stream().map(Violation::describe).toList());
    assertThat(got.targets()).hasSameSizeAs(want.targets());
    for (int t = 0; t < want.targets().size(); t++) {
      TargetRender a = want.targets().get(t);
      TargetRender b = got.targets().get(t);
      assertThat(b.files().keySet()).as(what + ": files").isEqualTo(a.files().keySet());
      List<String> differ = new ArrayList<>();
      a.files()
          .forEach(
              (path, bytes) -> {
                if (!java.util.Arrays.equals(bytes, b.files().get(path))) {
                  differ.add(path);
                }
              });
      assertThat(differ).as(what + ": files whose bytes differ").isEmpty();
      assertThat(b.workloads()).as(what + ": reports").isEqualTo(a.workloads());
    }
  }

  private static RenderResult render(
      ConfigRepo repo,
      DroolsPolicyRules rules,
      int partSize,
      Map<String, SortedMap<String, byte[]>> previous)
      throws Exception {
    LoadedRepo loaded = RepoLoader.load(repo);
    RenderRun run = RenderRun.of(loaded).setRules(rules).setNow(NOW).setFleetPartSize(partSize);
    previous.forEach(run::setPreviousOutput);
    return run.call();
  }

  private static DroolsPolicyRules rules(ConfigRepo repo) throws Exception {
    DroolsPolicyRules.Builder builder = DroolsPolicyRules.builder();
    for (InputFile f : repo.rules()) {
      builder.addRuleFile(f.path(), f.bytes());
    }
    return builder.build();
  }

  private static ConfigRepo bumpMesh(ConfigRepo repo) {
    List<InputFile> policies = new ArrayList<>();
    for (InputFile f : repo.policies()) {
      String text = new String(f.bytes(), StandardCharsets.UTF_8);
      policies.add(
          f.path().endsWith("/mesh.yaml")
              ? new InputFile(
                  f.path(),
                  text.replace("envoyproxy/envoy:v1.31.0", "envoyproxy/envoy:v1.31.1")
                      .getBytes(StandardCharsets.UTF_8))
              : f);
    }
    assertThat(policies).isNotEqualTo(repo.policies());
    return new ConfigRepo(repo.config(), repo.sources(), policies, repo.rules());
  }
}

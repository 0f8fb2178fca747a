package dev.convoy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.RenderRun;
import dev.convoy.engine.TargetRender;
import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.RuleSession;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.rules.build.BuiltinModelGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/**
 * The built-in rules' precompiled executable model (what every run uses) decides and renders
 * exactly what the same DRL compiled at run time does (the reference): same decisions, same firings
 * in the same order with the same rule names and files, byte-identical rendered output. Also checks
 * that the model in the jar is the one generated from the jar's DRL.
 */
class PrecompiledRulesTest {
  private static final Path ENGINE_RESOURCES =
      Path.of(System.getProperty("convoy.engineTestResources", "../engine/src/test/resources"));
  private static final Path SAMPLE = Path.of("../samples/config-repo");

  @TestFactory
  Stream<DynamicTest> rendersEveryGoldenCaseIdenticallyFromTheModelAndFromDrl() throws IOException {
    List<Path> repos = new ArrayList<>();
    try (Stream<Path> cases = Files.list(ENGINE_RESOURCES.resolve("cases"))) {
      cases
          .filter(d -> Files.isDirectory(d.resolve("in")))
          .sorted()
          .map(d -> d.resolve("in"))
          .forEach(repos::add);
    }
    repos.add(SAMPLE);
    assertThat(repos).hasSizeGreaterThan(10);
    return repos.stream()
        .map(
            in ->
                DynamicTest.dynamicTest(
                    in.toString(),
                    () -> {
                      ConfigRepo repo = ConfigRepo.read(in);
                      RenderResult reference =
                          render(repo, builder(repo).compileBuiltinRulesFromDrl());
                      RenderResult precompiled = render(repo, builder(repo));
                      assertThat(precompiled.decisions()).isEqualTo(reference.decisions());
                      assertThat(precompiled.violations()).isEqualTo(reference.violations());
                      assertThat(files(precompiled)).isEqualTo(files(reference));
                    }));
  }

  @Test
  void decidesAFleetWithTheSampleRulesIdentically() throws Exception {
    Facts facts = SyntheticFleet.facts(400, 12, 3);
    Decisions reference =
        decide(withSampleRules(DroolsPolicyRules.builder().compileBuiltinRulesFromDrl()), facts);
    Decisions precompiled = decide(withSampleRules(DroolsPolicyRules.builder()), facts);
    assertThat(reference.injections()).isNotEmpty();
    assertThat(reference.firings()).hasSizeGreaterThan(1000);
    assertThat(precompiled).isEqualTo(reference);
  }

  @Test
  void namesEachBuiltinRuleByTheSameFileAndLine() throws Exception {
    Map<String, String> reference =
        ruleSources(DroolsPolicyRules.builder().compileBuiltinRulesFromDrl().build());
    Map<String, String> precompiled = ruleSources(DroolsPolicyRules.builder().build());
    assertThat(reference).hasSizeGreaterThan(20);
    assertThat(reference.values()).allMatch(s -> s.startsWith("builtin:") && !s.endsWith(":0"));
    assertThat(precompiled).isEqualTo(reference);
  }

  @Test
  void theJarsModelWasGeneratedFromTheJarsDrl() {
    assertThat(BuiltinModelGenerator.FILES).isEqualTo(DroolsPolicyRules.BUILTIN_FILES);
    Map<String, byte[]> drl = new LinkedHashMap<>();
    for (String file : DroolsPolicyRules.BUILTIN_FILES) {
      drl.put(file, readBuiltin(file));
    }
    BuiltinModel.load(drl); // throws when stale
    drl.put("edges.drl", "// changed\n".getBytes());
    assertThatThrownBy(() -> BuiltinModel.load(drl))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("precompiled model is stale");
  }

  private static DroolsPolicyRules.Builder builder(ConfigRepo repo) {
    DroolsPolicyRules.Builder builder = DroolsPolicyRules.builder();
    for (InputFile f : repo.rules()) {
      builder.addRuleFile(f.path(), f.bytes());
    }
    return builder;
  }

  private static RenderResult render(ConfigRepo repo, DroolsPolicyRules.Builder rules)
      throws Exception {
    return RenderRun.of(RepoLoader.load(repo)).setRules(rules.build()).call();
  }

  private static Map<String, Map<String, List<Byte>>> files(RenderResult result) {
    Map<String, Map<String, List<Byte>>> files = new TreeMap<>();
    for (TargetRender target : result.targets()) {
      Map<String, List<Byte>> bytes = new TreeMap<>();
      target
          .files()
          .forEach(
              (path, content) -> {
                List<Byte> list = new ArrayList<>(content.length);
                for (byte b : content) {
                  list.add(b);
                }
                bytes.put(path, list);
              });
      files.put(target.target().name(), bytes);
    }
    return files;
  }

  private static DroolsPolicyRules.Builder withSampleRules(DroolsPolicyRules.Builder builder)
      throws IOException {
    try (Stream<Path> files = Files.list(SAMPLE.resolve("rules"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".drl")).sorted().toList()) {
        builder.addRuleFile("rules/" + f.getFileName(), Files.readAllBytes(f));
      }
    }
    return builder;
  }

  private static Decisions decide(DroolsPolicyRules.Builder builder, Facts facts) throws Exception {
    try (RuleSession session = builder.build().open(facts)) {
      return session.decisions();
    }
  }

  private static Map<String, String> ruleSources(DroolsPolicyRules rules) {
    Map<String, String> sources = new TreeMap<>();
    for (KiePackage kiePackage : rules.kieBase().getKiePackages()) {
      for (Rule rule : kiePackage.getRules()) {
        sources.put(rule.getName(), RuleSource.file(rule) + ":" + RuleSource.line(rule));
      }
    }
    return sources;
  }

  private static byte[] readBuiltin(String file) {
    try (var in = DroolsPolicyRules.class.getResourceAsStream("builtin/" + file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package dev.convoy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.RenderRun;
import dev.convoy.engine.decide.RuleFiring;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.engine.output.OutputFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The README's one-rule-per-fact-type block is real DRL against the real fact API: compiled with
 * the built-in rules and run over an upgrade golden case, plus a namespace that opts out, a debug
 * annotation and a payments pod over the memory budget, so most rules have facts to match.
 */
class ReadmeFactTourTest {
  private static final Path CASE =
      Path.of(System.getProperty("convoy.engineTestResources", "../engine/src/test/resources"))
          .resolve("cases/upgrade-wave-canary-rank-and-held-workloads");

  static String tour() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int marker = readme.indexOf("<!-- fact-tour -->");
    assertThat(marker).as("README.md has the fact tour").isPositive();
    int start = readme.indexOf("```drl\n", marker) + "```drl\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  @Test
  void everyTourRuleCompilesAndThoseWithFactsToMatchFire() throws Exception {
    String tour = tour();
    ConfigRepo raw = ConfigRepo.read(CASE.resolve("in"));
    List<InputFile> sources = new ArrayList<>(raw.sources());
    sources.add(
        new InputFile(
            "manifests/namespaces.yaml",
            """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: quiet
          labels: {sidecars: "off"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: tool
          namespace: quiet
          annotations: {example.com/debug: "true"}
        spec:
          selector:
            matchLabels: {app: tool}
          template:
            metadata:
              labels: {app: tool}
            spec:
              containers:
                - {name: tool, image: example/tool:1}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: vault
          namespace: payments
        spec:
          selector:
            matchLabels: {app: vault}
          template:
            metadata:
              labels: {app: vault}
            spec:
              containers:
                - {name: vault, image: example/vault:1, resources: {requests: {memory: 2Gi}}}
        """
                .getBytes(StandardCharsets.UTF_8)));
    ConfigRepo repo = new ConfigRepo(raw.config(), sources, raw.policies(), raw.rules());
    DroolsPolicyRules.Builder builder = DroolsPolicyRules.builder().setRecordFirings(true);
    for (InputFile f : repo.rules()) {
      builder.addRuleFile(f.path(), f.bytes());
    }
    DroolsPolicyRules rules =
        builder.addRuleFile("rules/tour.drl", tour.getBytes(StandardCharsets.UTF_8)).build();

    RenderResult result =
        RenderRun.of(RepoLoader.load(repo))
            .setRules(rules)
            .setPreviousOutput("prod", new OutputFolder(CASE.resolve("previous")).read())
            .setNow(Instant.parse("2026-01-01T00:00:00Z"))
            .call();

    Set<String> fired = new TreeSet<>();
    for (RuleFiring f : result.decisions().firings()) {
      if (f.ruleFile().equals("rules/tour.drl")) {
        fired.add(f.rule());
      }
    }
    Set<String> declared = new TreeSet<>();
    tour.lines()
        .filter(l -> l.startsWith("rule \""))
        .forEach(l -> declared.add(l.substring(6, l.length() - 1)));
    assertThat(declared).hasSize(11);
    // No policy here has an ungated pre sidecar, no pod a migrate init container, and no policy
    // is named debug (so forcing it is an unknown-policy violation, not an injection).
    assertThat(fired)
        .containsExactlyInAnyOrderElementsOf(
            declared.stream()
                .filter(
                    r ->
                        !r.equals("tour: high-priority pre sidecars are gated")
                            && !r.equals("tour: proxy before migrations"))
                .toList());
    assertThat(result.violations())
        .anySatisfy(v -> assertThat(v.code()).isEqualTo("unknown-policy"));
  }
}

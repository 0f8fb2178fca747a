package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.RenderRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet larger than one part whose custom rule may join two workloads is decided in one rule
 * session: the render says so, naming the rule, and still renders.
 */
class FleetSessionNoticeTest {

  @Test
  void aRuleAcrossWorkloadsIsNamedWhenTheFleetIsLargerThanAPart(@TempDir Path tmp)
      throws Exception {
    int workloads = RenderRun.DEFAULT_FLEET_PART_SIZE + 1;
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo.resolve("manifests"));
    Files.createDirectories(repo.resolve("policies"));
    Files.createDirectories(repo.resolve("rules"));
    Files.writeString(
        repo.resolve("convoy.yaml"),
        """
        apiVersion: convoy.dev/v1alpha1
        kind: ConvoyConfig
        targets:
          - name: prod
            kubernetesVersion: "1.31"
        """);
    Files.writeString(
        repo.resolve("policies/mesh.yaml"),
        """
        apiVersion: convoy.dev/v1alpha1
        kind: SidecarPolicy
        metadata:
          name: mesh
        spec:
          sidecars:
            - position: pre
              container: {name: proxy, image: envoyproxy/envoy:v1.31.0}
        """);
    StringBuilder docs = new StringBuilder();
    for (int i = 0; i < workloads; i++) {
      docs.append(
          """
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: p%d, namespace: shop}
          spec:
            containers: [{name: app, image: example/app:1}]
          """
              .formatted(i));
    }
    Files.writeString(repo.resolve("manifests/pods.yaml"), docs);
    Path rule = repo.resolve("rules/freeze.drl");
    String drl =
        """
        package rules;
        import dev.convoy.engine.facts.WorkloadFact;
        import dev.convoy.engine.facts.Veto;
        rule "freeze"
        when
            WorkloadFact( namespace == "freeze" )
            $w : WorkloadFact( )
        then
            insertLogical(new Veto($w.id(), "mesh", "change freeze"));
        end
        """;
    Files.writeString(rule, drl);

    CliRun across = CliRun.of("render", repo.toString());
    assertThat(across.exitCode()).as(across.err()).isZero();
    assertThat(across.err())
        .contains(
            "rules: rule \"freeze\" (package rules) may join facts of two workloads, so all "
                + workloads
                + " workloads are decided in one rule session");

    // Tied to one workload, the same rule lets the fleet be decided in parts: no notice.
    Files.writeString(rule, drl.replace("WorkloadFact( namespace == \"freeze\" )\n", ""));
    CliRun within = CliRun.of("render", repo.toString());
    assertThat(within.exitCode()).as(within.err()).isZero();
    assertThat(within.err()).doesNotContain("one rule session");
  }
}

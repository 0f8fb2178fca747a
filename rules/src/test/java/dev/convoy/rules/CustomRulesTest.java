package dev.convoy.rules;

import static dev.convoy.rules.TestFacts.deployment;
import static dev.convoy.rules.TestFacts.id;
import static dev.convoy.rules.TestFacts.policy;
import static dev.convoy.rules.TestFacts.post;
import static dev.convoy.rules.TestFacts.pre;
import static dev.convoy.rules.TestFacts.sidecar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.RuleFiring;
import dev.convoy.engine.decide.RuleSession;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.Veto;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A config repo's own rules/*.drl: what they can decide, and how their mistakes are reported. */
class CustomRulesTest {
  private static final String API = id("payments", "api");

  private static final String HEADER =
      """
      package payments;

      import dev.convoy.engine.facts.*; import dev.convoy.engine.decide.*;
      import dev.convoy.rules.RuleSource;

      """;

  private static DroolsPolicyRules rules(String path, String drl) throws RuleCompileException {
    return DroolsPolicyRules.builder()
        .addRuleFile(path, drl.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static Decisions decide(DroolsPolicyRules rules, TestFacts facts) {
    try (RuleSession session = rules.open(facts.facts())) {
      return session.decisions();
    }
  }

  private static TestFacts mesh() {
    return new TestFacts()
        .add(
            deployment("payments", "api", Map.of("mesh", "enabled"), Map.of()),
            "mysql-client",
            "app")
        .add(policy("mesh", 100, Map.of("mesh", "enabled")), pre("mesh", "proxy"));
  }

  @Test
  void customRuleAddsAnEdgeBetweenAnInjectedAndAnExistingContainer() throws Exception {
    DroolsPolicyRules rules =
        rules(
            "rules/payments.drl",
            HEADER
                + """
        rule "payments: mysql-client starts after proxy"
        when
            WorkloadFact( namespace == "payments", $id : id )
            ContainerFact( workload == $id, name == "proxy" )
            ContainerFact( workload == $id, name == "mysql-client" )
        then
            insertLogical(Edge.required($id, "proxy", "mysql-client",
                RuleSource.origin(drools), null, RuleSource.file(drools), RuleSource.line(drools)));
        end
        """);

    Decisions decisions = decide(rules, mesh());

    assertThat(decisions.edges())
        .contains(
            Edge.required(
                API,
                "proxy",
                "mysql-client",
                "rule \"payments: mysql-client starts after proxy\"",
                null,
                "rules/payments.drl",
                6));
    assertThat(decisions.firings())
        .contains(
            new RuleFiring(
                "payments: mysql-client starts after proxy", "rules/payments.drl", List.of(API)));
    assertThat(decisions.violations()).isEmpty();
  }

  @Test
  void customRuleVetoesEveryPolicyInANamespace() throws Exception {
    DroolsPolicyRules rules =
        rules(
            "rules/kube-system.drl",
            HEADER
                + """
        rule "never inject into kube-system"
        when
            WorkloadFact( namespace == "kube-system", $id : id )
            PolicyMatch( workload == $id, $p : policy )
        then
            insertLogical(new Veto($id, $p, "kube-system is off limits"));
        end
        """);
    TestFacts facts =
        mesh()
            .add(deployment("kube-system", "dns", Map.of("mesh", "enabled"), Map.of()), "coredns");

    Decisions decisions = decide(rules, facts);

    assertThat(decisions.vetoes())
        .containsExactly(
            new Veto(
                TestFacts.TARGET + "/Deployment/kube-system/dns",
                "mesh",
                "kube-system is off limits"));
    assertThat(decisions.injections()).containsExactly(new Injection(API, "mesh", "mesh-rev1"));
  }

  @Test
  void customRuleForcesAnInjectionTheSelectorDoesNotMake() throws Exception {
    DroolsPolicyRules rules =
        rules(
            "rules/debug.drl",
            HEADER
                + """
        rule "debug sidecar for workloads with the debug annotation"
        when
            WorkloadFact( annotation("example.com/debug") == "true", $id : id )
        then
            insertLogical(new ForceInjection($id, "debug", "annotation example.com/debug"));
        end
        """);
    TestFacts facts =
        new TestFacts()
            .add(
                deployment("payments", "api", Map.of(), Map.of("example.com/debug", "true")), "app")
            .add(deployment("payments", "web", Map.of(), Map.of()), "web")
            .add(policy("debug", 10, Map.of("debug", "on")), post("debug", "tracer"));

    Decisions decisions = decide(rules, facts);

    assertThat(decisions.matches()).isEmpty();
    assertThat(decisions.injections()).containsExactly(new Injection(API, "debug", "debug-rev1"));
    assertThat(decisions.edges())
        .extracting(Edge::toString)
        .containsExactly("app -> tracer (post sidecar starts after app containers)");
  }

  @Test
  void customRuleRaisesAViolation() throws Exception {
    DroolsPolicyRules rules =
        rules(
            "rules/ready.drl",
            HEADER
                + """
        rule "pre sidecars need a ready probe"
        when
            PolicyContainer( role == Role.PRE, !hasReady, $p : policy, $name : name, $file : file, $line : line )
        then
            insertLogical(Violation.error("no-ready-probe",
                "pre sidecar '" + $name + "' of policy " + $p + " has no ready probe", null, $p, $file, $line));
        end
        """);
    TestFacts facts =
        mesh()
            .add(
                policy("logs", 10, Map.of("logs", "on")),
                TestFacts.withoutReady(sidecar("logs", "agent", Role.PRE, List.of(), List.of())));

    Decisions decisions = decide(rules, facts);

    assertThat(decisions.violations())
        .containsExactly(
            Violation.error(
                "no-ready-probe",
                "pre sidecar 'agent' of policy logs has no ready probe",
                null,
                "logs",
                "policies/logs.yaml",
                10));
  }

  @Test
  void lateFactRuleFromTheReadmeCompiles() throws Exception {
    DroolsPolicyRules rules =
        rules(
            "rules/limits.drl",
            HEADER
                + """
        rule "injected pods keep a memory limit"
        when
            $r : EffectiveResourcesFact( limitsAfterExceed("memory", "64Gi") )
            exists Injection( workload == $r.workload )
        then
            insertLogical(Violation.error("no-memory-limit", "pod has no memory limit (or one above 64Gi) after injection",
                $r.workload(), null, RuleSource.file(drools), RuleSource.line(drools)));
        end
        """);

    assertThat(decide(rules, mesh()).violations()).isEmpty();
  }

  @Test
  void operatorConstraintsWorkPastTheDroolsJitThreshold() throws Exception {
    // Drools 10.2's constraint JIT breaks on str[...] and temporal operators after 20 evaluations.
    DroolsPolicyRules rules =
        rules(
            "rules/prefix.drl",
            HEADER
                + """
        rule "workloads named app- get a veto"
        when
            WorkloadFact( name str[startsWith] "app-", $id : id )
        then
            insertLogical(new Veto($id, "mesh", "prefix"));
        end
        """);

    Decisions decisions;
    try (RuleSession session = rules.open(SyntheticFleet.facts(100, 4, 1))) {
      decisions = session.decisions();
    }

    assertThat(decisions.vetoes()).filteredOn(v -> v.reason().equals("prefix")).hasSize(100);
  }

  @Test
  void builtinRulesKeepTheConstraintJitOn() throws Exception {
    org.kie.internal.builder.KnowledgeBuilder builder =
        org.kie.internal.builder.KnowledgeBuilderFactory.newKnowledgeBuilder();
    for (String file : DroolsPolicyRules.BUILTIN_FILES) {
      builder.add(
          org.kie.internal.io.ResourceFactory.newClassPathResource(
              "dev/convoy/rules/builtin/" + file),
          org.kie.api.io.ResourceType.DRL);
    }

    assertThat(DroolsPolicyRules.Builder.usesOperatorConstraints(builder.getKnowledgePackages()))
        .isFalse();
  }

  @Test
  void syntaxErrorNamesTheFileAndLine() {
    RuleCompileException e =
        catchThrowableOfType(
            RuleCompileException.class,
            () ->
                rules(
                    "rules/broken.drl",
                    HEADER
                        + """
        rule "broken"
        when
            WorkloadFact( $id : id
        then
            insertLogical(new Veto($id, "mesh", "x"));
        end
        """));

    assertThat(e.problems())
        .isNotEmpty()
        .allSatisfy(
            problem -> {
              assertThat(problem.file()).isEqualTo("rules/broken.drl");
              assertThat(problem.line()).isBetween(6, 10);
            });
    assertThat(e.getMessage()).startsWith("rules/broken.drl:");
  }

  @Test
  void everyBrokenFileIsReportedAtOnce() {
    RuleCompileException e =
        catchThrowableOfType(
            RuleCompileException.class,
            () ->
                DroolsPolicyRules.builder()
                    .addRuleFile(
                        "rules/a.drl",
                        (HEADER
                                + """
            rule "unknown type"
            when
                NoSuchFact( )
            then
            end
            """)
                            .getBytes(StandardCharsets.UTF_8))
                    .addRuleFile(
                        "rules/b.drl",
                        (HEADER.replace("payments", "shop")
                                + """
            rule "bad consequence"
            when
                $w : WorkloadFact( )
            then
                $w.noSuchMethod();
            end
            """)
                            .getBytes(StandardCharsets.UTF_8))
                    .build());

    assertThat(e.problems())
        .extracting(RuleCompileException.Problem::file)
        .contains("rules/a.drl", "rules/b.drl");
    assertThat(e.problems())
        .filteredOn(p -> p.file().equals("rules/a.drl"))
        .anySatisfy(
            p -> assertThat(p.toString()).startsWith("rules/a.drl:8: ").contains("NoSuchFact"));
    assertThat(e.problems())
        .filteredOn(p -> p.file().equals("rules/b.drl"))
        .anySatisfy(p -> assertThat(p.line()).isBetween(6, 10));
  }

  @Test
  void throwingConsequenceNamesTheRuleAndTheWorkload() throws Exception {
    DroolsPolicyRules rules =
        rules(
            "rules/throws.drl",
            HEADER
                + """
        rule "explodes on payments"
        when
            $w : WorkloadFact( namespace == "payments" )
        then
            throw new IllegalStateException("boom");
        end
        """);

    assertThatThrownBy(() -> rules.open(mesh().facts()))
        .isInstanceOf(RuleFailedException.class)
        .hasMessage(
            "rule \"explodes on payments\" (rules/throws.drl) failed on workload "
                + API
                + ": java.lang.IllegalStateException: boom")
        .satisfies(
            e -> {
              RuleFailedException failed = (RuleFailedException) e;
              assertThat(failed.rule()).isEqualTo("explodes on payments");
              assertThat(failed.ruleFile()).isEqualTo("rules/throws.drl");
              assertThat(failed.workloads()).containsExactly(API);
              assertThat(failed.getCause()).isInstanceOf(IllegalStateException.class);
            });
  }

  @Test
  void throwingConstraintNamesTheRuleAndTheConstraint() throws Exception {
    DroolsPolicyRules rules =
        rules(
            "rules/npe.drl",
            HEADER
                + """
        rule "reads a missing label"
        when
            WorkloadFact( label("team").length() > 3 )
        then
        end
        """);

    assertThatThrownBy(() -> rules.open(mesh().facts()))
        .isInstanceOf(RuleFailedException.class)
        .hasMessage(
            "rule \"reads a missing label\" (rules/npe.drl) failed: constraint 'label(\"team\").length() > 3'"
                + " threw: [Error: null pointer: label(\"team\").length()]");
  }

  @Test
  void ruleThatKeepsReactivatingItselfHitsTheFireLimit() throws Exception {
    DroolsPolicyRules rules =
        DroolsPolicyRules.builder()
            .addRuleFile(
                "rules/loop.drl",
                (HEADER
                        + """
            declare Tick
                n : int
            end

            rule "start ticking"
            when
                WorkloadFact( )
            then
                insert(new Tick(0));
            end

            rule "tick forever"
            when
                $t : Tick( )
            then
                insert(new Tick($t.getN() + 1));
            end
            """)
                    .getBytes(StandardCharsets.UTF_8))
            .setFireLimit(5_000)
            .build();

    assertThatThrownBy(() -> rules.open(mesh().facts()))
        .isInstanceOf(RuleLoopException.class)
        .hasMessageStartingWith(
            "rules fired 5000 times without finishing (fire limit); rule \"tick forever\" (rules/loop.drl) fired most")
        .satisfies(
            e -> {
              RuleLoopException loop = (RuleLoopException) e;
              assertThat(loop.rule()).isEqualTo("tick forever");
              assertThat(loop.fireLimit()).isEqualTo(5_000);
              assertThat(loop.ruleFirings()).isGreaterThan(4_000);
            });
  }

  @Test
  void sessionThatNeedsExactlyTheFireLimitIsNotALoop() throws Exception {
    DroolsPolicyRules unlimited = DroolsPolicyRules.builder().build();
    int firings;
    try (RuleSession session = unlimited.open(mesh().facts())) {
      firings = session.decisions().firings().size();
    }
    DroolsPolicyRules exact = DroolsPolicyRules.builder().setFireLimit(firings).build();

    try (RuleSession session = exact.open(mesh().facts())) {
      assertThat(session.decisions().injections()).hasSize(1);
    }
  }

  @Test
  void defaultFireLimitGrowsWithTheFacts() {
    assertThat(DroolsPolicyRules.defaultFireLimit(10)).isEqualTo(1_000_000);
    assertThat(DroolsPolicyRules.defaultFireLimit(100_000)).isEqualTo(20_000_000);
  }

  @Test
  void ruleLinesAreFoundForQuotedAndBareRuleNames() {
    Map<String, Integer> lines =
        DroolsPolicyRules.Builder.ruleLines(
            """
        package x;
        rule "quoted \\"name\\""
        when then end
          rule bare
        // rule "commented"
        rule 'single'
        """
                .getBytes(StandardCharsets.UTF_8));

    assertThat(lines)
        .containsExactlyInAnyOrderEntriesOf(Map.of("quoted \"name\"", 2, "bare", 4, "single", 6));
  }
}

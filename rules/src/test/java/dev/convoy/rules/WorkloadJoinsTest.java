package dev.convoy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which rules keep to one workload ({@link WorkloadJoins}): those may run in a session per part of
 * the fleet, anything else keeps the fleet in one session.
 */
class WorkloadJoinsTest {

  @Test
  void theBuiltInRulesKeepToOneWorkload() throws Exception {
    DroolsPolicyRules fromDrl = DroolsPolicyRules.builder().compileBuiltinRulesFromDrl().build();
    assertThat(fromDrl.ruleAcrossWorkloads()).isEmpty();
    assertThat(DroolsPolicyRules.builder().build().joinsWithinWorkloads()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          one workload pattern                 | $w : WorkloadFact( kind == "DaemonSet" )
          bound id                             | $w : WorkloadFact( $id : id ) ContainerFact( workload == $id )
          id of the pattern                    | $w : WorkloadFact( ) ContainerFact( workload == $w.id )
          id() of the pattern                  | $w : WorkloadFact( ) ContainerFact( workload == $w.id() )
          reversed equality                    | ContainerFact( $wid : workload ) Edge( $wid == workload )
          chain through a third pattern        | Candidate( $wid : workload, $p : policy ) Veto( workload == $wid ) Injection( workload == $wid )
          not and exists on the same workload  | $w : WorkloadFact( $id : id ) not Veto( workload == $id ) exists ContainerFact( workload == $id )
          accumulate over the workload         | $w : WorkloadFact( $id : id ) $n : Number() from accumulate( ContainerFact( workload == $id ), count(1) )
          policies and namespaces are shared   | $p : PolicyFact( ) $n : NamespaceFact( ) $w : WorkloadFact( namespace == $n.name ) PolicyContainer( policy == $p.name )
          from an expression reads no memory   | $w : WorkloadFact( ) $s : String( ) from $w.labels().keySet()
          only shared facts                    | PolicyFact( $n : name ) PolicyContainer( policy == $n )
          """)
  void keepsToOneWorkload(String what, String when) throws Exception {
    assertThat(across(when)).as(what).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          two workloads not tied                  | WorkloadFact( namespace == "freeze" ) $w : WorkloadFact( )
          tied by a field other than the id       | $a : WorkloadFact( $ns : namespace ) $b : WorkloadFact( namespace == $ns )
          not on any workload                     | $w : WorkloadFact( ) not Veto( policy == "mesh" )
          accumulate over the fleet               | $w : WorkloadFact( ) $n : Number() from accumulate( WorkloadFact( ), count(1) )
          collect over the fleet                  | $w : WorkloadFact( ) $l : java.util.List() from collect( ContainerFact( name == "proxy" ) )
          tied only in an eval                    | $a : WorkloadFact( ) $b : ContainerFact( ) eval( $a.id().equals($b.workload()) )
          an id that is not a workload's          | $c : ContainerFact( $n : name ) Edge( workload == $n )
          a type of no workload                   | $w : WorkloadFact( ) $o : Object( )
          """)
  void joinsAcrossWorkloads(String what, String when) throws Exception {
    assertThat(across(when)).as(what).contains("rule \"r\" (package rules)");
  }

  @Test
  void aDeclaredTypeOrAGlobalSpansTheFleet() throws Exception {
    String declared =
        """
        package rules;
        import dev.convoy.engine.facts.WorkloadFact;
        declare Counter n : int end
        rule "r" when $w : WorkloadFact( ) $c : Counter( ) then end
        """;
    assertThat(compile(declared).ruleAcrossWorkloads()).contains("rule \"r\" (package rules)");
    String global =
        """
        package rules;
        import dev.convoy.engine.facts.WorkloadFact;
        global java.util.List seen;
        rule "g" when $w : WorkloadFact( ) then seen.add($w); end
        """;
    assertThat(compile(global).ruleAcrossWorkloads()).contains("global seen (package rules)");
  }

  private static Optional<String> across(String when) throws RuleCompileException {
    String drl =
        """
        package rules;
        import dev.convoy.engine.facts.*;
        import dev.convoy.engine.decide.*;
        import dev.convoy.rules.builtin.Candidate;
        rule "r"
        when
            %s
        then
        end
        """
            .formatted(when);
    return compile(drl).ruleAcrossWorkloads();
  }

  private static DroolsPolicyRules compile(String drl) throws RuleCompileException {
    return DroolsPolicyRules.builder()
        .withoutBuiltinRules()
        .addRuleFile("rules/r.drl", drl.getBytes(StandardCharsets.UTF_8))
        .build();
  }
}

package dev.convoy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.facts.PolicyMatch;
import dev.convoy.engine.facts.Veto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written orders of {@code decisions()} are the documented field-by-field orders. */
class ComparatorOrderTest {
  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  @Test
  void sortsLikeTheComparatorChainsOfTheDocumentedOrder() {
    Decisions d = BuiltinRules.decide(SyntheticFleet.facts(300, 12, 3));
    List<Edge> edges = new ArrayList<>(d.edges());
    List<Violation> violations = new ArrayList<>(d.violations());
    // Nulls and ties in every field the fleet leaves non-null or distinct.
    Random random = new Random(7);
    String[] some = {null, "a", "b"};
    for (int i = 0; i < 400; i++) {
      edges.add(
          new Edge(
              "w" + random.nextInt(3),
              "x" + random.nextInt(2),
              "y" + random.nextInt(2),
              Edge.Strength.values()[random.nextInt(2)],
              some[random.nextInt(3)],
              some[random.nextInt(3)],
              some[random.nextInt(3)],
              random.nextInt(3)));
      violations.add(
          new Violation(
              Severity.values()[random.nextInt(Severity.values().length)],
              "c" + random.nextInt(2),
              some[random.nextInt(3)],
              some[random.nextInt(3)],
              some[random.nextInt(3)],
              some[random.nextInt(3)],
              random.nextInt(3)));
    }
    assertSameOrder(
        d.matches(),
        DroolsRuleSession.MATCH_ORDER,
        Comparator.comparing(PolicyMatch::workload)
            .thenComparing(PolicyMatch::policy)
            .thenComparing(PolicyMatch::reason, NULLS_FIRST));
    assertSameOrder(
        d.vetoes(),
        DroolsRuleSession.VETO_ORDER,
        Comparator.comparing(Veto::workload)
            .thenComparing(Veto::policy)
            .thenComparing(Veto::reason, NULLS_FIRST));
    assertSameOrder(
        d.injections(),
        DroolsRuleSession.INJECTION_ORDER,
        Comparator.comparing(Injection::workload)
            .thenComparing(Injection::policy)
            .thenComparing(Injection::revision, NULLS_FIRST));
    assertSameOrder(
        edges,
        DroolsRuleSession.EDGE_ORDER,
        Comparator.comparing(Edge::workload)
            .thenComparing(Edge::first)
            .thenComparing(Edge::then)
            .thenComparing(Edge::strength)
            .thenComparing(Edge::origin, NULLS_FIRST)
            .thenComparing(Edge::policy, NULLS_FIRST)
            .thenComparing(Edge::file, NULLS_FIRST)
            .thenComparingInt(Edge::line));
    assertSameOrder(
        violations,
        DroolsRuleSession.VIOLATION_ORDER,
        Comparator.comparing(Violation::workload, NULLS_FIRST)
            .thenComparing(Violation::code)
            .thenComparing(Violation::policy, NULLS_FIRST)
            .thenComparing(Violation::file, NULLS_FIRST)
            .thenComparingInt(Violation::line)
            .thenComparing(Violation::message, NULLS_FIRST)
            .thenComparing(Violation::severity));
  }

  @Test
  void groupingByWorkloadGivesTheFullOrder() {
    Random random = new Random(11);
    String[] some = {null, "a", "b"};
    List<Violation> violations = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      violations.add(
          new Violation(
              Severity.values()[random.nextInt(Severity.values().length)],
              "c" + random.nextInt(3),
              some[random.nextInt(3)],
              random.nextInt(5) == 0 ? null : "w" + random.nextInt(40),
              some[random.nextInt(3)],
              some[random.nextInt(3)],
              random.nextInt(3)));
      edges.add(
          new Edge(
              "w" + random.nextInt(40),
              "x" + random.nextInt(4),
              "y" + random.nextInt(4),
              Edge.Strength.values()[random.nextInt(2)],
              some[random.nextInt(3)],
              some[random.nextInt(3)],
              some[random.nextInt(3)],
              random.nextInt(3)));
    }
    violations = violations.stream().distinct().collect(java.util.stream.Collectors.toList());
    edges = edges.stream().distinct().collect(java.util.stream.Collectors.toList());
    List<Violation> fullV = new ArrayList<>(violations);
    fullV.sort(DroolsRuleSession.VIOLATION_ORDER);
    assertThat(
            DroolsRuleSession.sortByWorkload(
                violations, Violation::workload, DroolsRuleSession.VIOLATION_IN_WORKLOAD))
        .isEqualTo(fullV);
    List<Edge> fullE = new ArrayList<>(edges);
    fullE.sort(DroolsRuleSession.EDGE_ORDER);
    assertThat(
            DroolsRuleSession.sortByWorkload(
                edges, Edge::workload, DroolsRuleSession.EDGE_IN_WORKLOAD))
        .isEqualTo(fullE);
  }

  private static <T> void assertSameOrder(
      List<T> items, Comparator<T> fast, Comparator<T> reference) {
    assertThat(items).hasSizeGreaterThan(10);
    List<T> a = new ArrayList<>(items);
    Collections.shuffle(a, new Random(1));
    List<T> b = new ArrayList<>(a);
    a.sort(fast);
    b.sort(reference);
    assertThat(a).isEqualTo(b);
    for (int i = 0; i + 1 < a.size(); i++) {
      assertThat(Integer.signum(fast.compare(a.get(i), a.get(i + 1))))
          .isEqualTo(Integer.signum(reference.compare(a.get(i), a.get(i + 1))));
    }
  }
}

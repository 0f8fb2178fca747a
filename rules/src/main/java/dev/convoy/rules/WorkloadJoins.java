package dev.convoy.rules;

import dev.convoy.engine.facts.NamespaceFact;
import dev.convoy.engine.facts.PolicyContainer;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.WorkloadFact;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.base.base.ClassObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.Accumulate;
import org.drools.base.rule.Collect;
import org.drools.base.rule.Declaration;
import org.drools.base.rule.From;
import org.drools.base.rule.RuleConditionElement;
import org.drools.base.rule.accessor.ReadAccessor;
import org.drools.base.rule.constraint.Constraint;
import org.drools.core.base.FieldNameSupplier;
import org.drools.mvel.MVELConstraint;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/**
 * Whether every rule joins the facts of one workload at most. Then a rule session over part of the
 * fleet decides, for those workloads, what one session over the whole fleet would, and the engine
 * may run the fleet in parts with bounded memory.
 *
 * <p>Per rule, every pattern that reads working memory (also inside {@code not}, {@code exists},
 * {@code accumulate} and {@code collect}) must be of a workload's type (a fact with a {@code
 * workload} id, or {@link WorkloadFact} by its {@code id}) or of a type the engine inserts the same
 * into every part (policies, their containers, namespaces). The workload patterns must all be tied
 * together by equal workload ids ({@code workload == $id}, {@code workload == $w.id}). Anything
 * this cannot prove (a declared type, a global, a join in an {@code eval}) counts as a join across
 * workloads, and the run keeps one session.
 */
final class WorkloadJoins {
  /** Types the engine inserts whole into every part. */
  private static final Set<Class<?>> SHARED =
      Set.of(PolicyFact.class, PolicyContainer.class, NamespaceFact.class);

  // "workload == $id", "$id == workload", "workload == $w.id", "workload == $w.id()".
  private static final Pattern KEY_EQUALS =
      Pattern.compile("(?<left>[\\w$.()]+)==(?<right>[\\w$.()]+)");

  private WorkloadJoins() {}

  /**
   * The first rule, by package and name, that may join facts of different workloads; empty when
   * every rule keeps to one workload.
   */
  static Optional<String> firstAcross(Collection<KiePackage> packages) {
    List<String> across = new ArrayList<>();
    for (KiePackage kiePackage : packages) {
      // A global is one object shared by every firing: what it gathers spans the workloads.
      kiePackage
          .getGlobalVariables()
          .forEach(
              g -> across.add("global " + g.getName() + " (package " + kiePackage.getName() + ")"));
      for (Rule rule : kiePackage.getRules()) {
        if (rule instanceof RuleImpl impl && !impl.isQuery() && !withinOneWorkload(impl)) {
          across.add("rule \"" + rule.getName() + "\" (package " + kiePackage.getName() + ")");
        }
      }
    }
    return across.stream().sorted().findFirst();
  }

  /** Whether all of one rule's working-memory patterns stay within one workload. */
  static boolean withinOneWorkload(RuleImpl rule) {
    List<org.drools.base.rule.Pattern> patterns = new ArrayList<>();
    if (!collect(rule.getLhs(), patterns, new IdentityHashMap<>())) {
      return false;
    }
    Map<org.drools.base.rule.Pattern, org.drools.base.rule.Pattern> parent =
        new IdentityHashMap<>();
    for (org.drools.base.rule.Pattern p : patterns) {
      Class<?> type = typeOf(p);
      if (type == null) {
        return false;
      }
      if (SHARED.contains(type)) {
        continue;
      }
      if (key(type) == null) {
        return false;
      }
      parent.put(p, p);
    }
    for (org.drools.base.rule.Pattern p : parent.keySet()) {
      String key = key(typeOf(p));
      for (Constraint constraint : p.getConstraints()) {
        org.drools.base.rule.Pattern other = tiedTo(constraint, key, parent.keySet());
        if (other != null) {
          parent.put(root(parent, other), root(parent, p));
        }
      }
    }
    long roots = parent.keySet().stream().filter(p -> root(parent, p) == p).count();
    return roots <= 1;
  }

  /**
   * Adds every pattern that reads working memory; false for an element this cannot follow (an entry
   * point, say).
   */
  private static boolean collect(
      RuleConditionElement element,
      List<org.drools.base.rule.Pattern> out,
      Map<RuleConditionElement, Boolean> seen) {
    if (element == null || seen.put(element, Boolean.TRUE) != null) {
      return true;
    }
    if (element instanceof org.drools.base.rule.Pattern pattern) {
      RuleConditionElement source = pattern.getSource();
      if (source == null) {
        out.add(pattern);
      } else if (source instanceof Accumulate || source instanceof Collect) {
        for (RuleConditionElement nested : source.getNestedElements()) {
          if (!collect(nested, out, seen)) {
            return false;
          }
        }
      } else if (!(source instanceof From)) {
        return false;
      }
      return true;
    }
    for (RuleConditionElement nested : element.getNestedElements()) {
      if (nested != element && !collect(nested, out, seen)) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> typeOf(org.drools.base.rule.Pattern pattern) {
    return pattern.getObjectType() instanceof ClassObjectType type ? type.getClassType() : null;
  }

  /** The property that names a fact's workload: {@code id} of a WorkloadFact, else workload. */
  static String key(Class<?> type) {
    if (type == WorkloadFact.class) {
      return "id";
    }
    try {
      Method workload = type.getMethod("workload");
      return workload.getReturnType() == String.class ? "workload" : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /**
   * The workload pattern that {@code constraint} (on a pattern whose workload property is {@code
   * key}) requires the same workload as, or null.
   */
  private static org.drools.base.rule.Pattern tiedTo(
      Constraint constraint, String key, Set<org.drools.base.rule.Pattern> workloadPatterns) {
    if (!(constraint instanceof MVELConstraint mvel)
        || constraint.getType() != Constraint.ConstraintType.BETA) {
      return null;
    }
    Matcher m = KEY_EQUALS.matcher(mvel.getExpression().replaceAll("\\s+", ""));
    if (!m.matches()) {
      return null;
    }
    String other =
        key.equals(m.group("left"))
            ? m.group("right")
            : key.equals(m.group("right")) ? m.group("left") : null;
    if (other == null) {
      return null;
    }
    for (Declaration d : constraint.getRequiredDeclarations()) {
      org.drools.base.rule.Pattern declared = d.getPattern();
      if (declared == null || !workloadPatterns.contains(declared)) {
        continue;
      }
      String declaredKey = key(typeOf(declared));
      if (d.isPatternDeclaration()) {
        String id = d.getIdentifier();
        if (other.equals(id + "." + declaredKey) || other.equals(id + "." + declaredKey + "()")) {
          return declared;
        }
      } else if (other.equals(d.getIdentifier()) && field(d.getExtractor()).equals(declaredKey)) {
        return declared;
      }
    }
    return null;
  }

  private static String field(ReadAccessor accessor) {
    return accessor instanceof FieldNameSupplier reader ? reader.getFieldName() : "";
  }

  private static org.drools.base.rule.Pattern root(
      Map<org.drools.base.rule.Pattern, org.drools.base.rule.Pattern> parent,
      org.drools.base.rule.Pattern p) {
    while (parent.get(p) != p) {
      p = parent.get(p);
    }
    return p;
  }
}

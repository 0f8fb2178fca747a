package dev.convoy.rules;

import org.drools.base.definitions.rule.impl.RuleImpl;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.rule.RuleContext;

/**
 * Where the rule that is firing is declared, so that a custom rule can give the facts it inserts a
 * file, a line and an origin without hard-coding them:
 *
 * <pre>{@code
 * import dev.convoy.rules.RuleSource;
 * ...
 * then
 *     insertLogical(Edge.required($id, "proxy", "mysql-client",
 *         RuleSource.origin(drools), null, RuleSource.file(drools), RuleSource.line(drools)));
 * }</pre>
 */
public final class RuleSource {
  /** Metadata key under which {@link DroolsPolicyRules} stores the line of each rule's header. */
  static final String LINE_KEY = "convoy.line";

  private RuleSource() {}

  /** The DRL file of the firing rule as given to the builder, e.g. {@code rules/payments.drl}. */
  public static String file(RuleContext drools) {
    return file(drools.getRule());
  }

  /** The line of the firing rule's {@code rule "..."} header, or 0 when unknown. */
  public static int line(RuleContext drools) {
    return line(drools.getRule());
  }

  /** {@code rule "NAME"}, the origin to give an {@code Edge} a custom rule inserts. */
  public static String origin(RuleContext drools) {
    return "rule \"" + drools.getRule().getName() + "\"";
  }

  static String file(Rule rule) {
    if (rule instanceof RuleImpl impl
        && impl.getResource() != null
        && impl.getResource().getSourcePath() != null) {
      return impl.getResource().getSourcePath();
    }
    return rule.getPackageName();
  }

  static int line(Rule rule) {
    return rule.getMetaData().get(LINE_KEY) instanceof Integer line ? line : 0;
  }
}

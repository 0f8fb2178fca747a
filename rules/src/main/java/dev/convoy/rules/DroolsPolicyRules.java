package dev.convoy.rules;

import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.PolicyRules;
import dev.convoy.engine.decide.RuleSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.RuleConditionElement;
import org.drools.base.rule.constraint.Constraint;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.drools.mvel.MVELConstraint;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.EqualityBehaviorOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.CompositeKnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.conf.ConstraintJittingThresholdOption;
import org.kie.internal.io.ResourceFactory;

/**
 * {@link PolicyRules} on Drools: the built-in DRL plus a config repo's own {@code rules/*.drl},
 * compiled into one KieBase once per run.
 *
 * <pre>{@code
 * PolicyRules rules = DroolsPolicyRules.builder()
 *     .addRuleFile("rules/payments.drl", bytes)   // path as shown in errors and `convoy explain`
 *     .build();                                   // throws RuleCompileException
 * try (RuleSession session = rules.open(facts)) {
 *   Decisions decisions = session.decisions();
 * }
 * }</pre>
 *
 * <p>The KieBase is built straight from a {@link KnowledgeBuilder}, without kmodule.xml or a
 * KieContainer: there is no kjar to resolve, and the config repo's files keep their own paths in
 * error messages. Working memory uses equality, not identity: facts are immutable records, so two
 * equal facts are one fact, and a rule inserting an equal decision twice adds nothing.
 */
public final class DroolsPolicyRules implements PolicyRules {

  /** The built-in rule files, in the order they are compiled; paths as shown to users. */
  static final List<String> BUILTIN_FILES =
      List.of(
          "match.drl",
          "exclude.drl",
          "priority.drl",
          "inject.drl",
          "edges.drl",
          "violations.drl",
          "upgrade.drl");

  /** The package of the built-in DRL and of its precompiled model. */
  static final String BUILTIN_PACKAGE = "dev.convoy.rules.builtin";

  /** Prefix of the built-in files' paths in firings and errors, e.g. {@code builtin:edges.drl}. */
  public static final String BUILTIN_PREFIX = "builtin:";

  /** Smallest default fire limit; see {@link Builder#setFireLimit(long)}. */
  public static final long MIN_DEFAULT_FIRE_LIMIT = 1_000_000;

  /** Default fire limit per fact, above {@link #MIN_DEFAULT_FIRE_LIMIT}. */
  public static final long DEFAULT_FIRINGS_PER_FACT = 200;

  private static final Pattern RULE_HEADER =
      Pattern.compile("\\s*rule\\s+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|([^\\s\"']+))");

  private static final Pattern PARSER_POSITION =
      Pattern.compile("^\\[ERR \\d+\\] Line \\d+:\\d+\\s*");

  private static final String NULL_PACKAGE = "Parser returned a null Package";

  private final KieBase kieBase;
  private final long fireLimit;
  private final boolean recordFirings;
  private final java.time.Duration timeout;
  private final java.util.Optional<String> acrossWorkloads;

  /** The default wall-clock limit of a rule session; see {@link Builder#setTimeout}. */
  public static final java.time.Duration DEFAULT_TIMEOUT = java.time.Duration.ofSeconds(60);

  private DroolsPolicyRules(
      KieBase kieBase,
      long fireLimit,
      boolean recordFirings,
      java.time.Duration timeout,
      java.util.Optional<String> acrossWorkloads) {
    this.kieBase = kieBase;
    this.fireLimit = fireLimit;
    this.recordFirings = recordFirings;
    this.timeout = timeout;
    this.acrossWorkloads = acrossWorkloads;
  }

  /**
   * The rule whose consequence is running right now in any open session of this process, e.g.
   * {@code rule "sleeps" (rules/slow.drl)}; empty between firings. For a caller that must explain
   * why the process is ending (a rule that calls {@code System.exit}).
   */
  public static java.util.Optional<String> ruleRunningNow() {
    return FiringRecorder.runningNow();
  }

  /** The knowledge base, for tests. */
  KieBase kieBase() {
    return kieBase;
  }

  /** A builder that loads the built-in rules; add the config repo's files to it. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc} The session has the timeout and fire limit of these rules to itself: a run over
   * several parts of the fleet gives each part's session the same limits.
   */
  @Override
  public RuleSession open(Facts facts) {
    long limit = fireLimit > 0 ? fireLimit : defaultFireLimit(facts.size());
    return DroolsRuleSession.open(kieBase, facts, limit, recordFirings, timeout);
  }

  /**
   * True unless some custom rule may join facts of different workloads (see {@link
   * #ruleAcrossWorkloads()}); the built-in rules never do.
   */
  @Override
  public boolean joinsWithinWorkloads() {
    return acrossWorkloads.isEmpty();
  }

  /**
   * The first rule (or global) that may join facts of different workloads, e.g. {@code rule "count
   * the fleet" (package rules)}: while there is one, a run keeps the whole fleet in one session.
   */
  public java.util.Optional<String> ruleAcrossWorkloads() {
    return acrossWorkloads;
  }

  /** The limit {@link #open} uses unless one was set: 200 per fact, at least 1,000,000. */
  public static long defaultFireLimit(int factCount) {
    return Math.max(MIN_DEFAULT_FIRE_LIMIT, DEFAULT_FIRINGS_PER_FACT * factCount);
  }

  /** Rules being compiled by {@link Builder#buildInBackground()}. */
  public static final class Compiling {
    private final java.util.concurrent.Future<DroolsPolicyRules> task;

    private Compiling(java.util.concurrent.Future<DroolsPolicyRules> task) {
      this.task = task;
    }

    /**
     * Waits for the rules; throws what {@link Builder#build()} would have thrown.
     *
     * @throws RuleCompileException listing every error with its file and line
     */
    public DroolsPolicyRules get() throws RuleCompileException {
      try {
        return task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the rules compiled", e);
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuleCompileException compile) {
          throw compile;
        }
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  /** Collects DRL files and options, then compiles them once with {@link #build()}. */
  public static final class Builder {
    private final Map<String, byte[]> ruleFiles = new LinkedHashMap<>();
    private boolean builtin = true;
    private boolean builtinFromDrl;
    private long fireLimit;
    private boolean recordFirings = true;
    private java.time.Duration timeout = DEFAULT_TIMEOUT;

    private Builder() {}

    /**
     * Adds one of the config repo's DRL files.
     *
     * @param path the file's path relative to the config repo; errors and firings name it
     * @param drl the file's content, UTF-8
     */
    public Builder addRuleFile(String path, byte[] drl) {
      if (ruleFiles.putIfAbsent(path, drl.clone()) != null) {
        throw new IllegalArgumentException("rule file added twice: " + path);
      }
      return this;
    }

    /**
     * Stops a session after this many rule firings per {@code fire} with a {@link
     * RuleLoopException}. By default 200 per inserted fact, at least 1,000,000: the built-in rules
     * fire a few dozen times per workload, so only a runaway rule gets near it.
     */
    public Builder setFireLimit(long fireLimit) {
      if (fireLimit <= 0) {
        throw new IllegalArgumentException("fire limit must be positive: " + fireLimit);
      }
      this.fireLimit = fireLimit;
      return this;
    }

    /**
     * Ends a session that has not finished within this wall-clock time (inserting the facts and
     * firing, the late facts included) with a {@link RuleTimeoutException} naming the rule that was
     * running: the fire limit counts firings only, so a rule that sleeps, waits or spins inside one
     * firing would otherwise hang the run for ever. Default {@link #DEFAULT_TIMEOUT}.
     */
    public Builder setTimeout(java.time.Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("rule timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Whether sessions record every {@link dev.convoy.engine.decide.RuleFiring} (default true;
     * {@code convoy explain} needs them, a large reconcile run may not).
     */
    public Builder setRecordFirings(boolean recordFirings) {
      this.recordFirings = recordFirings;
      return this;
    }

    /**
     * Compiles the built-in rules from their DRL instead of loading their precompiled model: the
     * reference the precompiled model is tested against, and the path for measuring both.
     */
    Builder compileBuiltinRulesFromDrl() {
      this.builtinFromDrl = true;
      return this;
    }

    /** Leaves out the built-in rules; for tests of custom rules in isolation. */
    Builder withoutBuiltinRules() {
      this.builtin = false;
      return this;
    }

    /**
     * Compiles the built-in rules and every added file into one KieBase.
     *
     * <p>The built-in rules come precompiled (their executable model, generated at build time by
     * {@code BuiltinModelGenerator}); only the added files are compiled from DRL here. Both end up
     * in one KieBase, so they run in one session over the same facts.
     *
     * @throws RuleCompileException listing every error with its file and line
     * @throws IllegalStateException when the jar's built-in model is missing or stale; never falls
     *     back to compiling the built-in DRL, which would hide a broken build behind a slower start
     */
    public DroolsPolicyRules build() throws RuleCompileException {
      Map<String, Map<String, Integer>> ruleLines = new LinkedHashMap<>();
      Map<String, byte[]> builtinDrl = new LinkedHashMap<>();
      if (builtin) {
        for (String file : BUILTIN_FILES) {
          byte[] drl = readBuiltin(file);
          builtinDrl.put(BUILTIN_PREFIX + file, drl);
          ruleLines.put(BUILTIN_PREFIX + file, ruleLines(drl));
        }
      }
      boolean compileBuiltins = builtin && builtinFromDrl;
      Collection<KiePackage> compiled = List.of();
      if (compileBuiltins || !ruleFiles.isEmpty()) {
        KnowledgeBuilder knowledgeBuilder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        // One batch, so a custom file may use types declared in another file, in any order.
        CompositeKnowledgeBuilder batch = knowledgeBuilder.batch();
        if (compileBuiltins) {
          builtinDrl.forEach((path, drl) -> batch.add(resource(path, drl), ResourceType.DRL));
        }
        ruleFiles.forEach((path, drl) -> batch.add(resource(path, drl), ResourceType.DRL));
        batch.build();
        if (knowledgeBuilder.hasErrors()) {
          throw new RuleCompileException(problems(knowledgeBuilder));
        }
        compiled = knowledgeBuilder.getKnowledgePackages();
      }
      Map<String, Map<String, Integer>> builtinLines = new LinkedHashMap<>(ruleLines);
      ruleFiles.forEach((path, drl) -> ruleLines.put(path, ruleLines(drl)));
      KieBaseConfiguration configuration = KieServices.Factory.get().newKieBaseConfiguration();
      configuration.setOption(EqualityBehaviorOption.EQUALITY);
      // Drools 10.2's MVEL constraint JIT (after 20 evaluations) emits, for a constraint with an
      // operator such as str[startsWith] or a temporal one, a call to an EvaluatorHelper
      // signature that drools-mvel 10.2.0 no longer has (NoSuchMethodError at fleet scale). Turn
      // it off only then: for every other constraint it is correct and cuts fire time by a third.
      // The precompiled built-in rules have no MVEL constraints, so only DRL compiled here counts.
      if (usesOperatorConstraints(compiled)) {
        configuration.setOption(ConstraintJittingThresholdOption.get(-1));
      }
      InternalKnowledgeBase kieBase;
      if (builtin && !builtinFromDrl) {
        kieBase = BuiltinModel.load(builtinDrl).newKieBase(configuration, builtinLines);
      } else {
        kieBase = KnowledgeBaseFactory.newKnowledgeBase(configuration);
      }
      kieBase.addPackages(compiled);
      // Drools keeps no line on a compiled rule, and the executable model no file either: name
      // both from the DRL text, for RuleSource and `convoy explain`.
      for (KiePackage kiePackage : kieBase.getKiePackages()) {
        for (Rule rule : kiePackage.getRules()) {
          if (!(rule instanceof RuleImpl impl)) {
            continue;
          }
          String file = RuleSource.file(rule);
          if (!ruleLines.containsKey(file) && BUILTIN_PACKAGE.equals(rule.getPackageName())) {
            file = BuiltinModel.fileOf(rule.getName(), ruleLines);
            if (file != null) {
              Resource source = ResourceFactory.newByteArrayResource(builtinDrl.get(file));
              source.setSourcePath(file);
              impl.setResource(source);
            }
          }
          Integer line = ruleLines.getOrDefault(file, Map.of()).get(rule.getName());
          if (line != null) {
            impl.addMetaAttribute(RuleSource.LINE_KEY, line);
          }
        }
      }
      return new DroolsPolicyRules(
          kieBase, fireLimit, recordFirings, timeout, WorkloadJoins.firstAcross(compiled));
    }

    /**
     * Starts {@link #build()} on a new thread and returns at once, so that a caller can load its
     * facts while the rules compile (the config repo's DRL takes most of a second to compile in a
     * fresh JVM, and loading a small repo about half that). The builder must not change after.
     */
    public Compiling buildInBackground() {
      java.util.concurrent.FutureTask<DroolsPolicyRules> task =
          new java.util.concurrent.FutureTask<>(this::build);
      Thread thread = new Thread(task, "convoy-rules-compile");
      // A run that fails to load its facts exits without waiting for the rules.
      thread.setDaemon(true);
      thread.start();
      return new Compiling(task);
    }

    /**
     * Whether any rule has a constraint the Drools 10.2 JIT cannot compile: an MVEL constraint with
     * operators (EvaluatorWrapper), or a constraint of a kind not known to be safe.
     */
    static boolean usesOperatorConstraints(Collection<KiePackage> packages) {
      for (KiePackage kiePackage : packages) {
        for (Rule rule : kiePackage.getRules()) {
          if (!(rule instanceof RuleImpl impl) || usesOperatorConstraints(impl.getLhs())) {
            return true;
          }
        }
      }
      return false;
    }

    private static boolean usesOperatorConstraints(RuleConditionElement element) {
      if (element == null) {
        return false;
      }
      if (element instanceof org.drools.base.rule.Pattern pattern) {
        for (Constraint constraint : pattern.getConstraints()) {
          if (!(constraint instanceof MVELConstraint mvel) || mvel.getOperators().length > 0) {
            return true;
          }
        }
        if (pattern.getSource() != null && usesOperatorConstraints(pattern.getSource())) {
          return true;
        }
      }
      for (RuleConditionElement nested : element.getNestedElements()) {
        if (nested != element && usesOperatorConstraints(nested)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The line of each {@code rule "name"} header. Drools keeps no line on a compiled rule; a scan
     * of the text is enough because a header starts its line (comments rarely do so).
     */
    static Map<String, Integer> ruleLines(byte[] drl) {
      Map<String, Integer> lines = new HashMap<>();
      String[] text = new String(drl, StandardCharsets.UTF_8).split("\\R", -1);
      for (int i = 0; i < text.length; i++) {
        Matcher header = RULE_HEADER.matcher(text[i]);
        if (header.lookingAt()) {
          String name =
              header.group(1) != null
                  ? header.group(1).replace("\\\"", "\"")
                  : header.group(2) != null ? header.group(2) : header.group(3);
          lines.putIfAbsent(name, i + 1);
        }
      }
      return lines;
    }

    private static Resource resource(String path, byte[] drl) {
      Resource resource = ResourceFactory.newByteArrayResource(drl);
      resource.setSourcePath(path);
      resource.setResourceType(ResourceType.DRL);
      return resource;
    }

    private static byte[] readBuiltin(String file) {
      String name = "builtin/" + file;
      try (InputStream in = DroolsPolicyRules.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("built-in rule file missing from the jar: " + name);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static List<RuleCompileException.Problem> problems(KnowledgeBuilder knowledgeBuilder) {
      List<RuleCompileException.Problem> problems = new ArrayList<>();
      for (KnowledgeBuilderResult error : knowledgeBuilder.getErrors()) {
        String file =
            error.getResource() != null && error.getResource().getSourcePath() != null
                ? error.getResource().getSourcePath()
                : "(unknown file)";
        int[] lines = error.getLines();
        int line = lines != null && lines.length > 0 ? Math.max(lines[0], 0) : 0;
        String message =
            error.getMessage() == null
                ? ""
                : error.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        // The parser repeats the position the problem already carries: "[ERR 102] Line 9:0 ...".
        message = PARSER_POSITION.matcher(message).replaceFirst("");
        problems.add(new RuleCompileException.Problem(file, line, message));
      }
      // "Parser returned a null Package" follows every syntax error and says nothing more.
      problems.removeIf(
          p ->
              p.message().equals(NULL_PACKAGE)
                  && problems.stream()
                      .anyMatch(
                          other ->
                              other.file().equals(p.file())
                                  && !other.message().equals(NULL_PACKAGE)));
      problems.sort(
          Comparator.comparing(RuleCompileException.Problem::file)
              .thenComparingInt(RuleCompileException.Problem::line)
              .thenComparing(RuleCompileException.Problem::message));
      return problems.stream().distinct().toList();
    }
  }
}

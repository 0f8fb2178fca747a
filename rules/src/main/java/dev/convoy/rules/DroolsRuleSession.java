package dev.convoy.rules;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.decide.RuleSession;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.facts.PolicyMatch;
import dev.convoy.engine.facts.UpgradeCandidate;
import dev.convoy.engine.facts.UpgradeRank;
import dev.convoy.engine.facts.Veto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.Match;

/** One KieSession over one run's facts; see {@link DroolsPolicyRules}. */
final class DroolsRuleSession implements RuleSession {

  // The orders of decisions() (rules/README.md). Written out field by field rather than as
  // Comparator.comparing(...).thenComparing(...) chains: sorting 10,000 workloads' edges was a
  // quarter of the rules phase with the chains (a megamorphic lambda call per field per
  // comparison, which the C1-only launcher never inlines); the same order costs a fraction now.
  // ComparatorOrderTest checks they give the same order, and so does decisions()' grouping.

  // Each order is "workload, then the rest"; decisions() groups by workload and sorts each
  // group by the rest (*_IN_WORKLOAD), which gives the same list without comparing long
  // workload ids (equal ones in full) in every one of n log n comparisons.

  static final Comparator<PolicyMatch> MATCH_IN_WORKLOAD =
      (a, b) -> {
        int c = a.policy().compareTo(b.policy());
        return c != 0 ? c : nullsFirst(a.reason(), b.reason());
      };

  static final Comparator<PolicyMatch> MATCH_ORDER =
      byWorkload(PolicyMatch::workload, MATCH_IN_WORKLOAD);

  static final Comparator<Veto> VETO_IN_WORKLOAD =
      (a, b) -> {
        int c = a.policy().compareTo(b.policy());
        return c != 0 ? c : nullsFirst(a.reason(), b.reason());
      };

  static final Comparator<Veto> VETO_ORDER = byWorkload(Veto::workload, VETO_IN_WORKLOAD);

  static final Comparator<Injection> INJECTION_IN_WORKLOAD =
      (a, b) -> {
        int c = a.policy().compareTo(b.policy());
        return c != 0 ? c : nullsFirst(a.revision(), b.revision());
      };

  static final Comparator<Injection> INJECTION_ORDER =
      byWorkload(Injection::workload, INJECTION_IN_WORKLOAD);

  static final Comparator<Edge> EDGE_IN_WORKLOAD = DroolsRuleSession::compareEdgesInWorkload;

  static final Comparator<Edge> EDGE_ORDER = byWorkload(Edge::workload, EDGE_IN_WORKLOAD);

  static final Comparator<Violation> VIOLATION_IN_WORKLOAD =
      DroolsRuleSession::compareViolationsInWorkload;

  static final Comparator<Violation> VIOLATION_ORDER =
      byWorkload(Violation::workload, VIOLATION_IN_WORKLOAD);

  // Upgrade facts are few (only while a rollout is in progress): plain comparator chains do.
  static final Comparator<UpgradeCandidate> CANDIDATE_IN_WORKLOAD =
      Comparator.comparing(UpgradeCandidate::policy)
          .thenComparing(UpgradeCandidate::fromRevision)
          .thenComparing(UpgradeCandidate::toRevision);

  static final Comparator<UpgradeRank> RANK_IN_WORKLOAD =
      Comparator.comparing(UpgradeRank::policy)
          .thenComparingInt(UpgradeRank::rank)
          .thenComparing(UpgradeRank::reason, Comparator.nullsFirst(Comparator.naturalOrder()));

  static final Comparator<WaveDecision> WAVE_IN_WORKLOAD =
      Comparator.comparing(WaveDecision::policy).thenComparing(WaveDecision::fromRevision);

  /** Workload id first (a missing one sorts first), then the in-workload order. */
  static <T> Comparator<T> byWorkload(
      java.util.function.Function<T, String> workload, Comparator<T> inWorkload) {
    return (a, b) -> {
      int c = nullsFirst(workload.apply(a), workload.apply(b));
      return c != 0 ? c : inWorkload.compare(a, b);
    };
  }

  private static final Pattern CONSTRAINT_ERROR =
      Pattern.compile(
          "Error evaluating constraint '(.*)' in \\[Rule \"(.*)\" in (.*?)\\]", Pattern.DOTALL);

  private final KieSession session;
  private final long fireLimit;
  private final FiringRecorder recorder;
  private final Duration timeout;
  private final long deadline;
  // Every call into the session runs on this thread, so the caller can stop waiting when the
  // session's wall-clock limit passes even while a rule sleeps or spins inside one firing.
  private final ExecutorService worker;
  private final AtomicReference<Thread> workerThread = new AtomicReference<>();
  private volatile boolean abandoned;

  private DroolsRuleSession(
      KieSession session, long fireLimit, FiringRecorder recorder, Duration timeout) {
    this.session = session;
    this.fireLimit = fireLimit;
    this.recorder = recorder;
    this.timeout = timeout;
    this.deadline = System.nanoTime() + timeout.toNanos();
    this.worker =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "convoy-rules");
              // A rule spinning past the timeout must not keep the process alive.
              thread.setDaemon(true);
              workerThread.set(thread);
              return thread;
            });
  }

  static DroolsRuleSession open(
      KieBase kieBase, Facts facts, long fireLimit, boolean recordFirings, Duration timeout) {
    KieSession session = kieBase.newKieSession();
    FiringRecorder recorder = new FiringRecorder(recordFirings);
    session.addEventListener(recorder);
    recorder.open();
    DroolsRuleSession ruleSession = new DroolsRuleSession(session, fireLimit, recorder, timeout);
    try {
      ruleSession.run(
          () -> {
            ruleSession.insertAll(facts.workloads());
            ruleSession.insertAll(facts.namespaces());
            ruleSession.insertAll(facts.policies());
            ruleSession.insertAll(facts.policyContainers());
            ruleSession.insertAll(facts.containers());
            ruleSession.insertAll(facts.deployedRevisions());
            ruleSession.fire();
            return null;
          });
      return ruleSession;
    } catch (RuntimeException e) {
      ruleSession.close();
      throw e;
    }
  }

  /** Runs {@code work} on the session's thread, waiting until the session's deadline at most. */
  private <T> T run(Callable<T> work) {
    return run(work, deadline);
  }

  private <T> T run(Callable<T> work, long until) {
    if (abandoned) {
      throw new IllegalStateException("the rule session timed out and cannot be used");
    }
    Future<T> result = worker.submit(work);
    try {
      return result.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw timedOut();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon();
      throw new RuleExecutionException("interrupted while the rules ran", null, null, List.of(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new RuleExecutionException("a rule failed: " + cause, null, null, List.of(), cause);
    }
  }

  /** Gives up on the session: halts it and interrupts its thread (a sleeping rule wakes up). */
  private void abandon() {
    abandoned = true;
    session.halt();
    worker.shutdownNow();
  }

  private RuleTimeoutException timedOut() {
    Match match = recorder.running();
    Thread thread = workerThread.get();
    StackTraceElement[] stack = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
    abandon();
    String limit = timeout.toSeconds() + "s";
    String hint =
        ": does it sleep, wait or loop? If the rules are only slow, raise --rule-timeout (or"
            + " ruleTimeout in convoy.yaml)";
    if (match != null) {
      String rule = match.getRule().getName();
      String file = FiringRecorder.ruleFile(match.getRule());
      List<String> workloads = FiringRecorder.workloads(match);
      return new RuleTimeoutException(
          "rules did not finish within "
              + limit
              + " (rule timeout): rule \""
              + rule
              + "\" ("
              + file
              + ") was still running"
              + (workloads.isEmpty() ? "" : " on workload " + String.join(", ", workloads))
              + hint,
          rule,
          file,
          workloads,
          timeout);
    }
    String where = "";
    for (StackTraceElement frame : stack) {
      if (!frameworkFrame(frame.getClassName())) {
        where = ", in " + frame.getClassName() + "." + frame.getMethodName();
        break;
      }
    }
    return new RuleTimeoutException(
        "rules did not finish within "
            + limit
            + " (rule timeout) while evaluating rule conditions"
            + where
            + hint,
        null,
        null,
        List.of(),
        timeout);
  }

  private static boolean frameworkFrame(String type) {
    for (String prefix :
        List.of("java.", "jdk.", "sun.", "org.drools.", "org.kie.", "org.mvel2.", "dev.convoy.")) {
      if (type.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Decisions decisions() {
    return run(this::collectDecisions);
  }

  private Decisions collectDecisions() {
    List<PolicyMatch> matches = new ArrayList<>();
    List<Veto> vetoes = new ArrayList<>();
    List<Injection> injections = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    List<UpgradeCandidate> candidates = new ArrayList<>();
    List<UpgradeRank> ranks = new ArrayList<>();
    List<WaveDecision> waves = new ArrayList<>();
    for (Object fact : session.getObjects()) {
      if (fact instanceof PolicyMatch m) {
        matches.add(m);
      } else if (fact instanceof Veto v) {
        vetoes.add(v);
      } else if (fact instanceof Injection i) {
        injections.add(i);
      } else if (fact instanceof Edge e) {
        edges.add(e);
      } else if (fact instanceof Violation v) {
        violations.add(v);
      } else if (fact instanceof UpgradeCandidate c) {
        candidates.add(c);
      } else if (fact instanceof UpgradeRank r) {
        ranks.add(r);
      } else if (fact instanceof WaveDecision w) {
        waves.add(w);
      }
    }
    // Working memory has no order worth keeping: sort so output never depends on firing order.
    return new Decisions(
        sortByWorkload(matches, PolicyMatch::workload, MATCH_IN_WORKLOAD),
        sortByWorkload(vetoes, Veto::workload, VETO_IN_WORKLOAD),
        sortByWorkload(injections, Injection::workload, INJECTION_IN_WORKLOAD),
        sortByWorkload(edges, Edge::workload, EDGE_IN_WORKLOAD),
        sortByWorkload(violations, Violation::workload, VIOLATION_IN_WORKLOAD),
        sortByWorkload(candidates, UpgradeCandidate::workload, CANDIDATE_IN_WORKLOAD),
        sortByWorkload(ranks, UpgradeRank::workload, RANK_IN_WORKLOAD),
        sortByWorkload(waves, WaveDecision::workload, WAVE_IN_WORKLOAD),
        recorder.firings());
  }

  /**
   * The items in workload order (null first), each workload's items in {@code inWorkload} order:
   * the same list as sorting by workload, then {@code inWorkload}.
   */
  static <T> List<T> sortByWorkload(
      List<T> items, Function<T, String> workload, Comparator<T> inWorkload) {
    Map<String, List<T>> groups = new HashMap<>();
    List<T> none = new ArrayList<>();
    for (T item : items) {
      String id = workload.apply(item);
      if (id == null) {
        none.add(item);
      } else {
        groups.computeIfAbsent(id, k -> new ArrayList<>(4)).add(item);
      }
    }
    List<String> ids = new ArrayList<>(groups.keySet());
    ids.sort(null);
    List<T> sorted = new ArrayList<>(items.size());
    none.sort(inWorkload);
    sorted.addAll(none);
    for (String id : ids) {
      List<T> group = groups.get(id);
      group.sort(inWorkload);
      sorted.addAll(group);
    }
    return sorted;
  }

  /** Every fact of a type in working memory, unsorted; for tests of intermediate facts. */
  <T> List<T> facts(Class<T> type) {
    return run(
        () -> {
          List<T> facts = new ArrayList<>();
          for (Object fact : session.getObjects(type::isInstance)) {
            facts.add(type.cast(fact));
          }
          return facts;
        });
  }

  private static int compareEdgesInWorkload(Edge a, Edge b) {
    int c = a.first().compareTo(b.first());
    if (c != 0) {
      return c;
    }
    c = a.then().compareTo(b.then());
    if (c != 0) {
      return c;
    }
    c = a.strength().compareTo(b.strength());
    if (c != 0) {
      return c;
    }
    c = nullsFirst(a.origin(), b.origin());
    if (c != 0) {
      return c;
    }
    c = nullsFirst(a.policy(), b.policy());
    if (c != 0) {
      return c;
    }
    c = nullsFirst(a.file(), b.file());
    return c != 0 ? c : Integer.compare(a.line(), b.line());
  }

  private static int compareViolationsInWorkload(Violation a, Violation b) {
    int c = a.code().compareTo(b.code());
    if (c != 0) {
      return c;
    }
    c = nullsFirst(a.policy(), b.policy());
    if (c != 0) {
      return c;
    }
    c = nullsFirst(a.file(), b.file());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.line(), b.line());
    if (c != 0) {
      return c;
    }
    c = nullsFirst(a.message(), b.message());
    return c != 0 ? c : a.severity().compareTo(b.severity());
  }

  /** {@code Comparator.nullsFirst(Comparator.naturalOrder())} for strings, without the calls. */
  private static int nullsFirst(String a, String b) {
    if (a == null) {
      return b == null ? 0 : -1;
    }
    return b == null ? 1 : a.compareTo(b);
  }

  @Override
  public Decisions insertAndFire(Collection<?> lateFacts) {
    return run(
        () -> {
          insertAll(lateFacts);
          fire();
          return collectDecisions();
        });
  }

  @Override
  public void close() {
    recorder.close();
    if (abandoned) {
      return; // its thread may still be inside a rule: leave the session to it
    }
    try {
      // Disposing runs no rule: it gets a few seconds of its own, past the session's deadline.
      run(
          () -> {
            session.dispose();
            return null;
          },
          System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    } finally {
      worker.shutdown();
    }
  }

  private void insertAll(Collection<?> facts) {
    try {
      for (Object fact : facts) {
        session.insert(fact);
      }
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  private void fire() {
    recorder.startFire();
    try {
      fireWithinLimit();
    } finally {
      recorder.stopped();
    }
  }

  private void fireWithinLimit() {
    int max = (int) Math.min(fireLimit, Integer.MAX_VALUE);
    int fired;
    try {
      fired = session.fireAllRules(max);
    } catch (RuntimeException e) {
      throw failed(e);
    }
    // Reaching the limit is not yet a loop (Drools checks it between rule evaluations, so it may
    // even overshoot a little): one more firing tells whether work was left.
    if (fired >= max && fireOneMore() > 0) {
      FiringRecorder.RuleCount top = recorder.mostFired();
      throw new RuleLoopException(
          top.rule(), top.ruleFile(), top.count(), max, top.lastWorkloads());
    }
  }

  private int fireOneMore() {
    try {
      return session.fireAllRules(1);
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  /** Names the rule and the workloads of a failure, so a user can find it in their DRL. */
  private static RuleExecutionException failed(RuntimeException e) {
    if (e instanceof RuleExecutionException already) {
      return already;
    }
    if (e instanceof ConsequenceException consequence && consequence.getMatch() != null) {
      Match match = consequence.getMatch();
      String rule = match.getRule().getName();
      String file = FiringRecorder.ruleFile(match.getRule());
      List<String> workloads = FiringRecorder.workloads(match);
      Throwable cause = consequence.getCause() != null ? consequence.getCause() : consequence;
      String message =
          "rule \""
              + rule
              + "\" ("
              + file
              + ") failed"
              + (workloads.isEmpty() ? "" : " on workload " + String.join(", ", workloads))
              + ": "
              + cause;
      return new RuleFailedException(message, rule, file, workloads, cause);
    }
    // A constraint threw: Drools names the constraint, the rule and its file in its message,
    // "Error evaluating constraint 'C' in [Rule "R" in F]", but not the facts.
    String text = String.valueOf(e.getMessage());
    Matcher constraint = CONSTRAINT_ERROR.matcher(text);
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    if (constraint.find()) {
      String rule = constraint.group(2);
      String file = constraint.group(3);
      return new RuleFailedException(
          "rule \""
              + rule
              + "\" ("
              + file
              + ") failed: constraint '"
              + constraint.group(1)
              + "' threw: "
              + String.valueOf(cause.getMessage()).lines().findFirst().orElse(cause.toString()),
          rule,
          file,
          List.of(),
          e);
    }
    return new RuleFailedException("a rule failed: " + text, null, null, List.of(), e);
  }
}

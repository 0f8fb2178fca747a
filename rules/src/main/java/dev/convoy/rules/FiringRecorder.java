package dev.convoy.rules;

import dev.convoy.engine.decide.RuleFiring;
import dev.convoy.engine.facts.WorkloadFact;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.rule.Match;

/**
 * Records each rule firing for {@code convoy explain}, and counts firings per rule so that a loop
 * can be blamed on the rule that fired most.
 */
final class FiringRecorder extends DefaultAgendaEventListener {

  /** The {@code workload()} (or {@code getWorkload()}) accessor of a fact class, if it has one. */
  private static final ClassValue<Method> WORKLOAD_ACCESSOR =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          for (String name : List.of("workload", "getWorkload")) {
            try {
              Method method = type.getMethod(name);
              if (method.getReturnType() == String.class
                  && !Modifier.isStatic(method.getModifiers())) {
                method.setAccessible(true);
                return method;
              }
            } catch (NoSuchMethodException | RuntimeException e) {
              // not a workload-scoped fact (or not accessible): try the next name
            }
          }
          return null;
        }
      };

  /** Recorders of the sessions open in this process, for {@link #runningNow()}. */
  private static final java.util.Set<FiringRecorder> LIVE =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final boolean record;
  private final List<RuleFiring> firings = new ArrayList<>();
  private final Map<Rule, RuleCount> counts = new HashMap<>();

  /** The match whose consequence is running now, or null. */
  private volatile Match running;

  FiringRecorder(boolean record) {
    this.record = record;
  }

  void open() {
    LIVE.add(this);
  }

  void close() {
    LIVE.remove(this);
  }

  /** Firing ended (a consequence may have thrown before its after-event). */
  void stopped() {
    running = null;
  }

  /** The match whose consequence runs right now in this session, or null between firings. */
  Match running() {
    return running;
  }

  /** {@code rule "R" (file)} of a consequence running now in any open session. */
  static java.util.Optional<String> runningNow() {
    for (FiringRecorder recorder : LIVE) {
      Match match = recorder.running;
      if (match != null) {
        return java.util.Optional.of(
            "rule \"" + match.getRule().getName() + "\" (" + ruleFile(match.getRule()) + ")");
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public void beforeMatchFired(org.kie.api.event.rule.BeforeMatchFiredEvent event) {
    running = event.getMatch();
  }

  @Override
  public void afterMatchFired(AfterMatchFiredEvent event) {
    running = null;
    Match match = event.getMatch();
    Rule rule = match.getRule();
    RuleCount count = counts.computeIfAbsent(rule, r -> new RuleCount(r.getName(), ruleFile(r)));
    count.count++;
    if (record) {
      List<String> workloads = workloads(match);
      count.lastWorkloads = workloads;
      firings.add(new RuleFiring(count.rule, count.ruleFile, workloads));
    } else {
      // Only a loop report reads the workloads of a rule's last match: look them up then, not
      // on each of a run's hundreds of thousands of firings (a reflective call per fact).
      count.lastMatch = match;
    }
  }

  /** Resets the per-rule counts: the fire limit applies to each {@code fire}. */
  void startFire() {
    counts.clear();
  }

  List<RuleFiring> firings() {
    return List.copyOf(firings);
  }

  RuleCount mostFired() {
    RuleCount top = null;
    for (RuleCount count : counts.values()) {
      if (top == null
          || count.count > top.count
          || (count.count == top.count && count.rule.compareTo(top.rule) < 0)) {
        top = count;
      }
    }
    return top == null ? new RuleCount("(none)", "(none)") : top;
  }

  /** The DRL file a rule comes from, as given to the builder. */
  static String ruleFile(Rule rule) {
    return RuleSource.file(rule);
  }

  /** Ids of the workloads among a match's facts, in pattern order, without repeats. */
  static List<String> workloads(Match match) {
    List<String> ids = new ArrayList<>(2);
    for (Object fact : match.getObjects()) {
      String id = workloadOf(fact);
      if (id != null && !ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static String workloadOf(Object fact) {
    if (fact == null) {
      return null;
    }
    if (fact instanceof WorkloadFact workload) {
      return workload.id();
    }
    Method accessor = WORKLOAD_ACCESSOR.get(fact.getClass());
    if (accessor == null) {
      return null;
    }
    try {
      return (String) accessor.invoke(fact);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** How often one rule fired during the current {@code fire}. */
  static final class RuleCount {
    final String rule;
    final String ruleFile;
    long count;
    List<String> lastWorkloads = List.of();
    Match lastMatch;

    RuleCount(String rule, String ruleFile) {
      this.rule = rule;
      this.ruleFile = ruleFile;
    }

    String rule() {
      return rule;
    }

    String ruleFile() {
      return ruleFile;
    }

    long count() {
      return count;
    }

    List<String> lastWorkloads() {
      if (lastMatch != null) {
        try {
          lastWorkloads = workloads(lastMatch);
        } catch (RuntimeException e) {
          // the match was retracted since it fired; report no workloads rather than fail
        }
        lastMatch = null;
      }
      return lastWorkloads;
    }
  }
}

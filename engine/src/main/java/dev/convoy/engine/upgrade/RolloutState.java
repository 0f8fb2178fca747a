package dev.convoy.engine.upgrade;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.ManifestPrinter;
import dev.convoy.engine.yaml.YamlDocument;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where each policy's rollout stands in one target, kept in the target's output folder (so in git,
 * next to what it describes) as {@value #FILE}. It records what every revision still in use
 * injects, because once a policy file changes its old content is gone from the source, and held
 * workloads keep rendering with it (docs/upgrades.md).
 *
 * @param policies by policy name
 */
public record RolloutState(SortedMap<String, PolicyRollout> policies, List<String> problems) {

  /** The file, relative to the target's output folder; kustomize never lists it as a resource. */
  public static final String FILE = ".convoy/rollout.yaml";

  public static final String KIND = "RolloutState";
  public static final RolloutState EMPTY = new RolloutState(new TreeMap<>());

  /** A state Convoy could not read: every wave of every policy of the target holds. */
  static RolloutState unreadable(String problem) {
    return new RolloutState(new TreeMap<>(), List.of(problem));
  }

  public RolloutState(SortedMap<String, PolicyRollout> policies) {
    this(policies, List.of());
  }

  /** True when the state could not be read, or some policy's record of it is inconsistent. */
  public boolean broken() {
    return !problems.isEmpty() || policies.values().stream().anyMatch(p -> p.problem() != null);
  }

  /**
   * One policy's rollout.
   *
   * @param revision the revision waves move workloads to (the policy's revision at the last run)
   * @param wave waves done towards {@code revision}
   * @param lastWave when the last wave of this policy moved, or {@code null} if none has
   * @param held workloads still on an older revision after the last run
   * @param revisions every revision some workload runs, with what it injects ({@code sidecars},
   *     {@code initContainers}, {@code volumes} of the policy spec)
   * @param moved the workloads ({@code Kind/namespace/name}) waves moved to {@code revision} and
   *     not yet rolled back: what a gate asks about, and what a rollback returns, wave by wave
   * @param gate the gate's last answer for this rollout; {@code null} before the first
   * @param rolledBack true once a failing gate started rolling the moved workloads back: no wave
   *     moves towards {@code revision} until it changes
   * @param problem why this record cannot be trusted (a revision whose recorded spec no longer
   *     hashes to it, a negative count); {@code null} when it can
   */
  public record PolicyRollout(
      String revision,
      int wave,
      Instant lastWave,
      int held,
      SortedMap<String, Map<String, Object>> revisions,
      SortedMap<String, Moved> moved,
      GateAnswer gate,
      boolean rolledBack,
      String problem) {
    public PolicyRollout {
      revisions = new TreeMap<>(revisions);
      moved = moved == null ? new TreeMap<>() : new TreeMap<>(moved);
    }

    public PolicyRollout(
        String revision,
        int wave,
        Instant lastWave,
        int held,
        SortedMap<String, Map<String, Object>> revisions) {
      this(revision, wave, lastWave, held, revisions, null, null, false, null);
    }

    /** True while a rollback still has moved workloads to return. */
    public boolean rollingBack() {
      return rolledBack && !moved.isEmpty();
    }

    /** The last wave whose workloads have not been rolled back: the one a rollback returns next. */
    public int lastMovedWave() {
      return moved.values().stream().mapToInt(Moved::wave).max().orElse(0);
    }

    /** True while some workload runs another revision than the one waves move to. */
    public boolean inProgress() {
      return held > 0 || revisions.keySet().stream().anyMatch(r -> !r.equals(revision));
    }
  }

  /**
   * A workload a wave moved to the rollout's revision.
   *
   * @param fromRevision the revision it ran before: where a rollback returns it
   * @param wave the wave that moved it (0 when recorded before waves were: such workloads return
   *     with the first wave)
   */
  public record Moved(String fromRevision, int wave) {}

  public RolloutState {
    policies = new TreeMap<>(policies);
    problems = List.copyOf(problems);
  }

  public boolean inProgress() {
    return broken() || policies.values().stream().anyMatch(PolicyRollout::inProgress);
  }

  /**
   * Reads the state from a target's previous output files; {@link #EMPTY} when there is none. A
   * state file Convoy cannot read is never treated as absent (that would move every workload at
   * once): the state is {@link #broken()}, the run reports it and holds every wave of the target.
   */
  public static RolloutState of(Map<String, byte[]> previousOutput) {
    byte[] bytes = previousOutput.get(FILE);
    if (bytes == null) {
      return EMPTY;
    }
    try {
      List<YamlDocument> docs =
          ManifestParser.parse(new InputFile(FILE, bytes), ManifestParser.Positions.DROP);
      if (docs.size() != 1 || !KIND.equals(docs.get(0).kind())) {
        return unreadable("not one " + KIND + " document");
      }
      SortedMap<String, PolicyRollout> policies = new TreeMap<>();
      Map<String, Object> byPolicy = Trees.map(docs.get(0).map(), "policies");
      if (byPolicy != null) {
        for (String name : byPolicy.keySet()) {
          Map<String, Object> p = Trees.map(byPolicy, name);
          if (p == null) {
            return unreadable("policies." + name + " is not a mapping");
          }
          policies.put(name, policy(p));
        }
      }
      return new RolloutState(policies);
    } catch (BadInputException
        | DateTimeParseException
        | ClassCastException
        | NumberFormatException e) {
      return unreadable(
          e instanceof BadInputException bad && !bad.errors().isEmpty()
              ? bad.errors().get(0).message()
              : "unreadable: " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
  }

  private static PolicyRollout policy(Map<String, Object> m) {
    String lastWave = Trees.string(m, "lastWave");
    SortedMap<String, Map<String, Object>> revisions = new TreeMap<>();
    Map<String, Object> specs = Trees.map(m, "revisions");
    if (specs != null) {
      for (String rev : specs.keySet()) {
        Map<String, Object> spec = Trees.map(specs, rev);
        if (spec != null) {
          revisions.put(rev, spec);
        }
      }
    }
    SortedMap<String, Moved> moved = new TreeMap<>();
    Map<String, Object> movedMap = Trees.map(m, "moved");
    if (movedMap != null) {
      for (String w : movedMap.keySet()) {
        // Files written before waves were recorded per workload hold only the revision.
        Map<String, Object> one = Trees.map(movedMap, w);
        moved.put(
            w,
            one == null
                ? new Moved(String.valueOf(movedMap.get(w)), 0)
                : new Moved(Trees.string(one, "from"), number(one.get("wave"))));
      }
    }
    GateAnswer gate = null;
    Map<String, Object> g = Trees.map(m, "gate");
    if (g != null) {
      String at = Trees.string(g, "at");
      gate =
          new GateAnswer(
              Boolean.parseBoolean(String.valueOf(g.get("healthy"))),
              Trees.string(g, "words"),
              at == null ? null : Instant.parse(at),
              Trees.string(g, "query"),
              g.get("value") == null ? null : String.valueOf(g.get("value")));
    }
    int wave = number(m.get("wave"));
    int held = number(m.get("held"));
    String revision = Trees.string(m, "revision");
    String badMove =
        moved.entrySet().stream()
            .filter(e -> e.getValue().fromRevision() == null || e.getValue().wave() < 0)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(null);
    String problem =
        revision == null
            ? "no revision recorded"
            : wave < 0 || held < 0
                ? "a negative wave or held count"
                : badMove != null ? "moved " + badMove + " has no from revision or wave" : null;
    return new PolicyRollout(
        revision,
        wave,
        lastWave == null ? null : Instant.parse(lastWave),
        held,
        revisions,
        moved,
        gate,
        Boolean.parseBoolean(String.valueOf(m.get("rolledBack"))),
        problem);
  }

  private static Map<String, Object> moved(Moved one) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", one.fromRevision());
    m.put("wave", one.wave());
    return m;
  }

  private static int number(Object value) {
    return value == null ? 0 : Integer.parseInt(value.toString());
  }

  /** The file's bytes: the same state always prints the same bytes. */
  public byte[] print() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("apiVersion", "convoy.dev/v1alpha1");
    root.put("kind", KIND);
    Map<String, Object> byPolicy = new LinkedHashMap<>();
    policies.forEach(
        (name, p) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("revision", p.revision());
          m.put("wave", p.wave());
          if (p.lastWave() != null) {
            m.put("lastWave", p.lastWave().toString());
          }
          m.put("held", p.held());
          if (p.rolledBack()) {
            m.put("rolledBack", true);
          }
          if (p.gate() != null) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("healthy", p.gate().healthy());
            g.put("words", p.gate().words());
            if (p.gate().at() != null) {
              g.put("at", p.gate().at().toString());
            }
            if (p.gate().query() != null) {
              g.put("query", p.gate().query());
            }
            if (p.gate().value() != null) {
              g.put("value", p.gate().value());
            }
            m.put("gate", g);
          }
          if (!p.moved().isEmpty()) {
            Map<String, Object> moved = new LinkedHashMap<>();
            p.moved().forEach((w, one) -> moved.put(w, moved(one)));
            m.put("moved", moved);
          }
          m.put("revisions", new LinkedHashMap<>(p.revisions()));
          byPolicy.put(name, m);
        });
    root.put("policies", byPolicy);
    String header =
        "# Written by Convoy: the policy revisions this folder runs and where each rollout stands.\n"
            + "# Held workloads render from the revisions recorded here; edit the policies, not this file.\n";
    return (header + new ManifestPrinter().print(root)).getBytes(StandardCharsets.UTF_8);
  }
}

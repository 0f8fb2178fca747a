package dev.convoy.engine.upgrade;

import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.PolicyParser;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.ManifestPrinter;
import dev.convoy.engine.yaml.YamlDocument;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every policy revision a run may render: each policy as it is now, plus the older revisions the
 * rollout states record for workloads that upgrade waves hold back. An older revision renders with
 * the policy's current name, priority and update settings; only what it injects is old.
 */
public final class Revisions {
  private final Map<String, SidecarPolicy> current;
  private final Map<String, SortedMap<String, SidecarPolicy>> older = new TreeMap<>();

  private Revisions(Map<String, SidecarPolicy> current) {
    this.current = current;
  }

  /** The policies as loaded, and the older revisions of them that {@code states} record. */
  public static Revisions of(Map<String, SidecarPolicy> current, Collection<RolloutState> states) {
    Revisions revisions = new Revisions(current);
    for (RolloutState state : states) {
      state
          .policies()
          .forEach(
              (name, rollout) -> {
                SidecarPolicy now = current.get(name);
                if (now == null) {
                  return;
                }
                rollout
                    .revisions()
                    .forEach(
                        (rev, spec) -> {
                          if (!rev.equals(now.revision()) && !revisions.isOlder(name, rev)) {
                            SidecarPolicy old = parse(now, spec);
                            // A spec that no longer hashes to its key was edited by hand: not
                            // trusted, not used.
                            if (old != null && old.revision().equals(rev)) {
                              revisions
                                  .older
                                  .computeIfAbsent(name, k -> new TreeMap<>())
                                  .put(rev, old);
                            }
                          }
                        });
              });
    }
    return revisions;
  }

  /** The policy at a revision: the loaded one, or a recorded older one. */
  public SidecarPolicy at(String policy, String revision) {
    SidecarPolicy now = current.get(policy);
    if (now != null && now.revision().equals(revision)) {
      return now;
    }
    SortedMap<String, SidecarPolicy> byRevision = older.get(policy);
    SidecarPolicy old = byRevision == null ? null : byRevision.get(revision);
    if (old == null) {
      throw new IllegalStateException("no recorded revision " + revision + " of policy " + policy);
    }
    return old;
  }

  /** True for a recorded revision of an existing policy other than its current one. */
  public boolean isOlder(String policy, String revision) {
    return older.containsKey(policy) && older.get(policy).containsKey(revision);
  }

  /** The current policies in load order, then the older revisions by policy and revision. */
  public List<SidecarPolicy> all() {
    List<SidecarPolicy> all = new ArrayList<>(current.values());
    older.values().forEach(byRevision -> all.addAll(byRevision.values()));
    return all;
  }

  /**
   * Policies of {@code state} that record a revision this run cannot trust: its recorded spec no
   * longer hashes to it (edited by hand), so the workloads on it cannot render it.
   */
  public Set<String> untrusted(RolloutState state) {
    Set<String> out = new TreeSet<>();
    state
        .policies()
        .forEach(
            (name, rollout) -> {
              SidecarPolicy now = current.get(name);
              if (now != null
                  && rollout.revisions().keySet().stream()
                      .anyMatch(rev -> !rev.equals(now.revision()) && !isOlder(name, rev))) {
                out.add(name);
              }
            });
    return out;
  }

  /**
   * Policies of {@code state} whose workloads may still run an older revision this run can render.
   */
  public Set<String> rolling(RolloutState state) {
    Set<String> rolling = new TreeSet<>();
    state
        .policies()
        .forEach(
            (name, rollout) -> {
              if (rollout.revisions().keySet().stream().anyMatch(rev -> isOlder(name, rev))) {
                rolling.add(name);
              }
            });
    return rolling;
  }

  /**
   * The target's rollout state after this run.
   *
   * @param before the state recorded by the previous run
   * @param target the target's name
   * @param inUse for each rendered workload, policy name to the revision it carries
   * @param waves this run's wave decisions (every target's)
   * @param now the time of this run, recorded as the last wave of policies that moved
   */
  public RolloutState stateAfter(
      RolloutState before,
      String target,
      List<SortedMap<String, String>> inUse,
      List<WaveDecision> waves,
      Instant now) {
    return stateAfter(before, target, inUse, waves, new WaveRun(now, true, Map.of()));
  }

  /**
   * The target's rollout state after this run, with the gates' answers it was given and the
   * workloads its waves moved or rolled back.
   */
  public RolloutState stateAfter(
      RolloutState before,
      String target,
      List<SortedMap<String, String>> inUse,
      List<WaveDecision> waves,
      WaveRun run) {
    Instant now = run.now();
    SortedMap<String, Set<String>> used = new TreeMap<>();
    for (SortedMap<String, String> revisions : inUse) {
      revisions.forEach(
          (policy, rev) -> used.computeIfAbsent(policy, k -> new TreeSet<>()).add(rev));
    }
    String prefix = target + "/";
    SortedMap<String, RolloutState.PolicyRollout> next = new TreeMap<>();
    used.forEach(
        (policy, revs) -> {
          SidecarPolicy loaded = current.get(policy);
          RolloutState.PolicyRollout prev = before.policies().get(policy);
          SortedMap<String, Map<String, Object>> specs = new TreeMap<>();
          for (String rev : revs) {
            Map<String, Object> spec = spec(policy, rev, prev);
            if (spec != null) {
              specs.put(rev, spec);
            }
          }
          if (specs.isEmpty()) {
            return;
          }
          String revision =
              loaded != null ? loaded.revision() : prev != null ? prev.revision() : specs.lastKey();
          int moved = 0;
          int returned = 0;
          int held = 0;
          int wave = 0;
          boolean same = prev != null && prev.revision().equals(revision);
          SortedMap<String, RolloutState.Moved> movedTo = new TreeMap<>();
          if (same) {
            movedTo.putAll(prev.moved());
          }
          boolean rolledBack = same && prev.rolledBack();
          for (WaveDecision d : waves) {
            if (d.policy().equals(policy) && d.workload().startsWith(prefix)) {
              String ref = d.workload().substring(prefix.length());
              if (d.moves()) {
                moved++;
                wave = d.wave();
                movedTo.put(ref, new RolloutState.Moved(d.fromRevision(), d.wave()));
              } else {
                held++;
                if (movedTo.remove(ref) != null) {
                  returned++;
                  rolledBack = true;
                }
              }
            }
          }
          Instant lastWave = prev == null ? null : prev.lastWave();
          // A rollback wave is a wave: the next one waits minWaveInterval too.
          if (returned > 0) {
            lastWave = now;
          }
          if (moved > 0) {
            lastWave = now;
          } else if (same) {
            wave = prev.wave();
          }
          GateAnswer gate = run.gate(target, policy);
          // A gate that keeps giving the same answer keeps its first time: a rollout held for hours
          // commits once, not once per run.
          if (same
              && prev.gate() != null
              && (gate == null || (moved == 0 && sameAnswer(gate, prev.gate())))) {
            gate = prev.gate();
          }
          boolean done = held == 0 && specs.size() == 1 && specs.containsKey(revision);
          next.put(
              policy,
              new RolloutState.PolicyRollout(
                  revision,
                  wave,
                  lastWave,
                  held,
                  specs,
                  // A finished rollout forgets who moved: a steady-state file stays small.
                  done ? null : movedTo,
                  gate,
                  rolledBack && !done,
                  null));
        });
    return new RolloutState(next);
  }

  private static boolean sameAnswer(GateAnswer a, GateAnswer b) {
    return a.healthy() == b.healthy()
        && java.util.Objects.equals(a.words(), b.words())
        && java.util.Objects.equals(a.value(), b.value());
  }

  /** What a revision injects, without the keys a policy leaves out. */
  private Map<String, Object> spec(String policy, String rev, RolloutState.PolicyRollout prev) {
    SidecarPolicy now = current.get(policy);
    Map<String, Object> raw =
        now != null && now.revision().equals(rev)
            ? now.injected()
            : prev != null ? prev.revisions().get(rev) : null;
    if (raw == null) {
      return null;
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    raw.forEach(
        (k, v) -> {
          if (v != null) {
            spec.put(k, v);
          }
        });
    return spec;
  }

  /** The recorded spec read as a policy document with the current policy's name and settings. */
  private static SidecarPolicy parse(SidecarPolicy now, Map<String, Object> injected) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", SidecarPolicy.API_VERSION);
    doc.put("kind", SidecarPolicy.KIND);
    doc.put("metadata", Map.of("name", now.name()));
    doc.put("spec", injected);
    try {
      byte[] bytes = new ManifestPrinter().print(doc).getBytes(StandardCharsets.UTF_8);
      List<YamlDocument> docs =
          ManifestParser.parse(
              new InputFile(RolloutState.FILE, bytes), ManifestParser.Positions.DROP);
      List<InputError> errors = new ArrayList<>();
      SidecarPolicy old = docs.size() == 1 ? PolicyParser.parse(docs.get(0), errors) : null;
      if (old == null) {
        return null;
      }
      return new SidecarPolicy(
          now.name(),
          now.priority(),
          now.selector(),
          now.namespaceSelector(),
          now.namespaces(),
          now.kinds(),
          now.targets(),
          old.sidecars(),
          old.initContainers(),
          old.volumes(),
          now.update(),
          old.revision(),
          now.file(),
          now.line(),
          old.injected());
    } catch (BadInputException | RuntimeException e) {
      return null;
    }
  }
}

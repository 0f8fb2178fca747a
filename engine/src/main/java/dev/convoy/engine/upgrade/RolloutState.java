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
public record RolloutState(SortedMap<String, PolicyRollout> policies) {

  /** The file, relative to the target's output folder; kustomize never lists it as a resource. */
  public static final String FILE = ".convoy/rollout.yaml";

  public static final String KIND = "RolloutState";
  public static final RolloutState EMPTY = new RolloutState(new TreeMap<>());

  /**
   * One policy's rollout.
   *
   * @param revision the revision waves move workloads to (the policy's revision at the last run)
   * @param wave waves done towards {@code revision}
   * @param lastWave when the last wave of this policy moved, or {@code null} if none has
   * @param held workloads still on an older revision after the last run
   * @param revisions every revision some workload runs, with what it injects ({@code sidecars},
   *     {@code initContainers}, {@code volumes} of the policy spec)
   */
  public record PolicyRollout(
      String revision,
      int wave,
      Instant lastWave,
      int held,
      SortedMap<String, Map<String, Object>> revisions) {
    public PolicyRollout {
      revisions = new TreeMap<>(revisions);
    }

    /** True while some workload runs another revision than the one waves move to. */
    public boolean inProgress() {
      return held > 0 || revisions.keySet().stream().anyMatch(r -> !r.equals(revision));
    }
  }

  public RolloutState {
    policies = new TreeMap<>(policies);
  }

  public boolean inProgress() {
    return policies.values().stream().anyMatch(PolicyRollout::inProgress);
  }

  /**
   * Reads the state from a target's previous output files; {@link #EMPTY} when there is none. A
   * state file Convoy cannot read is treated as absent: the run then behaves as a first run (every
   * workload renders the current revision), which is safe and visible in the diff.
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
        return EMPTY;
      }
      SortedMap<String, PolicyRollout> policies = new TreeMap<>();
      Map<String, Object> byPolicy = Trees.map(docs.get(0).map(), "policies");
      if (byPolicy != null) {
        for (String name : byPolicy.keySet()) {
          Map<String, Object> p = Trees.map(byPolicy, name);
          if (p != null) {
            policies.put(name, policy(p));
          }
        }
      }
      return new RolloutState(policies);
    } catch (BadInputException
        | DateTimeParseException
        | ClassCastException
        | NumberFormatException e) {
      return EMPTY;
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
    return new PolicyRollout(
        Trees.string(m, "revision"),
        number(m.get("wave")),
        lastWave == null ? null : Instant.parse(lastWave),
        number(m.get("held")),
        revisions);
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

package dev.convoy.engine;

import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.output.OutputFiles;
import dev.convoy.engine.render.InjectionRecord;
import dev.convoy.engine.upgrade.RolloutState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rollout state that cannot be trusted holds every wave it describes: without it Convoy cannot
 * render the older revisions workloads run, and rendering them anew would move every workload at
 * once. Each such workload gets an error, so it keeps its previous document, and the state file is
 * kept as it was (see {@link WriteTarget}).
 */
final class HeldByState {
  private HeldByState() {}

  static final String CODE = "rollout-state";

  /** The problems of every target's rollout state, in the order of the targets. */
  static List<Violation> violations(
      List<Target> targets,
      List<Workload> workloads,
      java.util.function.Function<Target, Map<String, byte[]>> previous,
      Map<String, RolloutState> states,
      dev.convoy.engine.upgrade.Revisions revisions,
      Map<String, SidecarPolicy> policies) {
    List<Violation> out = new ArrayList<>();
    for (Target target : targets) {
      RolloutState state = states.get(target.name());
      out.addAll(
          violations(
              target,
              workloads,
              previous.apply(target),
              state,
              revisions.untrusted(state),
              policies));
    }
    return out;
  }

  /**
   * @param untrusted policies whose recorded revisions do not hash to their keys
   */
  static List<Violation> violations(
      Target target,
      List<Workload> workloads,
      Map<String, byte[]> previous,
      RolloutState state,
      Set<String> untrusted,
      Map<String, SidecarPolicy> policies) {
    List<Violation> out = new ArrayList<>();
    String file = target.output().replaceAll("/+$", "") + "/" + RolloutState.FILE;
    boolean whole = !state.problems().isEmpty();
    List<String> broken = new ArrayList<>(untrusted);
    state
        .policies()
        .forEach(
            (name, p) -> {
              if (p.problem() != null && !broken.contains(name)) {
                broken.add(name);
              }
            });
    if (!whole && broken.isEmpty()) {
      return out;
    }
    String why =
        whole
            ? state.problems().get(0)
            : "revisions whose recorded spec does not match them, or bad counts, for "
                + String.join(", ", broken);
    out.add(
        Violation.error(
            CODE,
            "rollout state of target "
                + target.name()
                + " cannot be trusted ("
                + why
                + "): every wave of "
                + (whole ? "every policy" : "these policies")
                + " holds and the file is kept as it was; restore it from git history",
            null,
            whole ? null : broken.get(0),
            file,
            0));
    for (Workload w : workloads) {
      Map<String, Object> template =
          w.kind().podTemplateOf(OutputFiles.previousDocument(previous, w));
      if (template == null) {
        continue;
      }
      InjectionRecord.revisions(template)
          .forEach(
              (policy, rev) -> {
                SidecarPolicy now = policies.get(policy);
                if ((whole || broken.contains(policy))
                    && (now == null || !now.revision().equals(rev))) {
                  out.add(
                      Violation.error(
                          CODE,
                          "held at "
                              + policy
                              + "@"
                              + rev
                              + ": the rollout state cannot be trusted, so this workload keeps its"
                              + " previous output",
                          RenderTargets.id(target, w),
                          policy,
                          w.file(),
                          w.line()));
                }
              });
    }
    return out;
  }
}

package dev.convoy.cli;

import dev.convoy.engine.RenderRun;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Target;
import dev.convoy.engine.upgrade.GateAnswer;
import dev.convoy.engine.upgrade.RolloutState;
import dev.convoy.engine.upgrade.UpgradeWaves;
import dev.convoy.engine.upgrade.WaveRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks each gated rollout's gate before a run that may advance waves, and hands the answers to the
 * render. A gate is asked only when its answer decides something: the rollout has moved workloads
 * to the current revision, still holds some, and nothing else (an interval, a window, a pause)
 * holds its next wave anyway.
 */
final class Gates {
  private final LoadedRepo repo;
  private final Instant now;
  private final GateCheck check;
  private final List<String> unasked = new ArrayList<>();

  Gates(Path dir, LoadedRepo repo, Instant now) {
    this.repo = repo;
    this.now = now;
    this.check = new GateCheck(dir, now);
  }

  void evaluate(Target target, Map<String, byte[]> previous, RenderRun run, PrintWriter err) {
    RolloutState state = null;
    for (SidecarPolicy policy : repo.policies()) {
      if (policy.update().gate() == null) {
        continue;
      }
      if (state == null) {
        state = RolloutState.of(previous);
      }
      RolloutState.PolicyRollout rollout = state.policies().get(policy.name());
      if (rollout == null
          || !policy.revision().equals(rollout.revision())
          || rollout.moved().isEmpty()
          || !rollout.inProgress()
          || UpgradeWaves.heldBy(
                  policy.update(), state, rollout, true, null, new WaveRun(now, false, Map.of()))
              != null) {
        continue;
      }
      GateCheck.Result result =
          check.evaluate(
              policy.update().gate(),
              new GateCheck.Rollout(
                  target.name(),
                  policy.name(),
                  policy.revision(),
                  rollout.wave(),
                  rollout.moved()));
      GateAnswer answer = result.answer();
      if (!result.asked()) {
        unasked.add(target.name() + "/" + policy.name() + ": " + answer.words());
      }
      run.setGateAnswer(target.name(), policy.name(), answer);
      err.println(
          "gate "
              + target.name()
              + "/"
              + policy.name()
              + " before wave "
              + (rollout.wave() + 1)
              + ": "
              + (answer.healthy() ? "passed" : "failed")
              + ": "
              + answer.words());
    }
  }

  /** {@code target/policy: words} of each gate that could not be asked, in the order asked. */
  List<String> unasked() {
    return List.copyOf(unasked);
  }
}

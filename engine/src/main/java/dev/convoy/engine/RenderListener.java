package dev.convoy.engine;

import java.time.Duration;

/** Progress of a run, reported to whoever started it; nothing in the engine prints. */
@FunctionalInterface
public interface RenderListener {
  RenderListener NONE = (phase, took) -> {};

  /** A phase of the run finished (facts, rules, render). */
  void phaseFinished(String phase, Duration took);
}

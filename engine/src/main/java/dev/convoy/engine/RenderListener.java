package dev.convoy.engine;

import java.time.Duration;

/** Progress of a run, reported to whoever started it; nothing in the engine prints. */
public interface RenderListener {
  RenderListener NONE = new RenderListener() {};

  /** A phase of the run finished (load, facts, rules, render, write). */
  default void phaseFinished(String phase, Duration took) {}
}

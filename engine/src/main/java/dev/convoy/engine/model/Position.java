package dev.convoy.engine.model;

/** Where a policy sidecar goes relative to the app containers. */
public enum Position {
  /** Started before the app containers and stopped after them. */
  PRE,
  /** Started after the app containers. */
  POST
}

package dev.convoy.engine.model;

import dev.convoy.engine.facts.Role;

/** Where a policy sidecar goes relative to the app containers. */
public enum Position {
  /** Started before the app containers and stopped after them. */
  PRE,
  /** Started after the app containers. */
  POST;

  public Role role() {
    return this == PRE ? Role.PRE : Role.POST;
  }
}

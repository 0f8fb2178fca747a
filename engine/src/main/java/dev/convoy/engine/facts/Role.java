package dev.convoy.engine.facts;

import dev.convoy.engine.model.Position;

/** What a container is in the pod, independent of how a sidecar mode renders it. */
public enum Role {
  /** A one-shot init container: runs to completion before the app containers start. */
  INIT,
  /** An app container of the workload. */
  APP,
  /** A sidecar started before the app containers and stopped after them. */
  PRE,
  /** A sidecar started after the app containers. */
  POST;

  /**
   * Phase in which Kubernetes can start a container of this role: init/pre, then app, then post.
   */
  public int phase() {
    return switch (this) {
      case INIT, PRE -> 0;
      case APP -> 1;
      case POST -> 2;
    };
  }

  /** The role of a policy sidecar at {@code position}. */
  public static Role of(Position position) {
    return position == Position.PRE ? PRE : POST;
  }
}

package dev.convoy.engine.review;

/** How an object, a container or a policy differs between the base and the head. */
public enum Change {
  /** Only in the head. */
  ADDED,
  /** Only in the base. */
  REMOVED,
  /** In both, different. */
  CHANGED
}

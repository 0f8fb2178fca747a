package dev.convoy.engine.kubelet;

/**
 * One step of a pod's start-up in the {@link KubeletModel}.
 *
 * @param container the container name
 * @param kind what happened
 */
public record StartEvent(String container, Kind kind) {

  /** What happened to the container. */
  public enum Kind {
    /** The kubelet started the container's process. */
    STARTED,
    /**
     * The container is known ready: a native sidecar's startupProbe passed (or it has none), or its
     * {@code /convoy/run/<name>.ready} marker was written.
     */
    READY,
    /** A regular init container ran to completion. */
    COMPLETED
  }

  @Override
  public String toString() {
    return container + " " + kind.name().toLowerCase();
  }
}

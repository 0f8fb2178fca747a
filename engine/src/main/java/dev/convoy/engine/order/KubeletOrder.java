package dev.convoy.engine.order;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.Role;
import java.util.List;

/**
 * How the kubelet runs a rendered pod on one kind of node: the order it starts the containers in
 * and what it waits for before the next one, the order they stop in, and what of the sorted start
 * order the rendered pod cannot honour there. Read from what was rendered, not from the graph.
 *
 * @param nodes the kind of node
 * @param start every container in the order the kubelet starts it
 * @param stop the containers in the order they stop at the pod's deletion, as groups that stop
 *     together (one-shot init containers have long finished)
 * @param unhonoured edges of the sorted order that do not hold on these nodes, with the reason
 */
public record KubeletOrder(
    Nodes nodes, List<Step> start, List<List<String>> stop, List<Unhonoured> unhonoured) {

  public KubeletOrder {
    start = List.copyOf(start);
    stop = stop.stream().map(List::copyOf).toList();
    unhonoured = List.copyOf(unhonoured);
  }

  /** Whether the kubelet has native sidecars (Kubernetes 1.29 and later). */
  public enum Nodes {
    NATIVE_SIDECARS("nodes with native sidecars"),
    NO_NATIVE_SIDECARS("nodes without native sidecars");

    private final String description;

    Nodes(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /** How the kubelet runs a container of the rendered pod. */
  public enum Runs {
    /** An {@code initContainers} entry that runs to completion before the next one starts. */
    INIT_CONTAINER,
    /** An {@code initContainers} entry with {@code restartPolicy: Always}. */
    NATIVE_SIDECAR,
    /** A {@code containers} entry. */
    REGULAR_CONTAINER
  }

  /** What the kubelet waits for before it starts the next container. */
  public enum Gate {
    /** Nothing: the next container starts once this one's process has started. */
    STARTED,
    /** Its completion (an init container). */
    COMPLETED,
    /** Its startupProbe (a native sidecar) or its blocking postStart hook (a regular container). */
    READY
  }

  /**
   * One container as the kubelet starts it.
   *
   * @param container the rendered container's name ({@code proxy-legacy} for universal mode's
   *     regular copy)
   * @param of the container of the sorted order it stands for ({@code proxy})
   * @param role the role of that container
   * @param runs how the kubelet runs it
   * @param gate what the kubelet waits for before the next container
   * @param idle whether this copy does nothing on these nodes (universal mode runs one copy of a
   *     pre sidecar per node kind: the other exits at once or idles)
   */
  public record Step(String container, String of, Role role, Runs runs, Gate gate, boolean idle) {}

  /** When an edge should hold. */
  public enum Phase {
    /** {@code first} should start (or be ready) before {@code then}. */
    START,
    /** {@code first} should have stopped before {@code then} is stopped. */
    STOP
  }

  /**
   * What the sorted order asks for and these nodes do not do.
   *
   * @param phase start or stop
   * @param first the container that should come first
   * @param then the container that should come after it
   * @param reason why it does not hold
   * @param edge the edge of the sorted order behind it (start only), else null
   */
  public record Unhonoured(Phase phase, String first, String then, String reason, Edge edge) {}

  /** The rendered containers' names in start order. */
  public List<String> names() {
    return start.stream().map(Step::container).toList();
  }
}

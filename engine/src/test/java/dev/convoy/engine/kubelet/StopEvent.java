package dev.convoy.engine.kubelet;

/**
 * One container's exit during pod termination in the {@link KubeletModel}.
 *
 * @param container the container name
 * @param round the logical step it exited in; containers of the same round exit concurrently, so no
 *     order between them is promised
 * @param killed whether it was SIGKILLed when the grace period ran out (its TERM trap did not run,
 *     so it wrote no exit marker)
 * @param awaited what its preStop hook was still waiting for when it was killed, else empty
 */
public record StopEvent(String container, int round, boolean killed, String awaited) {

  @Override
  public String toString() {
    if (!killed) {
      return container + "@" + round;
    }
    return container
        + "@"
        + round
        + " killed ("
        + (awaited.isEmpty() ? "grace period over" : "waiting for " + awaited)
        + ")";
  }
}

package dev.convoy.engine.kubelet;

/**
 * One container's exit during pod termination in the {@link KubeletModel}.
 *
 * @param container the container name
 * @param round the logical step it exited in; containers of the same round exit concurrently, so no
 *     order between them is promised
 * @param killed whether it was SIGKILLed when the grace period ran out (its wrapper did not run, so
 *     it wrote nothing)
 * @param awaited what its preStop hook was still waiting for when it was killed or gave up, else
 *     empty
 * @param timedOut whether its bounded preStop gave up waiting (the stop order it stood for is lost)
 */
public record StopEvent(
    String container, int round, boolean killed, String awaited, boolean timedOut) {

  @Override
  public String toString() {
    if (!killed && !timedOut) {
      return container + "@" + round;
    }
    return container
        + "@"
        + round
        + (killed ? " killed (" : " gave up (")
        + (awaited.isEmpty() ? "grace period over" : "waiting for " + awaited)
        + ")";
  }
}

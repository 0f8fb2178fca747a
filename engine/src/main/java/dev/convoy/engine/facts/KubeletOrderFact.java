package dev.convoy.engine.facts;

import dev.convoy.engine.order.KubeletOrder;
import dev.convoy.engine.order.KubeletOrder.Phase;
import java.util.List;

/**
 * A late fact: how the kubelet runs a workload's rendered pod on one kind of node, read from what
 * was rendered. The engine inserts one per rendered workload and kind of node its target's mode
 * renders for (two in universal mode), with the {@link EffectiveResourcesFact}s, and fires the
 * rules again, so a rule can refuse what a mode cannot do:
 *
 * <pre>{@code
 * rule "payments: the proxy must be up before migrations run"
 * when
 *     KubeletOrderFact( $w : workload, !startsBefore("proxy", "migrate") )
 * then
 *     insert(Violation.error("proxy-before-migrate", "migrate would run without the proxy", $w, null, null, 0));
 * end
 * }</pre>
 *
 * @param workload the {@link WorkloadFact#id()}
 * @param order the kubelet's start and stop order on one kind of node, and what it cannot honour
 */
public record KubeletOrderFact(String workload, KubeletOrder order) {

  /** Whether these are nodes with native sidecars (Kubernetes 1.29+). */
  public boolean nativeSidecars() {
    return order.nodes() == KubeletOrder.Nodes.NATIVE_SIDECARS;
  }

  /** The rendered containers' names in the order the kubelet starts them. */
  public List<String> startOrder() {
    return order.names();
  }

  /**
   * Whether the copy of {@code first} that does the work starts before that of {@code then} (false
   * when either is not in the pod).
   */
  public boolean startsBefore(String first, String then) {
    int a = -1;
    int b = -1;
    for (int i = 0; i < order.start().size(); i++) {
      KubeletOrder.Step s = order.start().get(i);
      if (!s.idle() && s.of().equals(first) && a < 0) {
        a = i;
      }
      if (!s.idle() && s.of().equals(then) && b < 0) {
        b = i;
      }
    }
    return a >= 0 && b >= 0 && a < b;
  }

  /** Whether an edge of the sorted order ({@code first} before {@code then}) does not hold. */
  public boolean unhonoured(String first, String then) {
    return order.unhonoured().stream()
        .anyMatch(
            u -> u.phase() == Phase.START && u.first().equals(first) && u.then().equals(then));
  }

  /** Whether {@code sidecar} may stop before {@code container} has stopped. */
  public boolean stopsTooEarly(String sidecar, String container) {
    return order.unhonoured().stream()
        .anyMatch(
            u ->
                u.phase() == Phase.STOP && u.first().equals(container) && u.then().equals(sidecar));
  }
}

package dev.convoy.engine.facts;

import dev.convoy.engine.resources.EffectiveResources;
import dev.convoy.engine.resources.ResourceFigure;
import dev.convoy.engine.resources.ResourceFigures;
import dev.convoy.engine.resources.ResourceName;
import dev.convoy.engine.resources.ResourceQuantity;
import java.math.BigDecimal;

/**
 * A late fact: a workload's effective pod resources before and after injection, as rendered for its
 * target (docs/reference.md, Ordering). The engine inserts one per rendered workload after
 * rendering and fires the rules again, so a rule can forbid a pod from growing past a budget:
 *
 * <pre>{@code
 * rule "payments: pods stay under 2Gi"
 * when
 *     EffectiveResourcesFact( $w : workload, requestsAfterExceed("memory", "2Gi") )
 * then
 *     insert(Violation.error("memory-budget", "pod would request more than 2Gi", $w, null, null, 0));
 * end
 * }</pre>
 *
 * <p>An error violation naming the workload keeps it at its last rendered version, as any other.
 *
 * @param workload the {@link WorkloadFact#id()}
 * @param before the source pod's effective requests and limits
 * @param after the rendered pod's
 */
public record EffectiveResourcesFact(
    String workload, EffectiveResources before, EffectiveResources after) {

  /** Whether the rendered pod's effective request of {@code resource} is above {@code quantity}. */
  public boolean requestsAfterExceed(String resource, String quantity) {
    return above(after.requests(), resource, quantity);
  }

  /**
   * Whether the rendered pod's effective limit is above {@code quantity}; unbounded is above any.
   */
  public boolean limitsAfterExceed(String resource, String quantity) {
    return above(after.limits(), resource, quantity);
  }

  /**
   * Whether injection grows the effective request of {@code resource} by more than {@code
   * quantity}.
   */
  public boolean requestGrowthExceeds(String resource, String quantity) {
    ResourceName name = name(resource);
    return amount(after.requests().get(name))
            .subtract(amount(before.requests().get(name)))
            .compareTo(ResourceQuantity.parse(quantity).amount())
        > 0;
  }

  /** The formatted request after injection, e.g. {@code 350m}, {@code -} when not set. */
  public String requestAfter(String resource) {
    return after.requests().format(name(resource));
  }

  private static boolean above(ResourceFigures figures, String resource, String quantity) {
    ResourceFigure figure = figures.get(name(resource));
    if (figure == ResourceFigure.UNBOUNDED) {
      return true;
    }
    return amount(figure).compareTo(ResourceQuantity.parse(quantity).amount()) > 0;
  }

  private static BigDecimal amount(ResourceFigure figure) {
    return figure.quantity().map(ResourceQuantity::amount).orElse(BigDecimal.ZERO);
  }

  private static ResourceName name(String resource) {
    return ResourceName.ofKey(resource)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "not a resource: '" + resource + "' (cpu, memory, ephemeral-storage)"));
  }
}

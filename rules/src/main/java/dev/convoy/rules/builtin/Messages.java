package dev.convoy.rules.builtin;

import dev.convoy.engine.decide.Edge;
import dev.convoy.engine.facts.ForceInjection;
import dev.convoy.engine.facts.NamespaceFact;
import dev.convoy.engine.facts.PolicyFact;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.facts.WorkloadFact;
import dev.convoy.engine.model.LabelSelectors;
import java.util.StringJoiner;

/**
 * The text of the built-in rules' reasons and violation messages, in one place so that it stays
 * stable and documented (rules/README.md lists every format). Called from the built-in DRL.
 */
public final class Messages {
  /** Origin of the REQUIRED edges from each pre sidecar to each app container. */
  public static final String PRE_BEFORE_APP = "pre sidecar starts before app containers";

  /** Origin of the DEFAULT edges from each pre sidecar to each init container. */
  public static final String PRE_BEFORE_INIT =
      "pre sidecars start before init containers unless an edge says otherwise";

  /** Origin of the REQUIRED edges from each app container to each post sidecar. */
  public static final String POST_AFTER_APP = "post sidecar starts after app containers";

  private Messages() {}

  /**
   * Which terms of a policy accepted a workload, e.g. {@code selector mesh=enabled; namespace
   * payments}.
   */
  public static String matchReason(
      PolicyFact policy, WorkloadFact workload, NamespaceFact namespace) {
    StringJoiner terms = new StringJoiner("; ");
    terms.add(policy.describeSelector());
    if (!policy.namespaces().isEmpty()) {
      terms.add("namespace " + workload.namespace());
    }
    if (namespace != null) {
      terms.add(
          "namespaceSelector "
              + LabelSelectors.describe(policy.namespaceSelector())
              + " (namespace "
              + namespace.name()
              + ")");
    }
    if (!policy.kinds().isEmpty()) {
      terms.add("kind " + workload.kind());
    }
    if (!policy.targets().isEmpty()) {
      terms.add("target " + workload.target());
    }
    return terms.toString();
  }

  /** Why a lower-priority policy is kept out of a workload. */
  public static String priorityVeto(
      String winner, int winnerPriority, String loser, int loserPriority, String container) {
    return "policy "
        + winner
        + " (priority "
        + winnerPriority
        + ") also injects container '"
        + container
        + "' and wins over "
        + loser
        + " (priority "
        + loserPriority
        + ")";
  }

  /** Why a workload's own annotation keeps a policy out. */
  public static String excludeVeto(WorkloadFact workload) {
    return "annotation "
        + WorkloadFact.EXCLUDE_ANNOTATION
        + ": "
        + workload.annotation(WorkloadFact.EXCLUDE_ANNOTATION);
  }

  /** {@code init container}, {@code app container}, {@code pre sidecar} or {@code post sidecar}. */
  public static String describe(Role role) {
    return switch (role) {
      case INIT -> "init container";
      case APP -> "app container";
      case PRE -> "pre sidecar";
      case POST -> "post sidecar";
    };
  }

  /** {@code unknown-container}: an edge names a container the pod does not have. */
  public static String unknownContainer(WorkloadFact workload, Edge edge, String missing) {
    return "edge " + edge + " names container '" + missing + "', which the pod does not have";
  }

  /** {@code impossible-edge}: the edge asks a container to start before one of an earlier phase. */
  public static String impossibleEdge(
      WorkloadFact workload, Edge edge, Role firstRole, Role thenRole) {
    return describe(thenRole)
        + " '"
        + edge.then()
        + "' cannot start after "
        + describe(firstRole)
        + " '"
        + edge.first()
        + "' ("
        + edge.origin()
        + ")";
  }

  /** {@code bad-start-order}: the annotation does not parse. */
  public static String badStartOrder(WorkloadFact workload) {
    String self = workload.startOrderSelfEdge();
    if (self != null) {
      return "annotation "
          + WorkloadFact.START_ORDER_ANNOTATION
          + " \""
          + workload.annotation(WorkloadFact.START_ORDER_ANNOTATION)
          + "\" orders container '"
          + self
          + "' before itself";
    }
    return "annotation "
        + WorkloadFact.START_ORDER_ANNOTATION
        + " \""
        + workload.annotation(WorkloadFact.START_ORDER_ANNOTATION)
        + "\" is malformed: expected container names separated by '<', e.g. \"proxy < app\"";
  }

  /** {@code name-clash}: a policy injects a container whose name the workload already uses. */
  public static String nameClash(WorkloadFact workload, String policy, String container) {
    return "policy "
        + policy
        + " injects container '"
        + container
        + "', but the workload already has a container named '"
        + container
        + "'";
  }

  /** {@code duplicate-container}: two policies of equal priority inject the same container name. */
  public static String duplicateContainer(
      WorkloadFact workload, String policy, String other, String container, int priority) {
    return "policies "
        + policy
        + " and "
        + other
        + " both inject container '"
        + container
        + "' with priority "
        + priority
        + "; raise one's priority or exclude one with "
        + WorkloadFact.EXCLUDE_ANNOTATION;
  }

  /** {@code unknown-policy}: a rule forces a policy that does not exist. */
  public static String unknownPolicy(WorkloadFact workload, ForceInjection force) {
    return "a rule forces policy '"
        + force.policy()
        + "', which does not exist"
        + (force.reason() == null ? "" : " (" + force.reason() + ")");
  }
}

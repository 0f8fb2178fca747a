package dev.convoy.engine.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Kubernetes label selector semantics (matchLabels AND every matchExpressions term). */
public final class LabelSelectors {
  private LabelSelectors() {}

  /** A {@code null} selector selects everything, like an empty one. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> matchLabels = selector.getMatchLabels();
    if (matchLabels != null) {
      for (Map.Entry<String, String> e : matchLabels.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    if (expressions != null) {
      for (LabelSelectorRequirement r : expressions) {
        if (!matches(r, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> throw new IllegalArgumentException("unknown selector operator " + r.getOperator());
    };
  }

  /**
   * Human-readable form, e.g. {@code mesh=enabled, tier in (web,api)}; {@code (all)} when empty.
   */
  public static String describe(LabelSelector selector) {
    StringJoiner terms = new StringJoiner(", ");
    if (selector != null) {
      if (selector.getMatchLabels() != null) {
        new TreeMap<>(selector.getMatchLabels()).forEach((k, v) -> terms.add(k + "=" + v));
      }
      if (selector.getMatchExpressions() != null) {
        for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
          String op = r.getOperator();
          switch (op) {
            case "Exists" -> terms.add(r.getKey());
            case "DoesNotExist" -> terms.add("!" + r.getKey());
            default ->
                terms.add(
                    r.getKey()
                        + " "
                        + op.toLowerCase()
                        + " ("
                        + String.join(",", r.getValues())
                        + ")");
          }
        }
      }
    }
    return terms.length() == 0 ? "(all)" : terms.toString();
  }
}

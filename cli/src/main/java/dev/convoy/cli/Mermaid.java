package dev.convoy.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mermaid flowcharts, which GitHub and GitLab draw from a {@code ```mermaid} block. Node ids are
 * generated ({@code b0}, {@code a1}): a container may be called {@code end} or {@code x}, which
 * Mermaid reads as keywords; names only ever appear as quoted labels.
 */
final class Mermaid {
  private Mermaid() {}

  /** A quoted node label; quotes and angle brackets become Mermaid's entity codes. */
  static String label(String text) {
    return "\"" + escape(text) + "\"";
  }

  /** A quoted label of several lines. */
  static String label(List<String> lines) {
    return "\"" + String.join("<br/>", lines.stream().map(Mermaid::escape).toList()) + "\"";
  }

  private static String escape(String text) {
    return text.replace("#", "#35;")
        .replace("\"", "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("\n", " ");
  }

  /**
   * A pod's start order before and after, side by side: each order a chain of its containers; a
   * link the head adds is thick ({@code ==>}), a link the head drops is dotted ({@code -.->}).
   */
  static String startOrderDiagram(List<String> before, List<String> after) {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    Set<String> beforeLinks = links(before);
    Set<String> afterLinks = links(after);
    chain(sb, "base", "b", before, afterLinks, "-.->");
    chain(sb, "head", "a", after, beforeLinks, "==>");
    return sb.toString();
  }

  private static void chain(
      StringBuilder sb,
      String title,
      String prefix,
      List<String> order,
      Set<String> other,
      String changedLink) {
    sb.append("  subgraph ").append(prefix).append("_side[").append(label(title)).append("]\n");
    sb.append("    direction LR\n");
    for (int i = 0; i < order.size(); i++) {
      sb.append("    ")
          .append(prefix)
          .append(i)
          .append('[')
          .append(label(order.get(i)))
          .append("]\n");
    }
    for (int i = 0; i + 1 < order.size(); i++) {
      boolean changed = !other.contains(order.get(i) + "\n" + order.get(i + 1));
      sb.append("    ")
          .append(prefix)
          .append(i)
          .append(' ')
          .append(changed ? changedLink : "-->")
          .append(' ')
          .append(prefix)
          .append(i + 1)
          .append('\n');
    }
    if (order.isEmpty()) {
      sb.append("    ").append(prefix).append("_none[").append(label("(no pod)")).append("]\n");
    }
    sb.append("  end\n");
  }

  private static Set<String> links(List<String> order) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 1 < order.size(); i++) {
      out.add(order.get(i) + "\n" + order.get(i + 1));
    }
    return out;
  }
}

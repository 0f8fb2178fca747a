package dev.convoy.cli;

import dev.convoy.engine.decide.Edge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One workload's start-order graph as a picture ({@code convoy explain -o dot|mermaid}): every
 * container (numbered in the start order the target's sidecar mode makes real, with its role and
 * policy), every edge with where it came from (a required edge solid, a default edge dashed, an
 * edge Kubernetes fixes grey), and the sorted order as a faint chain where no edge already says it.
 * One cluster per target; a cycle is drawn in red.
 */
final class ExplainGraph {
  private ExplainGraph() {}

  /** Graphviz DOT, for {@code dot -Tsvg}. */
  static String dot(List<WorkloadExplanation> explanations) {
    StringBuilder sb = new StringBuilder();
    String ref = explanations.isEmpty() ? "workload" : explanations.get(0).ref();
    sb.append("digraph ").append(quote(ref)).append(" {\n");
    sb.append("  rankdir=LR;\n");
    sb.append("  labelloc=t;\n");
    sb.append("  label=").append(quote(ref + ": start order")).append(";\n");
    sb.append("  fontname=\"Helvetica\";\n");
    sb.append(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n");
    sb.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    int t = 0;
    for (WorkloadExplanation e : explanations) {
      Map<String, String> ids = ids(e, "t" + t + "_");
      Set<String> cycle = cycleEdges(e);
      sb.append("  subgraph cluster_").append(t).append(" {\n");
      sb.append("    label=").append(quote(clusterLabel(e))).append(";\n");
      sb.append("    style=rounded; color=\"#999999\";\n");
      ids.forEach(
          (name, id) ->
              sb.append("    ")
                  .append(id)
                  .append(" [label=")
                  .append(quote(String.join("\n", nodeLabel(e, name))))
                  .append(", fillcolor=")
                  .append(quote(fill(e, name)))
                  .append("];\n"));
      Set<String> drawn = new HashSet<>();
      for (WorkloadExplanation.ExplainedEdge x : e.edges()) {
        String from = ids.get(x.first());
        String to = ids.get(x.then());
        if (from == null || to == null) {
          continue;
        }
        drawn.add(x.first() + "\n" + x.then());
        List<String> attrs = new ArrayList<>();
        attrs.add("label=" + quote(edgeLabel(x)));
        if (cycle.contains(x.first() + "\n" + x.then())) {
          attrs.add("color=\"#d62728\", penwidth=2");
        } else if (x.source().equals("kubernetes")) {
          attrs.add("color=\"#aaaaaa\", fontcolor=\"#888888\"");
        }
        if (x.strength() == Edge.Strength.DEFAULT) {
          attrs.add("style=dashed");
        }
        sb.append("    ")
            .append(from)
            .append(" -> ")
            .append(to)
            .append(" [")
            .append(String.join(", ", attrs))
            .append("];\n");
      }
      for (WorkloadExplanation.ExplainedEdge x : e.dropped()) {
        String from = ids.get(x.first());
        String to = ids.get(x.then());
        if (from != null && to != null) {
          sb.append("    ")
              .append(from)
              .append(" -> ")
              .append(to)
              .append(" [label=")
              .append(quote("dropped: " + edgeLabel(x)))
              .append(
                  ", style=dotted, color=\"#bbbbbb\", fontcolor=\"#999999\", constraint=false];\n");
        }
      }
      for (int i = 0; i + 1 < e.startOrder().size(); i++) {
        String a = e.startOrder().get(i).name();
        String b = e.startOrder().get(i + 1).name();
        if (!drawn.contains(a + "\n" + b)) {
          sb.append("    ")
              .append(ids.get(a))
              .append(" -> ")
              .append(ids.get(b))
              .append(" [style=dotted, color=\"#cccccc\", arrowhead=none];\n");
        }
      }
      sb.append("  }\n");
      t++;
    }
    sb.append("}\n");
    return sb.toString();
  }

  /** A Mermaid flowchart, for a Markdown page or comment. */
  static String mermaid(List<WorkloadExplanation> explanations) {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    List<String> cycleLinks = new ArrayList<>();
    int link = 0;
    int t = 0;
    for (WorkloadExplanation e : explanations) {
      Map<String, String> ids = ids(e, "t" + t + "_");
      Set<String> cycle = cycleEdges(e);
      sb.append("  subgraph t")
          .append(t)
          .append('[')
          .append(Mermaid.label(clusterLabel(e)))
          .append("]\n");
      sb.append("    direction LR\n");
      ids.forEach(
          (name, id) ->
              sb.append("    ")
                  .append(id)
                  .append('[')
                  .append(Mermaid.label(nodeLabel(e, name)))
                  .append("]\n"));
      Set<String> drawn = new HashSet<>();
      for (WorkloadExplanation.ExplainedEdge x : e.edges()) {
        String from = ids.get(x.first());
        String to = ids.get(x.then());
        if (from == null || to == null) {
          continue;
        }
        drawn.add(x.first() + "\n" + x.then());
        boolean inCycle = cycle.contains(x.first() + "\n" + x.then());
        String arrow = inCycle ? "==>" : x.strength() == Edge.Strength.DEFAULT ? "-.->" : "-->";
        sb.append("    ")
            .append(from)
            .append(' ')
            .append(arrow)
            .append('|')
            .append(Mermaid.label(edgeLabel(x)))
            .append("| ")
            .append(to)
            .append('\n');
        if (inCycle) {
          cycleLinks.add(String.valueOf(link));
        }
        link++;
      }
      for (int i = 0; i + 1 < e.startOrder().size(); i++) {
        String a = e.startOrder().get(i).name();
        String b = e.startOrder().get(i + 1).name();
        if (!drawn.contains(a + "\n" + b)) {
          // An invisible link: the sorted order lays the nodes out without claiming an edge.
          sb.append("    ").append(ids.get(a)).append(" ~~~ ").append(ids.get(b)).append('\n');
          link++;
        }
      }
      sb.append("  end\n");
      t++;
    }
    if (!cycleLinks.isEmpty()) {
      sb.append("  linkStyle ")
          .append(String.join(",", cycleLinks))
          .append(" stroke:#d62728,stroke-width:2px\n");
    }
    return sb.toString();
  }

  /** Node ids by container, in start order, then any other container an edge names. */
  private static Map<String, String> ids(WorkloadExplanation e, String prefix) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (WorkloadExplanation.Step s : e.startOrder()) {
      ids.putIfAbsent(s.name(), prefix + ids.size());
    }
    for (String c : e.cycle()) {
      ids.putIfAbsent(c, prefix + ids.size());
    }
    for (WorkloadExplanation.ExplainedEdge x : e.edges()) {
      ids.putIfAbsent(x.first(), prefix + ids.size());
      ids.putIfAbsent(x.then(), prefix + ids.size());
    }
    return ids;
  }

  private static Set<String> cycleEdges(WorkloadExplanation e) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 1 < e.cycle().size(); i++) {
      out.add(e.cycle().get(i) + "\n" + e.cycle().get(i + 1));
    }
    return out;
  }

  private static String clusterLabel(WorkloadExplanation e) {
    return "target "
        + e.target()
        + ": "
        + e.mode().yamlName()
        + " sidecars"
        + (e.cycle().isEmpty() ? "" : ", cycle: no order");
  }

  /** The lines of a node's label: its place in the start order and name, then its role. */
  private static List<String> nodeLabel(WorkloadExplanation e, String name) {
    for (int i = 0; i < e.startOrder().size(); i++) {
      WorkloadExplanation.Step s = e.startOrder().get(i);
      if (s.name().equals(name)) {
        return List.of((i + 1) + ". " + name, ExplainCommand.role(s));
      }
    }
    return List.of(name, "not in the pod");
  }

  private static String fill(WorkloadExplanation e, String name) {
    for (WorkloadExplanation.Step s : e.startOrder()) {
      if (s.name().equals(name)) {
        return switch (s.role()) {
          case INIT -> "#eeeeee";
          case APP -> "#d9f2d9";
          case PRE -> "#dbe8fb";
          case POST -> "#fde9cf";
        };
      }
    }
    return e.cycle().contains(name) ? "#f8d7d7" : "#ffffff";
  }

  private static String edgeLabel(WorkloadExplanation.ExplainedEdge x) {
    String origin = x.origin() == null ? x.source() : x.origin();
    return x.source().equals("kubernetes") || origin.startsWith(x.source())
        ? origin
        : x.source() + ": " + origin;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}

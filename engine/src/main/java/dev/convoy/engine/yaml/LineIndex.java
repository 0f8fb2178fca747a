package dev.convoy.engine.yaml;

import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds the source line of a path inside a document. Keeps SnakeYAML's node tree, so it is only
 * walked when an error message needs a line, never on the hot path.
 */
public final class LineIndex {
  static final LineIndex NONE = new LineIndex(null);

  private final Node root;

  LineIndex(Node root) {
    this.root = root;
  }

  /**
   * Resolves paths like {@code spec.sidecars[1].container.name}; falls back to the nearest parent.
   */
  public int lineOf(String path, int fallback) {
    if (root == null) {
      return fallback;
    }
    Node node = root;
    int line = root.getStartMark().getLine() + 1;
    for (String step : path.split("\\.")) {
      if (step.isEmpty()) {
        continue;
      }
      String key = step;
      Integer index = null;
      int bracket = step.indexOf('[');
      if (bracket >= 0) {
        key = step.substring(0, bracket);
        index = Integer.parseInt(step.substring(bracket + 1, step.indexOf(']')));
      }
      if (!key.isEmpty()) {
        node = child(node, key);
        if (node == null) {
          return line;
        }
        line = node.getStartMark().getLine() + 1;
      }
      if (index != null) {
        if (!(node instanceof SequenceNode seq) || index >= seq.getValue().size()) {
          return line;
        }
        node = seq.getValue().get(index);
        line = node.getStartMark().getLine() + 1;
      }
    }
    return line;
  }

  private static Node child(Node node, String key) {
    if (!(node instanceof MappingNode map)) {
      return null;
    }
    List<NodeTuple> tuples = map.getValue();
    for (NodeTuple t : tuples) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }
}

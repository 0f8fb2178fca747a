package dev.convoy.engine.facts;

import java.util.Map;

/** A Namespace object found in the sources; {@code namespaceSelector} matches its labels. */
public record NamespaceFact(String name, Map<String, String> labels) {
  public NamespaceFact {
    labels = Map.copyOf(labels);
  }
}

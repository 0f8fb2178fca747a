package dev.convoy.engine.yaml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Builds a file's documents straight from SnakeYAML's parser events, without the node graph and the
 * generic constructor in between (each value was built twice over, and keys three times). It takes
 * the plain subset manifests are written in: no anchors, aliases, explicit tags, merge keys,
 * collections as keys or duplicate keys. On anything else it throws {@link Unusual} and {@link
 * ManifestParser} parses the file the general way, so every result and error message is the general
 * path's. The trees are the same types: LinkedHashMap, ArrayList and SnakeYAML's own scalar values.
 */
final class EventTreeReader {
  /** The file needs the general path. */
  static final class Unusual extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unusual() {
      super(null, null, false, false);
    }
  }

  private static final Unusual UNUSUAL = new Unusual();

  /** Well below the composer's nesting limit, so the general path is the one to report it. */
  private static final int MAX_DEPTH = 100;

  private final Parser parser;
  private final Resolver resolver;
  private final ManifestParser.TreeConstructor scalars;
  private final SharedStrings strings;

  /** Children of the collections being built, so each is created at its final size. */
  private Object[] pending = new Object[64];

  private int top;

  EventTreeReader(
      Parser parser,
      Resolver resolver,
      ManifestParser.TreeConstructor scalars,
      SharedStrings strings) {
    this.parser = parser;
    this.resolver = resolver;
    this.scalars = scalars;
    this.strings = strings;
  }

  List<YamlDocument> read(String file) {
    List<YamlDocument> documents = new ArrayList<>();
    if (parser.checkEvent(Event.ID.StreamStart)) {
      parser.getEvent();
    }
    while (!parser.checkEvent(Event.ID.StreamEnd)) {
      parser.getEvent(); // document start
      int line = parser.peekEvent().getStartMark().getLine() + 1;
      Object content = node(1);
      parser.getEvent(); // document end
      documents.add(new YamlDocument(file, documents.size() + 1, line, content, LineIndex.NONE));
    }
    return documents;
  }

  private Object node(int depth) {
    if (depth > MAX_DEPTH) {
      throw UNUSUAL;
    }
    Event event = parser.getEvent();
    if (event instanceof ScalarEvent scalar) {
      return scalar(scalar, false);
    }
    if (event instanceof MappingStartEvent start) {
      plain(start);
      return mapping(depth);
    }
    if (event instanceof SequenceStartEvent start) {
      plain(start);
      return sequence(depth);
    }
    throw UNUSUAL; // an alias
  }

  private static void plain(CollectionStartEvent start) {
    if (start.getAnchor() != null || start.getTag() != null) {
      throw UNUSUAL;
    }
  }

  private Map<Object, Object> mapping(int depth) {
    int base = top;
    while (!parser.checkEvent(Event.ID.MappingEnd)) {
      if (!(parser.getEvent() instanceof ScalarEvent key)) {
        throw UNUSUAL;
      }
      push(scalar(key, true));
      push(node(depth + 1));
    }
    parser.getEvent();
    int n = (top - base) / 2;
    // The capacity a map of n entries ends at anyway, without the resizes on the way there.
    Map<Object, Object> map = new LinkedHashMap<>((n * 4 + 2) / 3);
    for (int i = base; i < top; i += 2) {
      map.put(pending[i], pending[i + 1]);
    }
    release(base);
    if (map.size() != n) {
      throw UNUSUAL; // a duplicate key: the general path names it
    }
    return map;
  }

  private List<Object> sequence(int depth) {
    int base = top;
    while (!parser.checkEvent(Event.ID.SequenceEnd)) {
      push(node(depth + 1));
    }
    parser.getEvent();
    List<Object> list = new ArrayList<>(top - base);
    for (int i = base; i < top; i++) {
      list.add(pending[i]);
    }
    release(base);
    return list;
  }

  private Object scalar(ScalarEvent event, boolean key) {
    if (event.getAnchor() != null || event.getTag() != null) {
      throw UNUSUAL;
    }
    String value = event.getValue();
    Tag tag = resolver.resolve(NodeId.scalar, value, event.getImplicit().canOmitTagInPlainScalar());
    if (tag.equals(Tag.STR)) {
      return key || value.length() <= SharedStrings.MAX_SHARED_VALUE ? strings.share(value) : value;
    }
    if (tag.equals(Tag.INT)
        || tag.equals(Tag.BOOL)
        || tag.equals(Tag.NULL)
        || tag.equals(Tag.FLOAT)) {
      return scalars.scalar(tag, event);
    }
    throw UNUSUAL; // a merge key, or a tag only the general path knows what to do with
  }

  private void push(Object value) {
    if (top == pending.length) {
      pending = Arrays.copyOf(pending, top * 2);
    }
    pending[top++] = value;
  }

  private void release(int base) {
    Arrays.fill(pending, base, top, null);
    top = base;
  }
}

package dev.convoy.engine.yaml;

import dev.convoy.engine.input.InputLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;

/**
 * Builds a file's documents straight from SnakeYAML's parser events into unmodifiable trees ({@link
 * YamlMap}, {@link YamlList}, scalars): no node graph, no generic constructor, and every rule
 * Convoy needs enforced on the way, with the line it is broken at.
 *
 * <ul>
 *   <li>Scalars: quoted ones are strings; plain ones are strings, {@code true}/{@code false},
 *       {@code null}, decimal integers and plainly written decimals when every YAML reader agrees,
 *       and a {@link PlainScalar} kept as written otherwise. Explicit {@code !!str}, {@code !!int},
 *       {@code !!float}, {@code !!bool}, {@code !!null}, {@code !!map}, {@code !!seq} are read; any
 *       other tag is an error (nothing is ever instantiated from a tag).
 *   <li>Duplicate keys are an error naming both lines. Merge keys ({@code <<}) merge as YAML 1.1
 *       says: the mapping's own keys win, then earlier merged mappings.
 *   <li>An alias is the anchored tree itself (trees are unmodifiable, so sharing is safe); the
 *       nodes aliases stand for are counted against {@link InputLimits#aliasExpansion()}, which
 *       stops an alias bomb before anything expands it.
 *   <li>Nesting depth, scalar length and documents per file are bounded by {@link InputLimits}.
 * </ul>
 */
final class TreeReader {
  /** A problem at a place in the file; {@link ManifestParser} turns it into an input error. */
  static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;
    final String what;

    Problem(Mark mark, String what) {
      this(mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1, what);
    }

    Problem(int line, int column, String what) {
      super(what, null, false, false);
      this.line = line;
      this.column = column;
      this.what = what;
    }
  }

  private static final String MAP_TAG = Tag.MAP.getValue();
  private static final String SEQ_TAG = Tag.SEQ.getValue();

  private final Parser parser;
  private final String file;
  private final InputLimits limits;
  private final SharedStrings strings;
  private final boolean positions;

  /** Children of the collections being built, so each is created at its final size. */
  private Object[] pending = new Object[64];

  /** The line of each pending key, for duplicate-key messages. */
  private int[] keyLines = new int[64];

  private int top;

  /** Per document: anchor name to the tree and how many nodes it stands for. */
  private final Map<String, Anchored> anchors = new HashMap<>();

  /** Anchors whose node is still being built: an alias to one is a recursive alias. */
  private final Set<String> open = new HashSet<>();

  /** Nodes built so far, every alias counting as the nodes it repeats. */
  private long expanded;

  /** Nodes aliases stood for so far in this file. */
  private long aliased;

  /** Path to line of every node of the current document, when positions are kept. */
  private Map<String, Integer> lines;

  private final StringBuilder path = new StringBuilder();

  /** The index of the document being read, 1-based. */
  int document;

  private record Anchored(Object value, long size) {}

  TreeReader(
      Parser parser, String file, InputLimits limits, SharedStrings strings, boolean positions) {
    this.parser = parser;
    this.file = file;
    this.limits = limits;
    this.strings = strings;
    this.positions = positions;
  }

  List<YamlDocument> read() {
    List<YamlDocument> documents = new ArrayList<>();
    parser.getEvent(); // stream start
    while (!parser.checkEvent(Event.ID.StreamEnd)) {
      Event start = parser.getEvent(); // document start
      document = documents.size() + 1;
      if (document > limits.documentsPerFile()) {
        throw new Problem(
            start.getStartMark(),
            "more than "
                + limits.documentsPerFile()
                + " documents in one file (limits.documentsPerFile)");
      }
      anchors.clear();
      open.clear();
      lines = positions ? new HashMap<>() : null;
      path.setLength(0);
      int line = parser.peekEvent().getStartMark().getLine() + 1;
      Object content = node(0, false);
      if (content instanceof PlainScalar p && p.isNull()) {
        content = null; // "--- ~" is an empty document
      }
      parser.getEvent(); // document end
      documents.add(
          new YamlDocument(
              file, document, line, content, positions ? new LineIndex(lines) : LineIndex.NONE));
    }
    return documents;
  }

  /** Reads one node; {@code depth} is the number of collections around it. */
  private Object node(int depth, boolean key) {
    Event event = parser.getEvent();
    if (lines != null && !key) {
      lines.putIfAbsent(path.toString(), event.getStartMark().getLine() + 1);
    }
    if (event instanceof ScalarEvent scalar) {
      expanded++;
      Object value = scalar(scalar, key);
      anchor(scalar, value, 1);
      return value;
    }
    if (event instanceof AliasEvent alias) {
      return alias(alias);
    }
    CollectionStartEvent start = (CollectionStartEvent) event;
    if (depth >= limits.nestingDepth()) {
      throw new Problem(
          start.getStartMark(),
          "nested deeper than " + limits.nestingDepth() + " levels (limits.nestingDepth)");
    }
    String anchor = start.getAnchor();
    if (anchor != null) {
      open.add(anchor);
    }
    long before = expanded++;
    Object value;
    if (start instanceof MappingStartEvent) {
      checkTag(start, MAP_TAG, "a mapping");
      value = mapping(depth + 1);
    } else {
      checkTag(start, SEQ_TAG, "a list");
      value = sequence(depth + 1);
    }
    if (anchor != null) {
      open.remove(anchor);
    }
    anchor(start, value, expanded - before);
    return value;
  }

  private void checkTag(CollectionStartEvent start, String allowed, String what) {
    String tag = start.getTag();
    if (tag != null && !tag.equals("!") && !tag.equals(allowed)) {
      throw new Problem(start.getStartMark(), "unsupported tag " + shortTag(tag) + " on " + what);
    }
  }

  private void anchor(NodeEvent event, Object value, long size) {
    if (event.getAnchor() != null) {
      anchors.put(event.getAnchor(), new Anchored(value, size));
    }
  }

  private Object alias(AliasEvent alias) {
    String name = alias.getAnchor();
    if (open.contains(name)) {
      throw new Problem(alias.getStartMark(), "alias *" + name + " refers to itself");
    }
    Anchored a = anchors.get(name);
    if (a == null) {
      throw new Problem(alias.getStartMark(), "alias *" + name + " has no anchor &" + name);
    }
    aliased += a.size;
    expanded += a.size;
    if (aliased > limits.aliasExpansion()) {
      throw new Problem(
          alias.getStartMark(),
          "aliases stand for more than "
              + limits.aliasExpansion()
              + " nodes (limits.aliasExpansion): an alias bomb?");
    }
    return a.value;
  }

  private Map<Object, Object> mapping(int depth) {
    int base = top;
    boolean merge = false;
    int parentLength = path.length();
    while (!parser.checkEvent(Event.ID.MappingEnd)) {
      Event keyEvent = parser.peekEvent();
      int keyLine = keyEvent.getStartMark().getLine() + 1;
      boolean isMerge = keyEvent instanceof ScalarEvent s && isMergeKey(s);
      Object key = isMerge ? Merge.KEY : node(depth, true);
      if (key instanceof Map<?, ?> || key instanceof List<?>) {
        throw new Problem(keyEvent.getStartMark(), "a mapping key must be a scalar");
      }
      if (isMerge) {
        parser.getEvent();
        merge = true;
      }
      if (lines != null) {
        if (parentLength > 0) {
          path.append('.');
        }
        path.append(key);
      }
      Object value = node(depth, false);
      path.setLength(parentLength);
      push(key, keyLine);
      push(value, 0);
    }
    parser.getEvent();
    Map<Object, Object> map = merge ? merged(base) : distinct(base);
    release(base);
    return map;
  }

  private static boolean isMergeKey(ScalarEvent s) {
    return s.getValue().equals("<<")
        && ((s.getTag() == null
                && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                && s.getImplicit().canOmitTagInPlainScalar())
            || Tag.MERGE.getValue().equals(s.getTag()));
  }

  /** The marker a merge key is pushed as. */
  private enum Merge {
    KEY
  }

  private YamlMap distinct(int base) {
    int[] duplicate = new int[2];
    YamlMap map = YamlMap.of(pending, base, (top - base) / 2, duplicate);
    if (map == null) {
      Object key = pending[base + 2 * duplicate[0]];
      throw duplicateKey(key, keyLines[base + 2 * duplicate[0]], keyLines[base + 2 * duplicate[1]]);
    }
    return map;
  }

  private Problem duplicateKey(Object key, int line, int earlier) {
    return new Problem(
        line,
        0,
        "duplicate key '" + key + "' (also at line " + earlier + "): YAML keys must be unique");
  }

  /** A mapping with merge keys, merged as YAML 1.1 (and SnakeYAML) merge them. */
  private YamlMap merged(int base) {
    List<Object> keys = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    Map<Object, Integer> index = new HashMap<>();
    Map<Object, Integer> explicitLine = new HashMap<>();
    for (int i = base; i < top; i += 2) {
      Object key = pending[i];
      Object value = pending[i + 1];
      if (key == Merge.KEY) {
        if (value instanceof Map<?, ?> m) {
          mergeFrom(m, keys, values, index);
        } else if (value instanceof List<?> list) {
          for (Object item : list) {
            if (!(item instanceof Map<?, ?> m)) {
              throw new Problem(keyLines[i], 0, "a merge key '<<' takes mappings only");
            }
            mergeFrom(m, keys, values, index);
          }
        } else {
          throw new Problem(
              keyLines[i], 0, "a merge key '<<' takes a mapping or a list of mappings");
        }
        continue;
      }
      Integer earlier = explicitLine.putIfAbsent(key, keyLines[i]);
      if (earlier != null) {
        throw duplicateKey(key, keyLines[i], earlier);
      }
      Integer at = index.get(key);
      if (at == null) {
        index.put(key, keys.size());
        keys.add(key);
        values.add(value);
      } else {
        values.set(at, value);
      }
    }
    return YamlMap.ofDistinct(keys.toArray(), values.toArray(), keys.size());
  }

  private void mergeFrom(
      Map<?, ?> from, List<Object> keys, List<Object> values, Map<Object, Integer> index) {
    from.forEach(
        (k, v) -> {
          if (!index.containsKey(k)) {
            index.put(k, keys.size());
            keys.add(k);
            values.add(v);
          }
        });
  }

  private List<Object> sequence(int depth) {
    int base = top;
    int parentLength = path.length();
    int i = 0;
    while (!parser.checkEvent(Event.ID.SequenceEnd)) {
      if (lines != null) {
        path.append('[').append(i).append(']');
      }
      push(node(depth, false), 0);
      path.setLength(parentLength);
      i++;
    }
    parser.getEvent();
    List<Object> list = YamlList.of(pending, base, top - base);
    release(base);
    return list;
  }

  private Object scalar(ScalarEvent event, boolean key) {
    String value = event.getValue();
    if (value.length() > limits.scalarLength()) {
      throw new Problem(
          event.getStartMark(),
          "a scalar of "
              + value.length()
              + " characters, more than "
              + limits.scalarLength()
              + " (limits.scalarLength)");
    }
    String tag = event.getTag();
    if (tag == null || tag.equals("!")) {
      boolean plain =
          tag == null
              && event.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
              && event.getImplicit().canOmitTagInPlainScalar();
      return plain ? plain(value, key) : string(value, key);
    }
    return tagged(event, tag, value, key);
  }

  private String string(String value, boolean key) {
    return key || value.length() <= SharedStrings.MAX_SHARED_VALUE ? strings.share(value) : value;
  }

  /** Longer integers stay as written: parsing and printing huge numbers is quadratic. */
  private static final int MAX_INTEGER_DIGITS = 40;

  private Object plain(String value, boolean key) {
    switch (value) {
      case "":
      case "null":
        return null;
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      default:
        break;
    }
    if (value.length() <= MAX_INTEGER_DIGITS && ScalarForms.isCanonicalInteger(value)) {
      return ScalarForms.integer(value);
    }
    if (ScalarForms.isPlainString(value)) {
      return string(value, key);
    }
    Double d = ScalarForms.canonicalDouble(value);
    return d != null ? d : new PlainScalar(string(value, key));
  }

  private Object tagged(ScalarEvent event, String tag, String value, boolean key) {
    Object out;
    if (tag.equals(Tag.STR.getValue())) {
      return string(value, key);
    } else if (tag.equals(Tag.INT.getValue())) {
      out = value.length() <= MAX_INTEGER_DIGITS ? ScalarForms.taggedInteger(value) : null;
    } else if (tag.equals(Tag.FLOAT.getValue())) {
      out = ScalarForms.taggedFloat(value);
    } else if (tag.equals(Tag.BOOL.getValue())) {
      out = ScalarForms.taggedBoolean(value);
    } else if (tag.equals(Tag.NULL.getValue())) {
      return null;
    } else {
      throw new Problem(event.getStartMark(), "unsupported tag " + shortTag(tag));
    }
    if (out == null) {
      throw new Problem(event.getStartMark(), "'" + value + "' is not a valid " + shortTag(tag));
    }
    return out;
  }

  /** {@code !!int} for {@code tag:yaml.org,2002:int}: the tag as it is written. */
  private static String shortTag(String tag) {
    return tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring(18) : tag;
  }

  private void push(Object value, int line) {
    if (top == pending.length) {
      pending = Arrays.copyOf(pending, top * 2);
      keyLines = Arrays.copyOf(keyLines, top * 2);
    }
    keyLines[top] = line;
    pending[top++] = value;
  }

  private void release(int base) {
    Arrays.fill(pending, base, top, null);
    top = base;
  }
}

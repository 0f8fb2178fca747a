package dev.convoy.engine.yaml;

import dev.convoy.engine.input.InputLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads a {@code .json} file (one value, or several one after another, as kubectl accepts) into the
 * same unmodifiable trees as {@link TreeReader}: duplicate keys are an error naming both lines,
 * numbers keep their written text unless Java prints them the same ({@code 1.50} and {@code 1e3}
 * stay as written), and the limits of {@link InputLimits} hold.
 */
final class JsonTreeReader {
  private static final JsonFactory DEFAULT_FACTORY = factory(InputLimits.DEFAULT);

  private final JsonParser parser;
  private final String file;
  private final InputLimits limits;
  private final SharedStrings strings;
  private final boolean positions;
  private Object[] pending = new Object[64];
  private int[] keyLines = new int[64];
  private int top;
  private Map<String, Integer> lines;
  private final StringBuilder path = new StringBuilder();
  int document;

  JsonTreeReader(
      String text, String file, InputLimits limits, SharedStrings strings, boolean positions) {
    JsonFactory factory = limits.equals(InputLimits.DEFAULT) ? DEFAULT_FACTORY : factory(limits);
    this.parser = factory.createParser(ObjectReadContext.empty(), text);
    this.file = file;
    this.limits = limits;
    this.strings = strings;
    this.positions = positions;
  }

  private static JsonFactory factory(InputLimits limits) {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                // Ours are checked as each token is read, with our messages; the file size
                // bounds the rest. Nesting: one more than ours, so ours comes first.
                .maxNestingDepth(limits.nestingDepth() + 1)
                .maxStringLength(Integer.MAX_VALUE)
                .maxNameLength(Integer.MAX_VALUE)
                .maxNumberLength(Integer.MAX_VALUE)
                .maxDocumentLength(-1)
                .maxTokenCount(-1)
                .build())
        .build();
  }

  List<YamlDocument> read() {
    List<YamlDocument> documents = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != null) {
      document = documents.size() + 1;
      int line = parser.currentTokenLocation().getLineNr();
      if (document > limits.documentsPerFile()) {
        throw new TreeReader.Problem(
            line,
            parser.currentTokenLocation().getColumnNr(),
            "more than "
                + limits.documentsPerFile()
                + " JSON values in one file (limits.documentsPerFile)");
      }
      lines = positions ? new HashMap<>() : null;
      path.setLength(0);
      Object content = value(token, 0);
      documents.add(
          new YamlDocument(
              file, document, line, content, positions ? new LineIndex(lines) : LineIndex.NONE));
    }
    return documents;
  }

  private Object value(JsonToken token, int depth) {
    if (lines != null) {
      lines.putIfAbsent(path.toString(), parser.currentTokenLocation().getLineNr());
    }
    switch (token) {
      case START_OBJECT:
        return object(depth);
      case START_ARRAY:
        return array(depth);
      case VALUE_STRING:
        return string(text(), false);
      case VALUE_NUMBER_INT:
        {
          String t = text();
          return t.length() <= 40 && ScalarForms.isCanonicalInteger(t)
              ? ScalarForms.integer(t)
              : new PlainScalar(t);
        }
      case VALUE_NUMBER_FLOAT:
        {
          String t = text();
          Double d = ScalarForms.canonicalDouble(t);
          return d != null ? d : new PlainScalar(t);
        }
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw problem("unexpected " + token);
    }
  }

  private String text() {
    String t = parser.getString();
    if (t.length() > limits.scalarLength()) {
      throw problem(
          "a value of "
              + t.length()
              + " characters, more than "
              + limits.scalarLength()
              + " (limits.scalarLength)");
    }
    return t;
  }

  private String string(String value, boolean key) {
    return key || value.length() <= SharedStrings.MAX_SHARED_VALUE ? strings.share(value) : value;
  }

  private void checkDepth(int depth) {
    if (depth >= limits.nestingDepth()) {
      throw problem(
          "nested deeper than " + limits.nestingDepth() + " levels (limits.nestingDepth)");
    }
  }

  private Map<Object, Object> object(int depth) {
    checkDepth(depth);
    int base = top;
    int parentLength = path.length();
    JsonToken t;
    while ((t = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
      int keyLine = parser.currentTokenLocation().getLineNr();
      String key = string(text(), true);
      if (lines != null) {
        if (parentLength > 0) {
          path.append('.');
        }
        path.append(key);
      }
      Object value = value(parser.nextToken(), depth + 1);
      path.setLength(parentLength);
      push(key, keyLine);
      push(value, 0);
    }
    int[] duplicate = new int[2];
    YamlMap map = YamlMap.of(pending, base, (top - base) / 2, duplicate);
    if (map == null) {
      int line = keyLines[base + 2 * duplicate[0]];
      int earlier = keyLines[base + 2 * duplicate[1]];
      Object key = pending[base + 2 * duplicate[0]];
      release(base);
      throw new TreeReader.Problem(
          line,
          0,
          "duplicate key '" + key + "' (also at line " + earlier + "): JSON keys must be unique");
    }
    release(base);
    return map;
  }

  private List<Object> array(int depth) {
    checkDepth(depth);
    int base = top;
    int parentLength = path.length();
    int i = 0;
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (lines != null) {
        path.append('[').append(i).append(']');
      }
      push(value(t, depth + 1), 0);
      path.setLength(parentLength);
      i++;
    }
    List<Object> list = YamlList.of(pending, base, top - base);
    release(base);
    return list;
  }

  private TreeReader.Problem problem(String what) {
    return new TreeReader.Problem(
        parser.currentTokenLocation().getLineNr(),
        parser.currentTokenLocation().getColumnNr(),
        what);
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

  /** Where and what a Jackson error is, without its source excerpt. */
  static TreeReader.Problem problem(JacksonException e) {
    var where = e.getLocation();
    String what = e.getOriginalMessage();
    return new TreeReader.Problem(
        where == null ? 0 : Math.max(where.getLineNr(), 0),
        where == null ? 0 : Math.max(where.getColumnNr(), 0),
        "invalid JSON: " + (what == null ? "unreadable" : what.lines().findFirst().orElse("")));
  }
}

package dev.convoy.engine.yaml;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Loads YAML files into documents of ordered maps, lists and scalars, safely: no global tags
 * (nothing instantiates classes), duplicate keys rejected, alias expansion bounded, and dates kept
 * as strings so a manifest's meaning survives a round trip.
 */
public final class ManifestParser {

  /** Whether to keep each document's node tree for {@link YamlDocument#lineOf(String)}. */
  public enum Positions {
    KEEP,
    DROP
  }

  /** Stateless after construction (only read by {@code resolve}), so one serves every thread. */
  private static final ManifestResolver RESOLVER = new ManifestResolver();

  private ManifestParser() {}

  /** Parses every document of a file; a syntax error names the file, line and document. */
  public static List<YamlDocument> parse(InputFile file, Positions positions)
      throws BadInputException {
    return parse(file, positions, new SharedStrings());
  }

  /**
   * As {@link #parse(InputFile, Positions)}, sharing equal keys and short values with every other
   * file parsed with the same {@code strings}.
   */
  public static List<YamlDocument> parse(InputFile file, Positions positions, SharedStrings strings)
      throws BadInputException {
    // Decoding the whole file at once is several times cheaper than an InputStreamReader's
    // small-buffer decoding; malformed bytes become U+FFFD either way.
    String text = new String(file.bytes(), StandardCharsets.UTF_8);
    if (positions == Positions.DROP) {
      try {
        return readEvents(file, text, strings);
      } catch (RuntimeException e) {
        // Unusual input or bad input: the general path below builds or reports it exactly.
      }
    }
    return parseGeneral(file, text, positions);
  }

  /** The fast path alone; throws on anything it leaves to {@link #parseGeneral}. */
  static List<YamlDocument> readEvents(InputFile file, String text, SharedStrings strings) {
    LoaderOptions options = loaderOptions();
    return new EventTreeReader(
            new ParserImpl(new StreamReader(new StringReader(text)), options),
            RESOLVER,
            new TreeConstructor(options),
            strings)
        .read(file.path());
  }

  /** Node graph, then SafeConstructor: anchors, merge keys, tags, and the error messages. */
  static List<YamlDocument> parseGeneral(InputFile file, String text, Positions positions)
      throws BadInputException {
    LoaderOptions options = loaderOptions();
    List<YamlDocument> documents = new ArrayList<>();
    int index = 0;
    try {
      StreamReader reader = new StreamReader(new StringReader(text));
      Composer composer = new Composer(new ParserImpl(reader, options), RESOLVER, options);
      TreeConstructor constructor = new TreeConstructor(options);
      while (composer.checkNode()) {
        index++;
        Node node = composer.getNode();
        Object content = isEmptyDocument(node) ? null : constructor.construct(node);
        int line = node.getStartMark().getLine() + 1;
        documents.add(
            new YamlDocument(
                file.path(),
                index,
                line,
                content,
                positions == Positions.KEEP ? new LineIndex(node) : LineIndex.NONE));
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? e.getContext() + ": " : "";
      throw new BadInputException(
          new InputError(
              file.path(),
              line,
              Math.max(index, 1),
              null,
              "invalid YAML: "
                  + context
                  + problem
                  + (mark == null ? "" : " (column " + (mark.getColumn() + 1) + ")")));
    } catch (YAMLException e) {
      throw new BadInputException(
          new InputError(
              file.path(), 0, Math.max(index, 1), null, "invalid YAML: " + e.getMessage()));
    }
    return documents;
  }

  private static boolean isEmptyDocument(Node node) {
    return node.getTag().equals(Tag.NULL) && node instanceof ScalarNode s && s.getValue().isEmpty();
  }

  static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(100);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(256 * 1024 * 1024);
    options.setNestingDepthLimit(200);
    // The default inspector refuses every global tag (!!java...); say so explicitly.
    options.setTagInspector(tag -> false);
    return options;
  }

  /** YAML 1.1 resolution as Kubernetes' decoder sees it, minus timestamps (kept as strings). */
  static final class ManifestResolver extends Resolver {
    /**
     * Answers the common case without a regular expression: SnakeYAML runs the patterns for every
     * plain scalar, keys included (each {@code name} tries NULL, every string tries EMPTY), and
     * that was the largest single cost of loading. A value that cannot start a number is a string
     * unless it is one of the bool, null or merge spellings; a plain decimal is an int. Everything
     * else goes through the patterns as before.
     */
    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
      if (kind == NodeId.scalar && implicit && !value.isEmpty()) {
        char c = value.charAt(0);
        if (isDecimal(value)) {
          return Tag.INT;
        }
        boolean numberStart = c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9');
        if (!numberStart) {
          return word(value);
        }
      }
      return super.resolve(kind, value, implicit);
    }

    /**
     * What the BOOL, NULL and MERGE patterns make of a value no number pattern accepts: they match
     * these exact spellings only. Keys such as {@code name} went through two regular expressions
     * each before.
     */
    private static Tag word(String value) {
      return switch (value) {
        case "yes",
            "Yes",
            "YES",
            "no",
            "No",
            "NO",
            "true",
            "True",
            "TRUE",
            "false",
            "False",
            "FALSE",
            "on",
            "On",
            "ON",
            "off",
            "Off",
            "OFF" ->
            Tag.BOOL;
        case "~", "null", "Null", "NULL", " " ->
            Tag.NULL; // NULL is tried on every value (its '\0' start)
        case "<<" -> Tag.MERGE;
        default -> Tag.STR;
      };
    }

    /**
     * {@code 0} or {@code [1-9][0-9]*}: what INT matches as a plain decimal (no sign, no
     * underscores).
     */
    private static boolean isDecimal(String value) {
      int n = value.length();
      if (n > 18 || (value.charAt(0) == '0' && n > 1)) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        char c = value.charAt(i);
        if (c < '0' || c > '9') {
          return false;
        }
      }
      return true;
    }

    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }

  /** Exposes SafeConstructor's per-document construction (merge keys, anchors) for one node. */
  static final class TreeConstructor extends SafeConstructor {
    TreeConstructor(LoaderOptions options) {
      super(options);
    }

    Object construct(Node node) {
      return constructDocument(node);
    }

    /** An int, bool, float or null scalar, built by the same code as in a whole document. */
    Object scalar(Tag tag, ScalarEvent event) {
      return yamlConstructors
          .get(tag)
          .construct(
              new ScalarNode(
                  tag,
                  true,
                  event.getValue(),
                  event.getStartMark(),
                  event.getEndMark(),
                  event.getScalarStyle()));
    }
  }
}

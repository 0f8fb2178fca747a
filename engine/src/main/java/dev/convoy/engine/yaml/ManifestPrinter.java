package dev.convoy.engine.yaml;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Prints documents the way kubectl does (block style, two-space indent, sequences not indented
 * under their key, multi-line strings as literal blocks), deterministically: the same tree always
 * prints the same bytes. Not thread-safe; use one per thread.
 */
public final class ManifestPrinter {
  /**
   * Bounds what the emitters remember across documents; a fleet's common strings fit well within.
   */
  private static final int MAX_WRITTEN = 50_000;

  private final Yaml yaml;
  private final Map<String, String> written = new HashMap<>();

  public ManifestPrinter() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    // Aliases are a loading convenience; rendered manifests spell everything out.
    options.setDereferenceAliases(true);
    options.setLineBreak(DumperOptions.LineBreak.UNIX);
    // A string with control characters is still a string: escape it rather than !!binary.
    options.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
    yaml =
        new Yaml(
            new SafeConstructor(new LoaderOptions()),
            new LiteralBlockRepresenter(options),
            options,
            new LoaderOptions(),
            new QuotingResolver());
  }

  /** One document, ending in a newline. */
  public String print(Object document) {
    StringBuilder sb = new StringBuilder();
    append(document, sb);
    return sb.toString();
  }

  /**
   * Appends one document. {@link BlockEmitter} writes the same bytes as SnakeYAML's emitter for the
   * trees we load, many times faster; SnakeYAML stays for what it does not handle.
   */
  private void append(Object document, StringBuilder out) {
    int start = out.length();
    if (written.size() > MAX_WRITTEN) {
      written.clear();
    }
    try {
      new BlockEmitter(out, written).document(document);
    } catch (BlockEmitter.Unsupported e) {
      out.setLength(start);
      out.append(yaml.dump(document));
    }
  }

  /** What SnakeYAML's emitter alone prints; tests compare {@link BlockEmitter} against it. */
  String printWithSnakeYaml(Object document) {
    return yaml.dump(document);
  }

  /** Several documents separated by {@code ---}. */
  public void printAll(List<?> documents, StringBuilder out) {
    boolean first = true;
    for (Object document : documents) {
      if (!first) {
        out.append("---\n");
      }
      first = false;
      append(document, out);
    }
  }

  /**
   * YAML 1.1 resolution, plus: a string some other reader would not take as that string when
   * written plain ({@link ScalarForms#isPlainString}) resolves to a non-string, so SnakeYAML quotes
   * it as {@link BlockEmitter} does.
   */
  private static final class QuotingResolver extends Resolver {
    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
      Tag tag = super.resolve(kind, value, implicit);
      if (kind == NodeId.scalar
          && implicit
          && tag.equals(Tag.STR)
          && !ScalarForms.isPlainString(value)) {
        return Tag.INT;
      }
      return tag;
    }
  }

  private static final class LiteralBlockRepresenter extends Representer {
    LiteralBlockRepresenter(DumperOptions options) {
      super(options);
      // Written as read, untagged: the tag is whatever the text resolves to, so it stays plain.
      representers.put(
          PlainScalar.class,
          data -> {
            String text = ((PlainScalar) data).text();
            return representScalar(
                new QuotingResolver().resolve(NodeId.scalar, text, true),
                text,
                DumperOptions.ScalarStyle.PLAIN);
          });
      Represent plain = representers.get(String.class);
      representers.put(
          String.class,
          data -> {
            String s = (String) data;
            if (s.indexOf('\u0085') >= 0 || s.indexOf('\u2028') >= 0 || s.indexOf('\u2029') >= 0) {
              return representScalar(Tag.STR, s, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
            }
            // Literal blocks cannot carry trailing spaces on a line or tabs faithfully; quote
            // those.
            if (s.indexOf('\n') >= 0
                && !s.contains(" \n")
                && !s.contains("\t")
                && !s.endsWith(" ")) {
              return representScalar(Tag.STR, s, DumperOptions.ScalarStyle.LITERAL);
            }
            return plain.representData(data);
          });
    }
  }
}

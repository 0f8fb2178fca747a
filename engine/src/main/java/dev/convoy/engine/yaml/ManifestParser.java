package dev.convoy.engine.yaml;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.input.InputLimits;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.parser.ParserImpl;
import tools.jackson.core.JacksonException;

/**
 * Loads YAML and JSON files into documents of unmodifiable ordered maps, lists and scalars, as
 * Kubernetes reads them and safely: strict UTF-8, no tags that instantiate anything, duplicate keys
 * rejected, unquoted scalars kept as written where YAML readers disagree ({@link PlainScalar}), a
 * tab after {@code key:} accepted as kubectl accepts it, and every {@link InputLimits limit}
 * enforced while reading, so any file loads in time linear in its size. {@code .json} files are
 * read as JSON, every other file as YAML.
 */
public final class ManifestParser {

  /** Whether to keep where each value starts, for {@link YamlDocument#lineOf(String)}. */
  public enum Positions {
    KEEP,
    DROP
  }

  private ManifestParser() {}

  /** Parses every document of a file with the default limits. */
  public static List<YamlDocument> parse(InputFile file, Positions positions)
      throws BadInputException {
    return parse(file, positions, new SharedStrings(), InputLimits.DEFAULT);
  }

  /**
   * As {@link #parse(InputFile, Positions)}, sharing equal keys and short values with every other
   * file parsed with the same {@code strings}.
   */
  public static List<YamlDocument> parse(InputFile file, Positions positions, SharedStrings strings)
      throws BadInputException {
    return parse(file, positions, strings, InputLimits.DEFAULT);
  }

  /** Parses every document of a file; any problem names the file, line and document. */
  public static List<YamlDocument> parse(
      InputFile file, Positions positions, SharedStrings strings, InputLimits limits)
      throws BadInputException {
    byte[] bytes = file.bytes();
    if (bytes.length > limits.fileBytes()) {
      throw new BadInputException(
          new InputError(
              file.path(),
              1,
              0,
              null,
              "the file is "
                  + describeSize(bytes.length)
                  + ", more than the limit of "
                  + describeSize(limits.fileBytes())
                  + " (limits.fileSize in convoy.yaml)"));
    }
    String text = decode(file);
    boolean keep = positions == Positions.KEEP;
    if (isJson(file.path())) {
      JsonTreeReader reader =
          new JsonTreeReader(
              text.startsWith("\uFEFF") ? text.substring(1) : text,
              file.path(),
              limits,
              strings,
              keep);
      try {
        return reader.read();
      } catch (TreeReader.Problem p) {
        throw bad(file, p, reader.document);
      } catch (JacksonException e) {
        throw bad(file, JsonTreeReader.problem(e), reader.document);
      }
    }
    SourceReader.Text source = SourceReader.Text.of(text);
    int[] codePoints = source.codePoints();
    int unprintable = source.firstUnprintable();
    if (unprintable >= 0) {
      int[] at = lineAndColumn(codePoints, unprintable);
      throw new BadInputException(
          new InputError(
              file.path(),
              at[0],
              at[1],
              0,
              null,
              String.format(
                  Locale.ROOT,
                  "invalid YAML: the character U+%04X is not allowed (write it as an escape in"
                      + " double quotes)",
                  codePoints[unprintable])));
    }
    SourceReader stream = new SourceReader(file.path(), source, limits.scalarLength());
    TreeReader reader =
        new TreeReader(new ParserImpl(stream, loaderOptions()), file.path(), limits, strings, keep);
    try {
      return reader.read();
    } catch (TreeReader.Problem p) {
      throw bad(file, p, reader.document);
    } catch (SourceReader.TokenTooLong t) {
      throw bad(
          file,
          new TreeReader.Problem(
              t.line,
              t.column,
              "a token (scalar, key, comment or run of blanks) longer than "
                  + limits.scalarLength()
                  + " characters (limits.scalarLength)"),
          reader.document);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? e.getContext() + ": " : "";
      throw bad(
          file,
          new TreeReader.Problem(mark, "invalid YAML: " + context + problem),
          reader.document);
    } catch (YAMLException e) {
      throw bad(
          file,
          new TreeReader.Problem(
              stream.getLine() + 1, stream.getColumn() + 1, "invalid YAML: " + e.getMessage()),
          reader.document);
    }
  }

  /** True for the files read as JSON: {@code .json}, in any case. */
  public static boolean isJson(String path) {
    return path.toLowerCase(Locale.ROOT).endsWith(".json");
  }

  private static BadInputException bad(InputFile file, TreeReader.Problem p, int document) {
    return new BadInputException(
        new InputError(file.path(), p.line, p.column, Math.max(document, 1), null, p.what));
  }

  /** A size as people read it: {@code 16 MiB}, {@code 512 KiB}, {@code 200.3 MiB}. */
  public static String describeSize(long bytes) {
    if (bytes >= InputLimits.MIB) {
      double mib = bytes / (double) InputLimits.MIB;
      return (mib == Math.rint(mib)
              ? String.valueOf((long) mib)
              : String.format(Locale.ROOT, "%.1f", mib))
          + " MiB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + " KiB";
    }
    return bytes + " bytes";
  }

  /**
   * The file as text. Malformed UTF-8 is an error at its line and column: silently replacing it
   * with U+FFFD would change the value Convoy writes back.
   */
  private static String decode(InputFile file) throws BadInputException {
    byte[] bytes = file.bytes();
    // Decoding the whole file at once is several times cheaper than a strict decoder; a U+FFFD
    // in the result is either written in the file or stands for malformed bytes.
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') < 0) {
      return text;
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      return text;
    }
    int offset = in.position();
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    String before = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8);
    int column = before.codePointCount(0, before.length()) + 1;
    throw new BadInputException(
        new InputError(
            file.path(),
            line,
            column,
            0,
            null,
            String.format(
                Locale.ROOT,
                "invalid UTF-8: byte 0x%02X does not start or continue a character (save the"
                    + " file as UTF-8)",
                bytes[offset] & 0xFF)));
  }

  /** 1-based line and column of the code point at {@code index}, as SnakeYAML counts them. */
  private static int[] lineAndColumn(int[] codePoints, int index) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < index; i++) {
      int c = codePoints[i];
      if (c == '\n'
          || c == 0x85
          || c == 0x2028
          || c == 0x2029
          || (c == '\r' && (i + 1 >= codePoints.length || codePoints[i + 1] != '\n'))) {
        line++;
        column = 1;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
    return new int[] {line, column};
  }

  /** Limits are ours ({@link InputLimits}); the parser itself only needs comments dropped. */
  static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setProcessComments(false);
    options.setCodePointLimit(Integer.MAX_VALUE);
    return options;
  }
}

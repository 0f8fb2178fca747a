package dev.convoy.engine.yaml;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Writes loaded trees (ordered maps, lists, and String, Integer, Long, BigInteger, Double, Boolean,
 * {@link PlainScalar} and null scalars) as block YAML, byte for byte the way SnakeYAML's emitter
 * does with {@link ManifestPrinter}'s options, about ten times faster: no event objects, no node
 * tree, one pass over each string. Anything else it meets (another scalar type, a mapping or list
 * used as a key, a key SnakeYAML would write as a complex key) makes it give up with {@link
 * Unsupported}, and the caller falls back to SnakeYAML.
 *
 * <p>Where the output differs from SnakeYAML's: a string holding a byte order mark (U+FEFF) is
 * double-quoted with the mark escaped, because SnakeYAML writes it plain, and at the start of a
 * document a parser drops it as the stream's BOM. (Control characters are escaped in double quotes,
 * as {@link ManifestPrinter} asks SnakeYAML to do too, instead of {@code !!binary}.) A string is
 * written plain only when every YAML reader takes the plain form for that string ({@link
 * ScalarForms#isPlainString}); a {@link PlainScalar} is written exactly as it was read.
 */
final class BlockEmitter {
  /** SnakeYAML writes a key as {@code ? key} from this length on; we leave that to SnakeYAML. */
  private static final int MAX_SIMPLE_KEY = 120;

  /** Thrown when the tree holds something only SnakeYAML writes. */
  static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String what) {
      super(what, null, false, false);
    }
  }

  /** Strings up to this length are remembered with how they were written. */
  static final int MAX_REMEMBERED = 64;

  private final StringBuilder out;

  /**
   * Short single-line strings already written, and how: a key or a plain value is written the same
   * way every time, and the same few hundred keys and values make up most of a fleet.
   */
  private final Map<String, String> written;

  BlockEmitter(StringBuilder out) {
    this(out, new java.util.HashMap<>());
  }

  BlockEmitter(StringBuilder out, Map<String, String> written) {
    this.out = out;
    this.written = written;
  }

  /** One document (a mapping or a list at the root), ending in a newline. */
  void document(Object root) {
    if (root instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}\n");
      } else {
        mapping(map, 0, false);
      }
    } else if (root instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]\n");
      } else {
        sequence(list, 0, false);
      }
    } else if (root instanceof String s && (Scalar.isMultiline(s) || hasUnicodeBreak(s))) {
      throw new Unsupported("a multi-line scalar document");
    } else {
      // A scalar alone: not a manifest, but it prints as read.
      scalar(root, 2);
      out.append('\n');
    }
  }

  /**
   * Writes the entries of a non-empty mapping at {@code indent}. {@code inline}: the first key goes
   * on the current line (after {@code "- "}), the rest on new lines.
   */
  private void mapping(Map<?, ?> map, int indent, boolean inline) {
    // forEach, not entrySet(): a LinkedHashMap keeps the entry-set view it hands out, which
    // would add an object to every mapping of every tree we print.
    boolean[] first = {true};
    map.forEach(
        (k, v) -> {
          if (!(first[0] && inline)) {
            indent(indent);
          }
          first[0] = false;
          if (needsExplicitKey(k)) {
            // "? key" then ": value": what a long, empty or multi-line key needs.
            out.append("? ");
            explicitKey(k);
            out.append('\n');
            indent(indent);
          } else {
            key(k);
          }
          out.append(':');
          value(v, indent, true);
        });
  }

  /** Writes the items of a non-empty list whose dashes sit at {@code indent}. */
  private void sequence(List<?> list, int indent, boolean inline) {
    boolean first = true;
    for (Object item : list) {
      if (!(first && inline)) {
        indent(indent);
      }
      first = false;
      out.append('-');
      value(item, indent, false);
    }
  }

  /**
   * Writes a value after {@code "key:"} or {@code "-"}; {@code indent} is the indentation of that
   * key or dash. Block collections under a key start on the next line (a list's dashes at the key's
   * indentation, as kubectl does); under a dash they start on the same line.
   */
  private void value(Object value, int indent, boolean underKey) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append(" {}\n");
      } else if (underKey) {
        out.append('\n');
        mapping(map, indent + 2, false);
      } else {
        out.append(' ');
        mapping(map, indent + 2, true);
      }
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append(" []\n");
      } else if (underKey) {
        out.append('\n');
        sequence(list, indent, false);
      } else {
        out.append(' ');
        sequence(list, indent + 2, true);
      }
    } else {
      out.append(' ');
      scalar(value, indent + 2);
      out.append('\n');
    }
  }

  private static final String SPACES = " ".repeat(64);

  private void indent(int n) {
    for (int left = n; left > 0; left -= SPACES.length()) {
      out.append(SPACES, 0, Math.min(left, SPACES.length()));
    }
  }

  /** Keys YAML cannot write as {@code key:} on one line, or SnakeYAML would not. */
  private static boolean needsExplicitKey(Object key) {
    if (key instanceof String s) {
      return s.isEmpty()
          || s.length() >= MAX_SIMPLE_KEY
          || Scalar.isMultiline(s)
          || hasUnicodeBreak(s);
    }
    return key instanceof PlainScalar p && p.text().length() >= MAX_SIMPLE_KEY;
  }

  private void explicitKey(Object key) {
    if (key instanceof PlainScalar p) {
      plainAsWritten(p);
    } else {
      String s = (String) key;
      if (Scalar.isMultiline(s) || hasUnicodeBreak(s)) {
        doubleQuoted(s);
      } else {
        singleLine(s, Scalar.analyze(s));
      }
    }
  }

  private void key(Object key) {
    if (key instanceof String s) {
      // Everything remembered is non-empty, short and on one line: fine as a key.
      String known = written.get(s);
      if (known != null) {
        out.append(known);
        return;
      }
      if (s.isEmpty()
          || s.length() >= MAX_SIMPLE_KEY
          || Scalar.isMultiline(s)
          || hasUnicodeBreak(s)) {
        throw new Unsupported("a long or multi-line key");
      }
      singleLine(s, Scalar.analyze(s));
    } else if (key instanceof PlainScalar p) {
      if (p.text().length() >= MAX_SIMPLE_KEY) {
        throw new Unsupported("a long key");
      }
      plainAsWritten(p);
    } else if (key == null
        || key instanceof Boolean
        || key instanceof Integer
        || key instanceof Long
        || key instanceof BigInteger
        || key instanceof Double) {
      scalar(key, 0);
    } else {
      throw new Unsupported("a " + key.getClass().getSimpleName() + " key");
    }
  }

  /** A scalar value; a literal block's lines are indented by {@code blockIndent}. */
  private void scalar(Object value, int blockIndent) {
    if (value instanceof String s) {
      string(s, blockIndent);
    } else if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof PlainScalar p) {
      plainAsWritten(p);
    } else if (value instanceof Double d) {
      if (d.isNaN()) {
        out.append(".NaN");
      } else if (d.isInfinite()) {
        out.append(d > 0 ? ".inf" : "-.inf");
      } else {
        out.append(d);
      }
    } else {
      throw new Unsupported("a " + value.getClass().getSimpleName() + " value");
    }
  }

  /** A scalar read unquoted and kept as written, so every reader reads it as it read the source. */
  private void plainAsWritten(PlainScalar p) {
    String t = p.text();
    if (hasUnicodeBreak(t) || !Scalar.analyze(t, true).allowBlockPlain) {
      throw new Unsupported("a plain scalar block context cannot hold");
    }
    out.append(t);
  }

  private void string(String s, int blockIndent) {
    String known = written.get(s);
    if (known != null) {
      out.append(known);
      return;
    }
    if (hasUnicodeBreak(s)) {
      // NEL, LS and PS are line breaks to YAML 1.1 and not to 1.2: escaped in double quotes,
      // every reader reads them back (ManifestPrinter makes SnakeYAML do the same).
      doubleQuoted(s);
      return;
    }
    Scalar a = Scalar.analyze(s);
    if (a.multiline) {
      // SnakeYAML asks for a literal block for every multi-line string and writes one when
      // the text allows it (no trailing or space-before-break spaces, no special characters).
      if (a.allowBlock) {
        literal(s, blockIndent);
      } else {
        doubleQuoted(s);
      }
    } else {
      singleLine(s, a);
    }
  }

  /** A string without line breaks, as a key or a value: plain when it can be, else quoted. */
  private void singleLine(String s, Scalar a) {
    int start = out.length();
    boolean plain = a.allowBlockPlain && resolvesToString(s);
    if (plain) {
      out.append(s);
    } else if (a.allowSingleQuoted) {
      singleQuoted(s);
    } else {
      doubleQuoted(s);
    }
    if (!s.isEmpty() && s.length() <= MAX_REMEMBERED) {
      written.put(s, plain ? s : out.substring(start));
    }
  }

  private static boolean hasUnicodeBreak(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return true;
      }
    }
    return false;
  }

  private static boolean resolvesToString(String s) {
    return ScalarForms.isPlainString(s);
  }

  private void singleQuoted(String s) {
    out.append('\'');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        out.append('\'');
      }
      out.append(c);
    }
    out.append('\'');
  }

  private void doubleQuoted(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c <= 0x7E && c != '"' && c != '\\') {
        out.append(c);
        continue;
      }
      String escape = escape(c);
      if (escape != null) {
        out.append('\\').append(escape);
        continue;
      }
      int cp = c;
      if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
        cp = Character.toCodePoint(c, s.charAt(i + 1));
      }
      if (isPrintable(cp) && c != '\uFEFF') {
        out.appendCodePoint(cp);
        if (Character.charCount(cp) == 2) {
          i++;
        }
      } else if (c <= 0xFF) {
        out.append("\\x").append(hex(c, 2));
      } else if (Character.charCount(cp) == 2) {
        i++;
        out.append("\\U").append(hex(cp, 8));
      } else {
        out.append("\\u").append(hex(c, 4));
      }
    }
    out.append('"');
  }

  private static String hex(int value, int digits) {
    String h = Integer.toHexString(value);
    return "0".repeat(Math.max(0, digits - h.length())) + h;
  }

  /** SnakeYAML's short escapes in double-quoted scalars. */
  private static String escape(char c) {
    return switch (c) {
      case '\0' -> "0";
      case '\u0007' -> "a";
      case '\b' -> "b";
      case '\t' -> "t";
      case '\n' -> "n";
      case '\u000B' -> "v";
      case '\f' -> "f";
      case '\r' -> "r";
      case '\u001B' -> "e";
      case '"' -> "\"";
      case '\\' -> "\\";
      case '\u0085' -> "N";
      case '\u00A0' -> "_";
      case '\u2028' -> "L";
      case '\u2029' -> "P";
      default -> null;
    };
  }

  /** What YAML can carry unescaped (SnakeYAML's {@code StreamReader.isPrintable}). */
  static boolean isPrintable(int c) {
    return (c >= 0x20 && c <= 0x7E)
        || c == 0x9
        || c == 0xA
        || c == 0xD
        || c == 0x85
        || (c >= 0xA0 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }

  /** A literal block ({@code |}, {@code |-}, {@code |+}) with the chomping the text needs. */
  private void literal(String s, int indent) {
    out.append('|');
    if (isBreak(s.charAt(0)) || s.charAt(0) == ' ') {
      // Leading spaces or breaks would be taken for indentation: say how much there is.
      out.append('2');
    }
    char last = s.charAt(s.length() - 1);
    if (!isBreak(last)) {
      out.append('-');
    } else if (s.length() == 1 || isBreak(s.charAt(s.length() - 2))) {
      out.append('+');
    }
    out.append('\n');
    boolean breaks = true;
    int start = 0;
    for (int end = 0; end <= s.length(); end++) {
      char c = end < s.length() ? s.charAt(end) : 0;
      boolean atEnd = end == s.length();
      if (breaks) {
        if (atEnd || !isBreak(c)) {
          for (int i = start; i < end; i++) {
            lineBreak(s.charAt(i));
          }
          if (!atEnd) {
            indent(indent);
          }
          start = end;
        }
      } else if (atEnd || isBreak(c)) {
        out.append(s, start, end);
        if (atEnd) {
          out.append('\n');
        }
        start = end;
      }
      if (!atEnd) {
        breaks = isBreak(c);
      }
    }
    // The newline after the value is written by the caller; a block already ended its line.
    out.setLength(out.length() - 1);
  }

  private void lineBreak(char c) {
    if (c == '\n') {
      out.append('\n');
    } else {
      out.append(c);
    }
  }

  static boolean isBreak(int c) {
    return c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** SnakeYAML's {@code analyzeScalar}, reduced to what block context needs. */
  private static final class Scalar {
    boolean empty;
    boolean multiline;
    boolean allowBlockPlain = true;
    boolean allowSingleQuoted = true;
    boolean allowBlock = true;

    static boolean isMultiline(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (isBreak(s.charAt(i))) {
          return true;
        }
      }
      return false;
    }

    private static final Scalar EMPTY = new Scalar();

    static {
      EMPTY.empty = true;
      EMPTY.allowBlockPlain = false;
      EMPTY.allowBlock = false;
    }

    static Scalar analyze(String s) {
      return analyze(s, false);
    }

    /**
     * {@code asWritten}: for a scalar that was read plain, where SnakeYAML's refusal to write
     * {@code 0755} plain (it would read back as a number) does not apply.
     */
    static Scalar analyze(String s, boolean asWritten) {
      if (s.isEmpty()) {
        return EMPTY;
      }
      boolean blockIndicators = false;
      boolean lineBreaks = false;
      boolean special = false;
      boolean leadingSpace = false;
      boolean leadingBreak = false;
      boolean trailingSpace = false;
      boolean trailingBreak = false;
      boolean breakSpace = false;
      boolean spaceBreak = false;
      if (s.startsWith("---") || s.startsWith("...")) {
        blockIndicators = true;
      }
      boolean precededByWhitespace = true;
      int n = s.length();
      // As SnakeYAML computes it, quirks included: the flag for the next character also
      // holds when the current one is a line break.
      boolean followedByWhitespace =
          n == 1 || isBlankOrBreak(s.codePointAt(1)) || s.charAt(1) == '\r';
      boolean previousSpace = false;
      boolean previousBreak = false;
      int i = 0;
      while (i < n) {
        int c = s.codePointAt(i);
        if (i == 0) {
          if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
            blockIndicators = true;
          }
          if ((c == '?' || c == ':') && followedByWhitespace) {
            blockIndicators = true;
          }
          if (c == '-' && followedByWhitespace) {
            blockIndicators = true;
          }
        } else {
          if (c == ':' && followedByWhitespace) {
            blockIndicators = true;
          }
          if (c == '#' && precededByWhitespace) {
            blockIndicators = true;
          }
        }
        boolean isBreak = isBreak(c);
        if (isBreak) {
          lineBreaks = true;
        }
        if (!(c == '\n' || (c >= 0x20 && c <= 0x7E))) {
          // Unlike SnakeYAML, a byte order mark is special: written plain at the start of a
          // document, a parser takes it for the stream's BOM and drops it.
          boolean unicode =
              c == 0x85
                  || (c >= 0xA0 && c <= 0xD7FF)
                  || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF)
                  || (c >= 0x10000 && c <= 0x10FFFF);
          if (!unicode) {
            special = true;
          }
        }
        if (c == ' ') {
          if (i == 0) {
            leadingSpace = true;
          }
          if (i == n - 1) {
            trailingSpace = true;
          }
          if (previousBreak) {
            breakSpace = true;
          }
          previousSpace = true;
          previousBreak = false;
        } else if (isBreak) {
          if (i == 0) {
            leadingBreak = true;
          }
          if (i == n - 1) {
            trailingBreak = true;
          }
          if (previousSpace) {
            spaceBreak = true;
          }
          previousSpace = false;
          previousBreak = true;
        } else {
          previousSpace = false;
          previousBreak = false;
        }
        i += Character.charCount(c);
        precededByWhitespace = isBlankOrBreak(c);
        followedByWhitespace = true;
        if (i + 1 < n) {
          int j = i + Character.charCount(s.codePointAt(i));
          if (j < n) {
            followedByWhitespace = isBlankOrBreak(s.codePointAt(j)) || isBreak;
          }
        }
      }
      Scalar a = new Scalar();
      a.multiline = lineBreaks;
      if (leadingSpace
          || leadingBreak
          || trailingSpace
          || trailingBreak
          || (!asWritten && hasLeadingZero(s))) {
        a.allowBlockPlain = false;
      }
      if (trailingSpace) {
        a.allowBlock = false;
      }
      if (breakSpace) {
        a.allowBlockPlain = false;
        a.allowSingleQuoted = false;
      }
      if (spaceBreak || special) {
        a.allowBlockPlain = false;
        a.allowSingleQuoted = false;
        a.allowBlock = false;
      }
      if (lineBreaks || blockIndicators) {
        a.allowBlockPlain = false;
      }
      return a;
    }

    /** SnakeYAML's NULL_BL_T plus LINEBR (no carriage return). */
    private static boolean isBlankOrBreak(int c) {
      return c == 0 || c == ' ' || c == '\t' || isBreak(c);
    }

    /** {@code 0} followed only by digits and underscores: SnakeYAML never writes that plain. */
    private static boolean hasLeadingZero(String s) {
      if (s.length() <= 1 || s.charAt(0) != '0') {
        return false;
      }
      for (int i = 1; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!((c >= '0' && c <= '9') || c == '_')) {
          return false;
        }
      }
      return true;
    }
  }
}

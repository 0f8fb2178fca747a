package dev.convoy.engine.yaml;

import java.io.Reader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's reader over a whole file already in memory, for two reasons.
 *
 * <p>Linear time: SnakeYAML's own reader refills a sliding window 1,024 characters at a time and
 * copies everything still unconsumed each time, so a token of n characters costs n²/1,024 copies (a
 * 4 MB scalar took 15 s). Here every code point is decoded once into one array.
 *
 * <p>Tabs as kubectl reads them: YAML allows a tab wherever it separates tokens on a line and
 * forbids it only as indentation, but SnakeYAML refuses one after {@code key:} ("Do not use TAB for
 * indentation"). A tab that follows something other than blanks on its line is reported to the
 * scanner as a space; the characters of every scalar still come from the text itself, so a tab
 * inside a value is kept. (One after a backslash is left alone: in double quotes it is an escape.)
 *
 * <p>It also stops a runaway token early: looking further ahead than {@code maxToken} characters
 * throws {@link TokenTooLong}.
 */
final class SourceReader extends StreamReader {
  /** The scanner looked further ahead than a scalar may be long. */
  static final class TokenTooLong extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    TokenTooLong(int line, int column) {
      super(null, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  private static final Reader NOTHING = Reader.nullReader();

  private final String name;
  private final int[] text;
  private final int length;
  private final int maxToken;

  /** Tabs to report as spaces; null when the text has none. */
  private final java.util.BitSet separatingTabs;

  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  /**
   * A file's text as the reader needs it, made in one pass over its characters (three passes cost a
   * tenth of loading a large repo): its code points, the index of the first one YAML forbids
   * (SnakeYAML's {@link StreamReader#isPrintable(int)}) or -1, and the tabs to report as spaces
   * (those that follow something other than blanks on their line and are not escaped by a
   * backslash), null when there are none.
   */
  record Text(int[] codePoints, int firstUnprintable, java.util.BitSet separatingTabs) {
    static Text of(String text) {
      int n = text.length();
      char[] chars = new char[n];
      text.getChars(0, n, chars, 0);
      int[] out = new int[n];
      int count = 0;
      int unprintable = -1;
      java.util.BitSet tabs = null;
      boolean content = false;
      for (int i = 0; i < n; i++) {
        int c = chars[i];
        if (c >= 0x21 && c <= 0x7E) {
          content = true; // the common case: printable ASCII other than a blank
        } else if (c == ' ') {
          // a blank keeps the line's state
        } else if (c == '\t') {
          if (content && chars[i - 1] != '\\') {
            if (tabs == null) {
              tabs = new java.util.BitSet();
            }
            tabs.set(count);
          }
        } else if (isLineBreak(c)) {
          content = false;
        } else {
          if (Character.isHighSurrogate((char) c)
              && i + 1 < n
              && Character.isLowSurrogate(chars[i + 1])) {
            c = Character.toCodePoint((char) c, chars[++i]);
          }
          if (unprintable < 0 && !StreamReader.isPrintable(c)) {
            unprintable = count;
          }
          content = true;
        }
        out[count++] = c;
      }
      return new Text(count == n ? out : java.util.Arrays.copyOf(out, count), unprintable, tabs);
    }
  }

  /** {@code text} must be printable: {@link Text#firstUnprintable} is checked beforehand. */
  SourceReader(String name, Text text, int maxToken) {
    super(NOTHING);
    this.name = name;
    this.text = text.codePoints();
    this.length = this.text.length;
    this.maxToken = maxToken;
    this.separatingTabs = text.separatingTabs();
  }

  @Override
  public Mark getMark() {
    return new Mark(name, index, line, column, text, pointer);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int n) {
    for (int i = 0; i < n && pointer < length; i++) {
      int c = text[pointer++];
      index++;
      documentIndex++;
      if (Constant.LINEBR.has(c) || (c == '\r' && pointer < length && text[pointer] != '\n')) {
        line++;
        column = 0;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return pointer < length ? separator(pointer) : 0;
  }

  @Override
  public int peek(int ahead) {
    if (ahead > maxToken) {
      throw new TokenTooLong(line + 1, column + 1);
    }
    int at = pointer + ahead;
    return at < length ? separator(at) : 0;
  }

  /** The code point at {@code at}, with a separating tab reported as a space. */
  private int separator(int at) {
    int c = text[at];
    return c == '\t' && separatingTabs != null && separatingTabs.get(at) ? ' ' : c;
  }

  private static boolean isLineBreak(int c) {
    return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  @Override
  public String prefix(int n) {
    if (n == 0) {
      return "";
    }
    return new String(text, pointer, Math.min(n, length - pointer));
  }

  @Override
  public String prefixForward(int n) {
    String s = prefix(n);
    pointer += n;
    index += n;
    documentIndex += n;
    column += n;
    return s;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }
}

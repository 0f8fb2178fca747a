package dev.convoy.cli;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown as GitHub and GitLab render it in comments, written so that nothing in a value can
 * change the page: code spans with a fence longer than any backtick run inside, escaped punctuation
 * and mentions in text, escaped pipes in tables, escaped HTML in {@code <summary>}.
 */
final class Markdown {
  private static final Pattern BACKTICKS = Pattern.compile("`+");
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/:@+=%~-]+");
  private static final Pattern HIDDEN = Pattern.compile("<(hidden|redacted) sha256:[0-9a-f]{8}>");

  private Markdown() {}

  /** An inline code span, on one line, at most {@code max} characters of {@code text}. */
  static String code(String text, int max) {
    String s = oneLine(text, max);
    int longest = 0;
    Matcher m = BACKTICKS.matcher(s);
    while (m.find()) {
      longest = Math.max(longest, m.group().length());
    }
    String fence = "`".repeat(longest + 1);
    boolean pad = s.startsWith("`") || s.endsWith("`") || s.isBlank();
    return fence + (pad ? " " : "") + s + (pad ? " " : "") + fence;
  }

  static String code(String text) {
    return code(text, 200);
  }

  /** Plain text with Markdown punctuation, HTML and {@code @mentions} made inert, on one line. */
  static String text(String text) {
    StringBuilder sb = new StringBuilder();
    for (char c : oneLine(text, 2000).toCharArray()) {
      switch (c) {
        case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '!', '$' ->
            sb.append('\\').append(c);
        case '@' -> sb.append("&#64;");
        case '&' -> sb.append("&amp;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Text for HTML (a {@code <summary>}). */
  static String html(String text) {
    return oneLine(text, 2000)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("@", "&#64;");
  }

  /** A table cell: pipes escaped (GitHub needs it inside code spans too). */
  static String cell(String markdown) {
    return markdown.replace("|", "\\|");
  }

  /** A value of a manifest, YAML flow style, on one line, shortened to {@code max} characters. */
  static String value(Object value, int max) {
    StringBuilder sb = new StringBuilder();
    flow(value, sb, max + 1);
    return shorten(sb.toString(), max);
  }

  private static void flow(Object v, StringBuilder sb, int budget) {
    if (sb.length() > budget) {
      return;
    }
    if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(first ? "" : ", ");
        first = false;
        scalar(String.valueOf(e.getKey()), sb);
        sb.append(": ");
        flow(e.getValue(), sb, budget);
        if (sb.length() > budget) {
          return;
        }
      }
      sb.append('}');
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        sb.append(i == 0 ? "" : ", ");
        flow(list.get(i), sb, budget);
        if (sb.length() > budget) {
          return;
        }
      }
      sb.append(']');
    } else if (v instanceof String s) {
      scalar(s, sb);
    } else {
      sb.append(v);
    }
  }

  private static void scalar(String s, StringBuilder sb) {
    if (HIDDEN.matcher(s).matches()) {
      sb.append(s);
      return;
    }
    if (PLAIN.matcher(s).matches()
        && !s.matches("(?i)true|false|null|yes|no|on|off|~|[-+]?[0-9][0-9_.eE+-]*")) {
      sb.append(s);
      return;
    }
    sb.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c < 0x20 ? ' ' : c);
      }
    }
    sb.append('"');
  }

  private static String oneLine(String text, int max) {
    return shorten(text.replace("\r", "").replace("\n", "\\n"), max);
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
  }
}

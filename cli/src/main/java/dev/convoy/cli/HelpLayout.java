package dev.convoy.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every command's {@code --help} is laid out: {@value #WIDTH} columns, text wrapped only at
 * spaces (picocli's own wrapping also breaks after dots, as in {@code kustomization.} / {@code
 * yaml}), option descriptions and command summaries continued at the column they start in, the
 * synopsis first, then the command's one-sentence summary and its description.
 *
 * <p>So the annotations hold text, not layout: one string per paragraph, never hard-wrapped; a
 * command's {@code header} is its one-sentence summary, which {@code convoy --help} lists. Footer
 * lines that start with a space (examples, the exit codes) are printed as they are.
 */
final class HelpLayout {
  static final int WIDTH = 80;

  /** Where option and parameter descriptions start. */
  static final int DESCRIPTION_COLUMN = 26;

  /** Where command summaries start in a command list. */
  static final int SUMMARY_COLUMN = 13;

  private HelpLayout() {}

  /** Applies the layout to {@code cl} and every subcommand it has now. */
  static void apply(CommandLine cl) {
    // Picocli wraps nothing itself: the synopsis comes out as one line, re-wrapped here.
    cl.setUsageHelpWidth(1000);
    Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    sections.put(UsageMessageSpec.SECTION_KEY_HEADER, h -> paragraphs(h, true));
    sections.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, HelpLayout::synopsis);
    sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, h -> paragraphs(h, false));
    sections.put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, HelpLayout::parameters);
    sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::options);
    sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commands);
    sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footer);
    cl.setHelpSectionMap(sections);
    List<String> order = new ArrayList<>(cl.getCommandSpec().usageMessage().sectionKeys());
    order.remove(UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
    order.remove(UsageMessageSpec.SECTION_KEY_HEADER);
    int at = order.indexOf(UsageMessageSpec.SECTION_KEY_SYNOPSIS) + 1;
    order.add(at, UsageMessageSpec.SECTION_KEY_HEADER);
    order.add(at, UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
    sectionOrder(cl, order);
  }

  private static void sectionOrder(CommandLine cl, List<String> order) {
    cl.getCommandSpec().usageMessage().sectionKeys(order);
    cl.getSubcommands().values().forEach(sub -> sectionOrder(sub, order));
  }

  /** The one-sentence summary of a command: its header, else its description's first line. */
  static String summary(CommandSpec spec) {
    String[] header = spec.usageMessage().header();
    String[] lines = header.length > 0 ? header : spec.usageMessage().description();
    return lines.length == 0 ? "" : text(lines[0]).strip();
  }

  private static String paragraphs(Help help, boolean header) {
    UsageMessageSpec usage = help.commandSpec().usageMessage();
    StringBuilder out = new StringBuilder();
    for (String paragraph : header ? usage.header() : usage.description()) {
      for (String line : text(paragraph).split("\n", -1)) {
        out.append(wrap("", line, 0));
      }
    }
    return out.toString();
  }

  private static String synopsis(Help help) {
    int heading = help.synopsisHeadingLength();
    String line = help.synopsis(heading).strip();
    int indent = heading + help.commandSpec().qualifiedName().length() + 1;
    // "Usage: " is printed before this section: its columns are taken on the first line.
    return wrap(" ".repeat(heading), line, indent).substring(heading);
  }

  private static String parameters(Help help) {
    StringBuilder out = new StringBuilder();
    for (PositionalParamSpec p : help.commandSpec().positionalParameters()) {
      if (!p.hidden()) {
        out.append(row("      " + label(help, p), p.renderedDescription()));
      }
    }
    return out.toString();
  }

  private static String options(Help help) {
    CommandSpec spec = help.commandSpec();
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) {
        options.add(o);
      }
    }
    if (spec.usageMessage().sortOptions()) {
      options.sort(
          Comparator.comparing(
              o -> o.shortestName().replaceFirst("^-+", "").toLowerCase(Locale.ROOT)));
    }
    StringBuilder out = new StringBuilder();
    for (OptionSpec o : options) {
      out.append(row(names(help, o), o.renderedDescription()));
    }
    return out.toString();
  }

  /** As picocli writes them: {@code -t, --target=NAME[,NAME...]}, {@code --timings}. */
  private static String names(Help help, OptionSpec o) {
    String shortName = null;
    String longName = null;
    for (String n : o.names()) {
      if (n.startsWith("--")) {
        longName = longName == null ? n : longName;
      } else {
        shortName = shortName == null ? n : shortName;
      }
    }
    String label = label(help, o);
    StringBuilder sb = new StringBuilder("  ");
    if (shortName == null) {
      sb.append("    ");
    } else {
      sb.append(shortName).append(longName == null ? label : ", ");
    }
    if (longName != null) {
      sb.append(longName).append(label);
    }
    return sb.toString();
  }

  private static String label(Help help, ArgSpec arg) {
    return help.parameterLabelRenderer()
        .renderParameterLabel(arg, Help.Ansi.OFF, List.of())
        .toString();
  }

  private static String commands(Help help) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, CommandLine> e : help.commandSpec().subcommands().entrySet()) {
      CommandSpec sub = e.getValue().getCommandSpec();
      if (sub.usageMessage().hidden() || !e.getKey().equals(sub.name())) {
        continue; // hidden, or an alias
      }
      out.append(column("  " + e.getKey(), SUMMARY_COLUMN, summary(sub), true));
    }
    return out.toString();
  }

  private static String footer(Help help) {
    StringBuilder out = new StringBuilder();
    for (String paragraph : help.commandSpec().usageMessage().footer()) {
      for (String line : text(paragraph).split("\n", -1)) {
        out.append(line.startsWith(" ") ? line.stripTrailing() + "\n" : wrap("", line, 0));
      }
    }
    // A paragraph that ends with %n would add a blank line after the last.
    String text = out.toString();
    return text.endsWith("\n\n") ? text.substring(0, text.length() - 1) : text;
  }

  /** One option or parameter: its names, then its description at the description column. */
  private static String row(String names, String[] description) {
    StringBuilder out = new StringBuilder();
    boolean first = true;
    for (String paragraph : description.length == 0 ? new String[] {""} : description) {
      out.append(column(first ? names : "", DESCRIPTION_COLUMN, text(paragraph), first));
      first = false;
    }
    return out.toString();
  }

  /**
   * {@code left}, then {@code text} from {@code column} on, wrapped and continued there; on a line
   * of its own when {@code left} reaches into the column.
   */
  private static String column(String left, int column, String text, boolean showLeft) {
    if (!showLeft || left.isEmpty()) {
      return wrap(" ".repeat(column), text, column);
    }
    if (left.length() < column - 1) {
      return wrap(left + " ".repeat(column - left.length()), text, column);
    }
    return left + "\n" + wrap(" ".repeat(column), text, column);
  }

  /**
   * {@code prefix} as it is, then the words of {@code text} wrapped at spaces into lines of at most
   * {@value #WIDTH} columns, continued at {@code indent}. A word longer than a line stays whole.
   */
  static String wrap(String prefix, String text, int indent) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(prefix);
    boolean empty = true;
    for (String word : text.strip().split(" +")) {
      if (word.isEmpty()) {
        continue;
      }
      if (!empty && line.length() + 1 + word.length() > WIDTH) {
        out.append(line).append('\n');
        line = new StringBuilder(" ".repeat(indent));
        empty = true;
      }
      if (!empty) {
        line.append(' ');
      }
      line.append(word);
      empty = false;
    }
    return out.append(line.toString().stripTrailing()).append('\n').toString();
  }

  /** Picocli's format escapes ({@code %n}, {@code %%}) as the text they stand for. */
  private static String text(String s) {
    return s.replace("%n", "\n").replace("%%", "%");
  }
}

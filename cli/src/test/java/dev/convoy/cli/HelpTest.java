package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Every command's {@code --help} reads well at 80 columns: the whole command tree is walked, so
 * commands added later are checked too. One test per command, named like {@code convoy render}.
 */
class HelpTest {

  @TestFactory
  Stream<DynamicTest> everyCommandsHelpReadsWellAtEightyColumns() {
    List<CommandLine> all = new ArrayList<>();
    collect(ConvoyCommand.commandLine(), all);
    assertThat(all).hasSizeGreaterThan(5);
    return all.stream()
        .map(
            cl ->
                DynamicTest.dynamicTest(cl.getCommandSpec().qualifiedName(), () -> checkHelp(cl)));
  }

  private static void collect(CommandLine cl, List<CommandLine> out) {
    out.add(cl);
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (name.equals(sub.getCommandSpec().name())) {
                collect(sub, out);
              }
            });
  }

  private static void checkHelp(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
    List<String> lines = help.lines().toList();
    List<String> problems = new ArrayList<>();

    for (String line : lines) {
      if (line.length() > HelpLayout.WIDTH) {
        problems.add("longer than 80 columns: " + line);
      }
    }

    // The summary is what the parent's command list shows.
    String summary = HelpLayout.summary(spec);
    if (!summary.matches("[A-Z].*[.]") || summary.contains("\n")) {
      problems.add("summary is not one whole sentence: '" + summary + "'");
    }
    if (spec.parent() != null && HelpLayout.SUMMARY_COLUMN + summary.length() > HelpLayout.WIDTH) {
      problems.add("summary does not fit on one line of the command list: '" + summary + "'");
    }

    // One string per paragraph: a hard-wrapped one leaves pieces that do not end a sentence.
    List<String> texts = new ArrayList<>();
    texts.addAll(List.of(spec.usageMessage().header()));
    texts.addAll(List.of(spec.usageMessage().description()));
    List<ArgSpec> args = new ArrayList<>(spec.options());
    args.addAll(spec.positionalParameters());
    for (ArgSpec arg : args) {
      texts.addAll(List.of(arg.renderedDescription()));
    }
    for (String text : texts) {
      String t = text.replace("%n", "").strip();
      if (!t.isEmpty() && !t.matches("(?s).*[.:?!)]")) {
        problems.add("a paragraph that does not end a sentence (hard-wrapped?): '" + t + "'");
      }
    }

    // No word broken across lines: the end of a line and the start of the next are never one
    // word of the source text.
    List<String> words = new ArrayList<>();
    texts.addAll(List.of(spec.usageMessage().footer()));
    texts.forEach(t -> words.addAll(List.of(t.replace("%n", " ").split("\\s+"))));
    for (int i = 0; i + 1 < lines.size(); i++) {
      String[] left = lines.get(i).strip().split(" ");
      String[] right = lines.get(i + 1).strip().split(" ");
      String joined = left[left.length - 1] + right[0];
      if (!joined.isEmpty()
          && !left[left.length - 1].isEmpty()
          && !right[0].isEmpty()
          && words.stream().anyMatch(w -> w.contains(joined))) {
        problems.add(
            "word broken across lines: '" + lines.get(i) + "' / '" + lines.get(i + 1) + "'");
      }
    }

    // Continuation lines start where the description (or summary) of their row starts.
    CommandLine.Help h = cl.getHelp();
    for (String key :
        List.of(
            UsageMessageSpec.SECTION_KEY_OPTION_LIST,
            UsageMessageSpec.SECTION_KEY_PARAMETER_LIST,
            UsageMessageSpec.SECTION_KEY_COMMAND_LIST)) {
      int column =
          key.equals(UsageMessageSpec.SECTION_KEY_COMMAND_LIST)
              ? HelpLayout.SUMMARY_COLUMN
              : HelpLayout.DESCRIPTION_COLUMN;
      for (String line : cl.getHelpSectionMap().get(key).render(h).lines().toList()) {
        int indent = line.length() - line.stripLeading().length();
        if (indent > 6) {
          if (indent != column) {
            problems.add("continuation not aligned at column " + column + ": '" + line + "'");
          }
        } else if (line.length() > column) {
          String names = line.substring(0, column);
          boolean wholeNames = names.endsWith(" ") && !line.substring(column).startsWith(" ");
          boolean ownLine = line.strip().indexOf(' ') < 0 || line.strip().startsWith("-");
          if (!wholeNames && !ownLine) {
            problems.add("description not at column " + column + ": '" + line + "'");
          }
        }
      }
    }

    assertThat(problems).as(() -> help + "\n" + String.join("\n", problems)).isEmpty();
  }

  @Test
  void aMistypedCommandSuggestsTheClosestInOneLine() {
    CliRun run = CliRun.of("rendr", "samples/config-repo");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .isEqualTo("error: 'rendr' is not a convoy command; did you mean 'convoy render'?\n");
    assertThat(CliRun.of("recnocile").err())
        .isEqualTo(
            "error: 'recnocile' is not a convoy command; did you mean 'convoy reconcile'?\n");
    assertThat(CliRun.of("frobnicate").err())
        .isEqualTo(
            "error: 'frobnicate' is not a convoy command; run 'convoy --help' for the list\n");
  }

  @Test
  void aMistypedOptionSuggestsTheClosestThenTheUsageLine() {
    CliRun run = CliRun.of("render", "--reprot", "samples/config-repo");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err().lines().toList())
        .first()
        .isEqualTo("error: Unknown option: '--reprot'; did you mean '--report'?");
    assertThat(run.err())
        .contains("Usage: convoy render [-h")
        .endsWith("Run 'convoy render --help' for more information.\n")
        .doesNotContain("Exit codes");
    assertThat(CliRun.of("reconcile", "--repo", "x", "--dryrun").err())
        .startsWith("error: Unknown option: '--dryrun'; did you mean '--dry-run'?\n");
  }

  @Test
  void noCommandShowsTheCommandList() {
    CliRun run = CliRun.of();
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .startsWith("error: Missing a command\n")
        .contains("Commands:", "  render ");
  }
}

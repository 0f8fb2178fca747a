package dev.convoy.cli;

import dev.convoy.engine.decide.Severity;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.resources.ResourceFigure;
import dev.convoy.engine.resources.ResourceFigures;
import dev.convoy.engine.resources.ResourceName;
import dev.convoy.engine.review.Change;
import dev.convoy.engine.review.ContainerChange;
import dev.convoy.engine.review.FieldChange;
import dev.convoy.engine.review.ObjectChange;
import dev.convoy.engine.review.OrderChange;
import dev.convoy.engine.review.PolicyChange;
import dev.convoy.engine.review.Review;
import dev.convoy.engine.review.RolloutChange;
import dev.convoy.engine.review.TargetReview;
import dev.convoy.engine.review.ViolationChanges;
import dev.convoy.engine.review.WorkloadChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The review as a pull-request comment. It starts with a hidden marker, so a CI step finds and
 * updates its own comment instead of adding one per push, then a summary table, the violations the
 * head adds and fixes, the upgrade waves it starts, one section per changed workload (workloads
 * with exactly the same change share one) and the other objects.
 *
 * <p>{@link #sized} keeps the comment within a character limit (GitHub allows 65,536): past it,
 * workload sections collapse into {@code <details>} blocks, and what still does not fit is left out
 * with a count and a pointer to the complete report.
 */
final class ReviewMarkdown {
  static final String MARKER = "<!-- convoy-review -->";

  /** Refs listed under a section shared by several workloads, in a sized comment. */
  private static final int GROUP_REFS_SHOWN = 20;

  private static final int VALUE_CHARS = 120;

  private ReviewMarkdown() {}

  /** A piece of the comment; {@code what} counts it when it is left out. */
  private record Block(String full, String collapsed, String what, int count) {
    static Block always(String text) {
      return new Block(text, text, null, 0);
    }
  }

  /** The marker, with the selected targets when the review was limited to some. */
  static String marker(List<String> targets) {
    return targets.isEmpty()
        ? MARKER
        : "<!-- convoy-review targets=" + String.join(",", targets) + " -->";
  }

  /** The complete report, however long. */
  static String full(ReviewRender.Result r, List<String> targets) {
    StringBuilder sb = new StringBuilder();
    for (Block b : blocks(r, targets, false)) {
      sb.append(b.full());
    }
    return sb.toString();
  }

  /**
   * The report within {@code maxChars} characters.
   *
   * @param fullReport where the complete report was written, or null
   */
  static String sized(
      ReviewRender.Result r, List<String> targets, int maxChars, String fullReport) {
    String full = full(r, targets);
    if (full.length() <= maxChars) {
      return full;
    }
    List<Block> blocks = blocks(r, targets, true);
    StringBuilder sb = new StringBuilder();
    Map<String, Integer> left = new LinkedHashMap<>();
    int reserve = 400;
    boolean cutting = false;
    for (Block b : blocks) {
      if (!cutting && sb.length() + b.collapsed().length() + reserve <= maxChars) {
        sb.append(b.collapsed());
      } else if (b.what() != null) {
        cutting = true;
        left.merge(b.what(), b.count(), Integer::sum);
      } else if (!cutting && sb.length() + b.collapsed().length() <= maxChars) {
        sb.append(b.collapsed());
      }
    }
    StringJoiner parts = new StringJoiner(", ");
    left.forEach((what, n) -> parts.add(n + " " + what + (n == 1 ? "" : "s")));
    String note =
        "\n> [!NOTE]\n> Cut to stay within "
            + String.format(Locale.ROOT, "%,d", maxChars)
            + " characters: "
            + (parts.length() == 0 ? "details" : parts.toString())
            + " left out. "
            + (fullReport != null
                ? "The complete report is in " + Markdown.code(fullReport) + "."
                : "Run "
                    + Markdown.code("convoy review --full-report FILE")
                    + " for the complete report.")
            + "\n";
    String out = sb + note;
    return out.length() <= maxChars ? out : out.substring(0, maxChars);
  }

  private static List<Block> blocks(ReviewRender.Result r, List<String> targets, boolean sized) {
    Review review = r.review();
    List<Block> blocks = new ArrayList<>();
    StringBuilder head = new StringBuilder();
    head.append(marker(targets)).append('\n');
    head.append("### Convoy review: ")
        .append(Markdown.code(r.baseRef()))
        .append(" → ")
        .append(Markdown.code(r.headRef()))
        .append("\n\n");
    head.append("Base ")
        .append(Markdown.code(r.base().shortId()))
        .append(", head ")
        .append(Markdown.code(r.head().shortId()))
        .append("; upgrade waves planned at ")
        .append(r.now())
        .append(".\n");
    if (r.headRulesDiffer()) {
      head.append("\n> [!NOTE]\n> ")
          .append(
              r.headRulesRun()
                  ? "The head changes the repo's rules, and they ran (`--trust-head-rules`)."
                  : "The head changes the repo's rules: they were compiled but not run, the base's"
                      + " rules decided both sides. `--trust-head-rules` runs them.")
          .append('\n');
    }
    head.append('\n');
    ViolationChanges v = review.violations();
    if (review.isEmpty()) {
      head.append(
          "**No change.** The head renders every target exactly as the base does"
              + " and adds or fixes no violation.\n");
      blocks.add(Block.always(head.toString()));
      if (!v.unchanged().isEmpty()) {
        blocks.add(Block.always(unchangedViolations(v.unchanged())));
      }
      return blocks;
    }
    int newErrors = v.addedErrors().size();
    head.append(
            newErrors > 0
                ? ":x: **The head adds "
                    + newErrors
                    + " error"
                    + (newErrors == 1 ? "" : "s")
                    + ".**"
                : ":white_check_mark: **The head adds no error.**")
        .append("\n\n");
    head.append(summaryTable(review)).append('\n');
    blocks.add(Block.always(head.toString()));

    if (!v.added().isEmpty()) {
      blocks.add(Block.always("#### New violations (" + v.added().size() + ")\n\n"));
      for (Violation x : v.added()) {
        blocks.add(new Block(violationLine(x), violationLine(x), "new violation", 1));
      }
      blocks.add(Block.always("\n"));
    }
    if (!v.fixed().isEmpty()) {
      blocks.add(Block.always("#### Fixed violations (" + v.fixed().size() + ")\n\n"));
      for (Violation x : v.fixed()) {
        blocks.add(new Block(violationLine(x), violationLine(x), "fixed violation", 1));
      }
      blocks.add(Block.always("\n"));
    }
    if (!v.unchanged().isEmpty()) {
      String text = unchangedViolations(v.unchanged());
      blocks.add(new Block(text, text, "unchanged violation list", 1));
    }

    List<String> rollouts = new ArrayList<>();
    for (TargetReview t : review.targets()) {
      for (RolloutChange c : t.rollouts()) {
        rollouts.add(rolloutLine(t.target(), c));
      }
    }
    if (!rollouts.isEmpty()) {
      blocks.add(Block.always("#### Upgrade waves the head starts\n\n"));
      for (String line : rollouts) {
        blocks.add(new Block(line, line, "upgrade wave", 1));
      }
      blocks.add(Block.always("\n"));
    }

    boolean anyWorkload = review.targets().stream().anyMatch(t -> !t.workloads().isEmpty());
    if (anyWorkload) {
      blocks.add(Block.always("#### Workloads\n\n"));
      for (TargetReview t : review.targets()) {
        for (Group g : groups(t)) {
          blocks.add(g.block(t.target(), sized));
        }
      }
    }
    boolean anyObject = review.targets().stream().anyMatch(t -> !t.objects().isEmpty());
    if (anyObject) {
      blocks.add(
          Block.always(
              "#### Other objects\n\n| target | change | object | file | what changed |\n"
                  + "|---|---|---|---|---|\n"));
      for (TargetReview t : review.targets()) {
        for (ObjectChange o : t.objects()) {
          String row = objectRow(t.target(), o);
          blocks.add(new Block(row, row, "other object", 1));
        }
      }
      blocks.add(Block.always("\n"));
    }
    return blocks;
  }

  private static String summaryTable(Review review) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| target | sidecar mode | workloads changed | sidecars added | sidecars removed |"
            + " sidecars upgraded | other objects | new violations | fixed violations |\n");
    sb.append("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    int[] total = new int[7];
    boolean single = review.targets().size() == 1;
    for (TargetReview t : review.targets()) {
      int[] row = {
        t.workloads().size(),
        t.workloads().stream().mapToInt(w -> w.sidecarsAdded().size()).sum(),
        t.workloads().stream().mapToInt(w -> w.sidecarsRemoved().size()).sum(),
        t.workloads().stream().mapToInt(w -> w.upgrades().size()).sum(),
        t.objects().size(),
        single ? review.violations().added().size() : count(review.violations().added(), t),
        single ? review.violations().fixed().size() : count(review.violations().fixed(), t)
      };
      sb.append("| ").append(Markdown.code(t.target())).append(" | ").append(mode(t)).append(" |");
      for (int i = 0; i < row.length; i++) {
        total[i] += row[i];
        sb.append(' ').append(row[i]).append(" |");
      }
      sb.append('\n');
    }
    if (!single) {
      sb.append("| **all** | |");
      total[5] = review.violations().added().size();
      total[6] = review.violations().fixed().size();
      for (int n : total) {
        sb.append(" **").append(n).append("** |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static int count(List<Violation> violations, TargetReview t) {
    return (int)
        violations.stream()
            .filter(x -> x.workload() != null && x.workload().startsWith(t.target() + "/"))
            .count();
  }

  private static String mode(TargetReview t) {
    if (t.baseMode() == null) {
      return "new target, " + name(t.headMode());
    }
    if (t.headMode() == null) {
      return "target removed";
    }
    return t.baseMode() == t.headMode()
        ? name(t.headMode())
        : name(t.baseMode()) + " → **" + name(t.headMode()) + "**";
  }

  private static String name(SidecarMode mode) {
    return mode.yamlName();
  }

  private static String violationLine(Violation v) {
    StringBuilder sb = new StringBuilder("- ");
    sb.append(v.severity() == Severity.ERROR ? ":x: " : ":warning: ")
        .append(
            Markdown.code(
                (v.severity() == Severity.ERROR ? "error" : "warning") + "[" + v.code() + "]"));
    if (v.workload() != null) {
      sb.append(' ').append(Markdown.code(v.workload()));
    }
    sb.append(": ").append(Markdown.text(v.message()));
    List<String> where = new ArrayList<>();
    if (v.file() != null) {
      where.add(Markdown.code(v.file() + (v.line() > 0 ? ":" + v.line() : "")));
    }
    if (v.policy() != null) {
      where.add("policy " + Markdown.code(v.policy()));
    }
    if (!where.isEmpty()) {
      sb.append(" (").append(String.join(", ", where)).append(')');
    }
    return sb.append('\n').toString();
  }

  private static String unchangedViolations(List<Violation> unchanged) {
    StringBuilder sb = new StringBuilder();
    sb.append("<details><summary>")
        .append(unchanged.size())
        .append(" violation")
        .append(unchanged.size() == 1 ? "" : "s")
        .append(" the base has too</summary>\n\n");
    unchanged.forEach(v -> sb.append(violationLine(v)));
    return sb.append("\n</details>\n\n").toString();
  }

  private static String rolloutLine(String target, RolloutChange c) {
    StringBuilder sb = new StringBuilder("- ");
    sb.append(Markdown.code(target))
        .append(" · policy ")
        .append(Markdown.code(c.policy()))
        .append(" → ")
        .append(Markdown.code(c.toRevision()))
        .append(": ");
    sb.append(
        c.moved().isEmpty()
            ? "no wave moves"
            : "wave "
                + c.wave()
                + " moves **"
                + c.moved().size()
                + "** workload"
                + (c.moved().size() == 1 ? "" : "s"));
    if (c.held() > 0) {
      sb.append(", ").append(c.held()).append(" held");
      StringJoiner reasons = new StringJoiner("; ", " (", ")");
      c.heldBy().forEach((reason, n) -> reasons.add(n + ": " + Markdown.text(reason)));
      sb.append(reasons);
    }
    return sb.append('\n').toString();
  }

  private static String objectRow(String target, ObjectChange o) {
    String what;
    if (o.change() == Change.CHANGED) {
      StringJoiner j = new StringJoiner("<br>");
      int shown = 0;
      for (FieldChange f : o.fields()) {
        if (shown++ == 6) {
          j.add("and " + (o.fields().size() - 6) + " more");
          break;
        }
        j.add(field(f));
      }
      what = j.toString();
    } else {
      what = "";
    }
    return "| "
        + Markdown.cell(Markdown.code(target))
        + " | "
        + o.change().name().toLowerCase(Locale.ROOT)
        + " | "
        + Markdown.cell(Markdown.code(o.ref()))
        + " | "
        + Markdown.cell(Markdown.code(o.file()))
        + " | "
        + Markdown.cell(what)
        + " |\n";
  }

  /** One changed value: {@code `path`: `a` → `b`}. */
  static String field(FieldChange f) {
    return switch (f.change()) {
      case ADDED ->
          Markdown.code(f.path())
              + " added: "
              + Markdown.code(Markdown.value(f.after(), VALUE_CHARS));
      case REMOVED ->
          Markdown.code(f.path())
              + " removed (was "
              + Markdown.code(Markdown.value(f.before(), VALUE_CHARS))
              + ")";
      case CHANGED ->
          Markdown.code(f.path())
              + ": "
              + Markdown.code(Markdown.value(f.before(), VALUE_CHARS))
              + " → "
              + Markdown.code(Markdown.value(f.after(), VALUE_CHARS));
    };
  }

  /** Workloads of one target whose change reads exactly the same, in order of first appearance. */
  private record Group(List<WorkloadChange> workloads, String body, String summary) {
    Block block(String target, boolean sized) {
      WorkloadChange first = workloads.get(0);
      int more = workloads.size() - 1;
      String title =
          Markdown.code(target)
              + " · "
              + Markdown.code(first.ref())
              + (more > 0 ? " and " + more + " more with the same change" : "");
      String full = "##### " + title + "\n\n" + where(Integer.MAX_VALUE) + body + "\n";
      String summaryLine =
          "<code>"
              + Markdown.html(target)
              + "</code> · <code>"
              + Markdown.html(first.ref())
              + "</code>"
              + (more > 0 ? " and " + more + " more" : "")
              + ": "
              + Markdown.html(summary);
      String collapsed =
          "<details><summary>"
              + summaryLine
              + "</summary>\n\n"
              + where(GROUP_REFS_SHOWN)
              + body
              + "\n</details>\n\n";
      return new Block(full, sized ? collapsed : full, "workload change", workloads.size());
    }

    private String where(int refs) {
      if (workloads.size() == 1) {
        return "In " + Markdown.code(workloads.get(0).file()) + ".\n\n";
      }
      StringBuilder sb = new StringBuilder("The same change in:\n\n");
      int shown = 0;
      for (WorkloadChange w : workloads) {
        if (shown++ == refs) {
          sb.append("- and ").append(workloads.size() - refs).append(" more\n");
          break;
        }
        sb.append("- ")
            .append(Markdown.code(w.ref()))
            .append(" (")
            .append(Markdown.code(w.file()))
            .append(")\n");
      }
      return sb.append('\n').toString();
    }
  }

  private static List<Group> groups(TargetReview t) {
    Map<String, List<WorkloadChange>> byBody = new LinkedHashMap<>();
    Map<String, String> summaries = new LinkedHashMap<>();
    for (WorkloadChange w : t.workloads()) {
      String body = body(w);
      byBody.computeIfAbsent(body, k -> new ArrayList<>()).add(w);
      summaries.putIfAbsent(body, summary(w));
    }
    List<Group> out = new ArrayList<>();
    byBody.forEach((body, ws) -> out.add(new Group(ws, body, summaries.get(body))));
    return out;
  }

  /** A few words for a collapsed section's summary line. */
  private static String summary(WorkloadChange w) {
    if (w.change() == Change.ADDED) {
      return "new workload";
    }
    if (w.change() == Change.REMOVED) {
      return "removed";
    }
    List<String> parts = new ArrayList<>();
    if (!w.sidecarsAdded().isEmpty()) {
      parts.add("+" + String.join(", +", w.sidecarsAdded()));
    }
    if (!w.sidecarsRemoved().isEmpty()) {
      parts.add("-" + String.join(", -", w.sidecarsRemoved()));
    }
    for (PolicyChange p : w.upgrades()) {
      parts.add(p.policy() + " upgraded");
    }
    for (ContainerChange c : w.containers()) {
      if (c.change() == Change.CHANGED) {
        List<String> what = new ArrayList<>();
        for (FieldChange f : c.fields()) {
          String top = f.path().replaceAll("[.\\[].*", "");
          if (!what.contains(top)) {
            what.add(top);
          }
        }
        parts.add(c.name() + " " + String.join(", ", what));
      }
    }
    w.order().ifPresent(o -> parts.add(o.startChanged() ? "start order" : "stop order"));
    w.resources().ifPresent(r -> parts.add("resources"));
    if (!w.podFields().isEmpty()) {
      parts.add(w.podFields().size() + " pod field" + (w.podFields().size() == 1 ? "" : "s"));
    }
    return parts.isEmpty() ? "changed" : String.join(", ", parts);
  }

  /** Everything about one workload's change but its name and file. */
  private static String body(WorkloadChange w) {
    StringBuilder sb = new StringBuilder();
    if (w.change() == Change.REMOVED) {
      sb.append("**Removed** from the rendered output.\n");
      return sb.toString();
    }
    if (w.change() == Change.ADDED) {
      sb.append("**New workload.**\n\n");
    }
    for (PolicyChange p : w.policies()) {
      sb.append("- policy ").append(Markdown.code(p.policy()));
      switch (p.change()) {
        case ADDED -> sb.append(" injected at ").append(Markdown.code(p.after()));
        case REMOVED ->
            sb.append(" no longer injected (was ").append(Markdown.code(p.before())).append(')');
        case CHANGED ->
            sb.append(" upgraded: ")
                .append(Markdown.code(p.before()))
                .append(" → ")
                .append(Markdown.code(p.after()));
      }
      sb.append('\n');
    }
    for (Change kind : List.of(Change.ADDED, Change.REMOVED)) {
      for (ContainerChange c : w.containers()) {
        if (c.change() == kind) {
          sb.append("- ")
              .append(c.injected() ? "sidecar " : "container ")
              .append(Markdown.code(c.name()))
              .append(kind == Change.ADDED ? " **added**" : " **removed**")
              .append(
                  c.injected() && !c.injectedBy().isEmpty()
                      ? " (" + Markdown.code(c.injectedBy()) + ")"
                      : "")
              .append('\n');
        }
      }
    }
    for (ContainerChange c : w.containers()) {
      if (c.change() == Change.CHANGED) {
        for (FieldChange f : c.fields()) {
          sb.append("- ")
              .append(Markdown.code(c.name()))
              .append(" · ")
              .append(field(f))
              .append('\n');
        }
      }
    }
    for (FieldChange f : w.podFields()) {
      sb.append("- ").append(field(f)).append('\n');
    }
    for (WaveDecision x : w.waves()) {
      sb.append("- upgrade ")
          .append(Markdown.code(x.policy()))
          .append(' ')
          .append(Markdown.code(x.fromRevision()))
          .append(" → ")
          .append(Markdown.code(x.toRevision()))
          .append(": ")
          .append(x.moves() ? "" : "held, ")
          .append(Markdown.text(x.reason()))
          .append('\n');
    }
    List<String[]> rows = new ArrayList<>();
    w.order()
        .ifPresent(
            o -> {
              if (o.startChanged() || w.change() == Change.ADDED) {
                rows.add(
                    new String[] {"start order", start(o.startBefore()), start(o.startAfter())});
              }
              if (o.stopChanged() || w.change() == Change.ADDED) {
                rows.add(new String[] {"stop order", stop(o.stopBefore()), stop(o.stopAfter())});
              }
            });
    w.resources()
        .ifPresent(
            r -> {
              boolean added = w.change() == Change.ADDED;
              if (added || !r.before().requests().equals(r.after().requests())) {
                rows.add(
                    new String[] {
                      "requests", figures(r.before().requests()), figures(r.after().requests())
                    });
              }
              if (added || !r.before().limits().equals(r.after().limits())) {
                rows.add(
                    new String[] {
                      "limits", figures(r.before().limits()), figures(r.after().limits())
                    });
              }
            });
    if (!rows.isEmpty()) {
      boolean added = w.change() == Change.ADDED;
      sb.append("\n| | ")
          .append(added ? "before injection" : "base")
          .append(" | ")
          .append(added ? "rendered" : "head")
          .append(" |\n|---|---|---|\n");
      for (String[] row : rows) {
        if (added && row[0].endsWith("order")) {
          row[1] = "";
        }
        sb.append("| ")
            .append(row[0])
            .append(" | ")
            .append(Markdown.cell(row[1]))
            .append(" | ")
            .append(Markdown.cell(row[2]))
            .append(" |\n");
      }
    }
    w.order()
        .filter(o -> o.startChanged() && w.change() == Change.CHANGED)
        .ifPresent(o -> sb.append(diagram(o)));
    return sb.toString();
  }

  private static String diagram(OrderChange o) {
    return "\n<sub>Start order, base and head: a thick link is new in the head, a dotted one is"
        + " gone.</sub>\n\n```mermaid\n"
        + Mermaid.startOrderDiagram(o.startBefore(), o.startAfter())
        + "```\n";
  }

  private static String start(List<String> order) {
    if (order.isEmpty()) {
      return "–";
    }
    StringJoiner j = new StringJoiner(" → ");
    order.forEach(n -> j.add(Markdown.code(n)));
    return j.toString();
  }

  private static String stop(List<List<String>> groups) {
    if (groups.isEmpty()) {
      return "–";
    }
    StringJoiner j = new StringJoiner(" → ");
    for (List<String> g : groups) {
      StringJoiner names = new StringJoiner(", ");
      g.forEach(n -> names.add(Markdown.code(n)));
      j.add(g.size() == 1 ? names.toString() : "(" + names + ")");
    }
    return j.toString();
  }

  private static String figures(ResourceFigures f) {
    StringJoiner j = new StringJoiner(", ");
    for (ResourceName r : ResourceName.values()) {
      if (!(f.get(r) instanceof ResourceFigure.NotSet)) {
        j.add(r.key() + " " + f.format(r));
      }
    }
    return j.length() == 0 ? "none" : j.toString();
  }
}

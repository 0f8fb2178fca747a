package dev.convoy.cli;

import dev.convoy.engine.RenderResult;
import dev.convoy.engine.TargetRender;
import dev.convoy.engine.WorkloadReport;
import dev.convoy.engine.decide.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics of a reconcile run in the Prometheus text format: what {@code --metrics-file} writes
 * (for node_exporter's textfile collector) and {@code --pushgateway} pushes. Every gauge carries a
 * {@code repo} label, so one file or push describes every repo a shard reconciled.
 */
final class RunMetrics {
  /** A metric family: its help text and samples, label set to value. */
  private record Family(String help, SortedMap<String, Double> samples) {}

  private static final Map<String, String> HELP = new LinkedHashMap<>();

  static {
    HELP.put("convoy_run_duration_seconds", "Wall time of the run, per repo.");
    HELP.put("convoy_phase_duration_seconds", "Wall time of each phase of the run.");
    HELP.put("convoy_workloads", "Workloads per target and outcome (injected, unchanged, kept).");
    HELP.put("convoy_violations", "Violations per code and severity.");
    HELP.put("convoy_push_retries", "Push races lost and retried before the push went through.");
    HELP.put("convoy_render_skipped", "1 when the inputs were unchanged and nothing was rendered.");
    HELP.put(
        "convoy_last_success_timestamp_seconds",
        "Unix time of the last run that completed (exit code 0 or 1).");
    HELP.put(
        "convoy_exit_code",
        "Exit code of the last run: 0 ok, 1 violations, 2 bad input, 3 git failure, 4 internal.");
  }

  /**
   * Families kept from the previous file when a run has no fresh value for a repo: the time of the
   * last success must survive a failing run, and a run that skipped rendering knows no counts.
   */
  private static final Set<String> CARRIED =
      Set.of("convoy_last_success_timestamp_seconds", "convoy_workloads", "convoy_violations");

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*\\})?\\s+(\\S+)$");
  private static final Pattern REPO_LABEL = Pattern.compile("repo=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, Family> families = new TreeMap<>();
  private final Set<String> reposSeen = new java.util.TreeSet<>();

  /** Metrics of one repo's run; values are recorded as the run goes. */
  final class Repo {
    private final String repo;

    private Repo(String repo) {
      this.repo = repo;
      reposSeen.add(repo);
    }

    void phase(String phase, Duration took) {
      add("convoy_phase_duration_seconds", seconds(took), "phase", phase);
    }

    void duration(Duration took) {
      set("convoy_run_duration_seconds", seconds(took));
    }

    void render(RenderResult result) {
      for (TargetRender t : result.targets()) {
        Map<WorkloadReport.Outcome, Integer> counts = new TreeMap<>();
        for (WorkloadReport.Outcome o : WorkloadReport.Outcome.values()) {
          counts.put(o, 0);
        }
        t.workloads().forEach(w -> counts.merge(w.outcome(), 1, Integer::sum));
        counts.forEach(
            (outcome, n) ->
                set(
                    "convoy_workloads",
                    n,
                    "target",
                    t.target().name(),
                    "outcome",
                    outcome.name().toLowerCase(Locale.ROOT)));
      }
      // Every code seen is listed; a family present with no sample means "no violations".
      family("convoy_violations");
      for (Violation v : result.violations()) {
        add(
            "convoy_violations",
            1,
            "code",
            v.code(),
            "severity",
            v.severity().name().toLowerCase(Locale.ROOT));
      }
      set("convoy_render_skipped", 0);
    }

    void renderSkipped() {
      set("convoy_render_skipped", 1);
    }

    void pushRetries(int retries) {
      set("convoy_push_retries", retries);
    }

    void exit(int code, Instant at) {
      set("convoy_exit_code", code);
      if (code == ExitCodes.OK || code == ExitCodes.VIOLATIONS) {
        set("convoy_last_success_timestamp_seconds", at.toEpochMilli() / 1000.0);
      }
    }

    private void set(String name, double value, String... labels) {
      family(name).samples().put(labels(labels), value);
    }

    private void add(String name, double value, String... labels) {
      family(name).samples().merge(labels(labels), value, Double::sum);
    }

    private String labels(String... pairs) {
      SortedMap<String, String> all = new TreeMap<>();
      all.put("repo", repo);
      for (int i = 0; i < pairs.length; i += 2) {
        all.put(pairs[i], pairs[i + 1]);
      }
      StringBuilder sb = new StringBuilder("{");
      all.forEach(
          (k, v) ->
              sb.append(sb.length() > 1 ? "," : "")
                  .append(k)
                  .append("=\"")
                  .append(escape(v))
                  .append('"'));
      return sb.append('}').toString();
    }
  }

  /** Starts recording one repo, named by its URL without user information. */
  synchronized Repo repo(String url) {
    return new Repo(url);
  }

  private synchronized Family family(String name) {
    return families.computeIfAbsent(name, n -> new Family(HELP.get(n), new TreeMap<>()));
  }

  /** The text format: families sorted by name, samples sorted by labels, no time stamps. */
  synchronized String text() {
    StringBuilder sb = new StringBuilder();
    families.forEach(
        (name, f) -> {
          sb.append("# HELP ").append(name).append(' ').append(f.help()).append('\n');
          sb.append("# TYPE ").append(name).append(" gauge\n");
          f.samples()
              .forEach(
                  (labels, v) ->
                      sb.append(name).append(labels).append(' ').append(format(v)).append('\n'));
        });
    return sb.toString();
  }

  /**
   * Writes the text format to {@code file} atomically (a hidden temporary file in the same folder,
   * renamed over it), so a collector never reads half a file. Carries over from the previous file
   * what this run could not know (see {@link #CARRIED}).
   */
  synchronized void writeTo(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    if (Files.isRegularFile(absolute)) {
      carryOver(Files.readAllLines(absolute, StandardCharsets.UTF_8));
    }
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + absolute.getFileName() + ".tmp");
    Files.writeString(tmp, text(), StandardCharsets.UTF_8);
    try {
      Files.move(
          tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void carryOver(List<String> previous) {
    for (String line : previous) {
      Matcher m = SAMPLE.matcher(line.strip());
      if (line.startsWith("#") || !m.matches() || !CARRIED.contains(m.group(1))) {
        continue;
      }
      String labels = m.group(2) == null ? "{}" : m.group(2);
      Matcher repo = REPO_LABEL.matcher(labels);
      String repoValue = repo.find() ? repo.group(1) : null;
      Family f = family(m.group(1));
      boolean fresh =
          f.samples().keySet().stream()
              .anyMatch(k -> repoValue != null && k.contains("repo=\"" + repoValue + "\""));
      if (!fresh) {
        try {
          f.samples().putIfAbsent(labels, Double.parseDouble(m.group(3)));
        } catch (NumberFormatException e) {
          // not one of ours: leave it out
        }
      }
    }
    // Nothing fresh and nothing carried: drop empty families of carried metrics.
    new ArrayList<>(families.keySet())
        .forEach(
            n -> {
              if (families.get(n).samples().isEmpty()
                  && !reposSeen.isEmpty()
                  && CARRIED.contains(n)
                  && !n.equals("convoy_violations")) {
                families.remove(n);
              }
            });
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}

package dev.convoy.cli;

import dev.convoy.engine.TargetRender;
import dev.convoy.engine.decide.RuleFiring;
import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.facts.PolicyMatch;
import dev.convoy.engine.facts.Veto;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.order.KubeletOrder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code convoy explain}. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Explain how one workload is rendered, and why.",
    description = {
      "Prints which policies matched and why, which were vetoed or forced, which rules fired (in"
          + " firing order), every start-order edge with the rule, annotation, policy or Kubernetes"
          + " behaviour that created it, the resulting start and stop order, and the workload's"
          + " violations. Writes nothing.",
      "",
      "WORKLOAD is Kind/namespace/name as in the manifest, e.g. Deployment/payments/ledger"
          + " (namespace 'default' when the manifest has none)."
    },
    footer = {
      "%nExamples:",
      "  convoy explain Deployment/payments/ledger",
      "  convoy explain samples/config-repo StatefulSet/payments/ledger-db -t prod",
      "  convoy explain . Deployment/shop/cart -o json | jq .targets[0].startOrder",
      "  convoy explain . Deployment/payments/ledger -o dot | dot -Tsvg > ledger.svg",
      ExitCodes.HELP
    })
final class ExplainCommand implements Callable<Integer> {

  /** Output formats of {@code --output}. */
  enum Format {
    text,
    json,
    dot,
    mermaid
  }

  @Parameters(
      arity = "1..2",
      paramLabel = "[DIR] WORKLOAD",
      description =
          "The config repo (default: the current folder) and the workload, Kind/namespace/name.")
  List<String> arguments = new ArrayList<>();

  @Option(
      names = {"-t", "--target"},
      paramLabel = "NAME",
      split = ",",
      description =
          "Only these targets (repeatable or comma-separated). Default: every target in convoy.yaml.")
  List<String> targets = List.of();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (default, for people), json (for tools), or a picture of the start-order graph:"
              + " dot (Graphviz: | dot -Tsvg > graph.svg) or mermaid (for Markdown).")
  Format output;

  @Option(
      names = "--fire-limit",
      paramLabel = "N",
      description = "Stop a rule session after N rule firings (a rule that loops forever).")
  Long fireLimit;

  @Option(
      names = "--now",
      paramLabel = "INSTANT",
      description =
          "The time upgrade waves are planned at (see convoy render --help). Default: the clock.")
  Instant now;

  @Option(names = "--stacktrace", description = "Print stack traces of errors.")
  boolean stacktrace;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RepoOptions options = new RepoOptions();
    options.dir = Path.of(arguments.size() == 2 ? arguments.get(0) : ".");
    options.targets = targets;
    options.fireLimit = fireLimit;
    options.stacktrace = stacktrace;
    options.now = now;
    options.recordFirings = true;
    String wanted = arguments.get(arguments.size() - 1);

    RepoRender r = RepoRender.run(options, err);
    Workload workload = find(r, wanted, err);
    List<WorkloadExplanation> explanations = new ArrayList<>();
    for (TargetRender target : r.result.targets()) {
      explanations.add(WorkloadExplanation.of(r.result, target, workload));
    }
    if (output == Format.json) {
      out.println(json(workload, explanations));
    } else if (output == Format.dot) {
      out.print(ExplainGraph.dot(explanations));
    } else if (output == Format.mermaid) {
      out.print(ExplainGraph.mermaid(explanations));
    } else {
      // A resource kustomize or Helm built names the repo file it came from.
      String origin = dev.convoy.engine.load.BuildOutput.originOf(workload.object());
      for (WorkloadExplanation e : explanations) {
        printText(e, out, origin);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The workload named on the command line, or exit 2 with the closest names. */
  private static Workload find(RepoRender r, String wanted, PrintWriter err) {
    for (Workload w : r.repo.workloads()) {
      if (w.ref().equals(wanted)) {
        return w;
      }
    }
    List<String> close =
        closeNames(wanted, r.repo.workloads().stream().map(Workload::ref).toList());
    err.println(
        "error: no workload "
            + wanted
            + " in "
            + r.dir.getFileName()
            + " (workloads are named Kind/namespace/name)");
    if (!close.isEmpty()) {
      err.println("did you mean:");
      close.forEach(c -> err.println("  " + c));
    }
    err.flush();
    throw new ErrorReport.Reported(ExitCodes.BAD_INPUT);
  }

  /** Up to five refs close to {@code wanted}: same name, or a small edit distance. */
  static List<String> closeNames(String wanted, List<String> refs) {
    String lower = wanted.toLowerCase(Locale.ROOT);
    String wantedName = lower.substring(lower.lastIndexOf('/') + 1);
    record Scored(String ref, int score) {}
    List<Scored> scored = new ArrayList<>();
    for (String ref : refs) {
      String l = ref.toLowerCase(Locale.ROOT);
      String name = l.substring(l.lastIndexOf('/') + 1);
      int distance = EditDistance.between(lower, l);
      int score =
          name.equals(wantedName)
              ? 0
              : name.contains(wantedName) || wantedName.contains(name) ? 1 : distance;
      if (score <= 1 || distance <= Math.max(3, lower.length() / 4)) {
        scored.add(new Scored(ref, Math.min(score, distance)));
      }
    }
    return scored.stream()
        .sorted(Comparator.comparingInt(Scored::score).thenComparing(Scored::ref))
        .limit(5)
        .map(Scored::ref)
        .toList();
  }

  static void printText(WorkloadExplanation e, PrintWriter out) {
    printText(e, out, null);
  }

  static void printText(WorkloadExplanation e, PrintWriter out, String origin) {
    out.printf("%s  (%s:%d)%n", e.ref(), e.file(), e.line());
    if (origin != null) {
      out.printf("built from %s%n", origin);
    }
    out.printf(
        "target %s, %s sidecars: %s%n",
        e.target(),
        e.mode().yamlName(),
        e.outcome() == null
            ? "not rendered"
            : switch (e.outcome()) {
              case INJECTED -> "rendered with injections";
              case UNCHANGED -> "no policy applies, passed through unchanged";
              case KEPT -> "not rendered because of errors, last rendered version kept";
            });

    out.println();
    out.println("Policies");
    if (e.matches().isEmpty() && e.injections().isEmpty() && e.vetoes().isEmpty()) {
      out.println("  (no policy selects this workload)");
    }
    for (PolicyMatch m : e.matches()) {
      out.printf("  matched   %s: %s%n", m.policy(), m.reason());
    }
    for (WorkloadExplanation.Applied a : e.injections()) {
      if (a.forced()) {
        out.printf(
            "  forced    %s: injected by a rule although its selectors do not match%n", a.policy());
      }
    }
    for (Veto v : e.vetoes()) {
      out.printf("  vetoed    %s: %s%n", v.policy(), v.reason());
    }
    for (WorkloadExplanation.Applied a : e.injections()) {
      out.printf("  injected  %s@%s%n", a.policy(), a.revision());
    }

    out.println();
    out.println("Rules fired, in order");
    if (e.firings().isEmpty()) {
      out.println("  (none)");
    }
    int n = 0;
    for (int i = 0; i < e.firings().size(); i++) {
      RuleFiring f = e.firings().get(i);
      int times = 1;
      while (i + 1 < e.firings().size() && e.firings().get(i + 1).equals(f)) {
        times++;
        i++;
      }
      out.printf("  %3d. %s  (%s)%s%n", ++n, f.rule(), f.ruleFile(), times > 1 ? " x" + times : "");
    }

    out.println();
    out.println("Start-order edges (a -> b: a starts before b)");
    if (e.edges().isEmpty()) {
      out.println("  (none)");
    }
    for (WorkloadExplanation.ExplainedEdge x : e.edges()) {
      out.println("  " + describe(x));
    }
    for (WorkloadExplanation.ExplainedEdge x : e.dropped()) {
      out.println("  dropped: " + describe(x) + ", would close a cycle");
    }

    out.println();
    if (!e.cycle().isEmpty()) {
      out.println(
          "Start order: none, required edges form a cycle: " + String.join(" -> ", e.cycle()));
    } else {
      out.println("Start order");
      int i = 0;
      for (WorkloadExplanation.Step s : e.startOrder()) {
        out.printf("  %2d. %-20s %s%n", ++i, s.name(), role(s));
      }
      if (e.kubelet().isEmpty() && !e.startOrder().isEmpty()) {
        out.println();
        out.println("Not rendered: the kubelet runs what was kept");
      }
      for (KubeletOrder k : e.kubelet()) {
        printKubelet(k, out);
      }
    }
    if (!e.waves().isEmpty()) {
      out.println();
      out.println("Upgrade waves");
      for (WaveDecision w : e.waves()) {
        out.printf(
            "  %s %s -> %s: %s%n",
            w.policy(),
            w.fromRevision(),
            w.toRevision(),
            (w.moves() ? "" : "held on " + w.fromRevision() + ": ") + w.reason());
      }
    }

    out.println();
    out.println("Violations");
    if (e.violations().isEmpty()) {
      out.println("  (none)");
    }
    for (Violation v : e.violations()) {
      out.println("  " + ViolationReport.describe(v));
    }
    out.println();
  }

  /** How the kubelet runs the rendered pod on one kind of node, and what it cannot honour. */
  private static void printKubelet(KubeletOrder k, PrintWriter out) {
    String nodes = k.nodes().description();
    out.println();
    out.println("As the kubelet starts it on " + nodes);
    int i = 0;
    for (KubeletOrder.Step s : k.start()) {
      out.printf("  %2d. %-20s %s%n", ++i, s.container(), runs(s));
    }
    out.println();
    out.println("Stop order on " + nodes + " (" + stopMechanism(k) + ")");
    i = 0;
    for (List<String> group : k.stop()) {
      out.printf(
          "  %2d. %s%n",
          ++i, group.size() == 1 ? group.get(0) : String.join(", ", group) + "  (together)");
    }
    if (!k.unhonoured().isEmpty()) {
      out.println();
      out.println("Not honoured on " + nodes);
      for (KubeletOrder.Unhonoured u : k.unhonoured()) {
        out.printf(
            "  %s %s %s: %s%n",
            u.first(),
            u.phase() == KubeletOrder.Phase.START ? "->" : "stops before",
            u.then(),
            u.reason());
      }
    }
  }

  /** {@code native sidecar, ready (startupProbe) before the next starts}. */
  private static String runs(KubeletOrder.Step s) {
    String how =
        switch (s.runs()) {
          case INIT_CONTAINER -> "init container";
          case NATIVE_SIDECAR -> "native sidecar";
          case REGULAR_CONTAINER -> "regular container";
        };
    if (!s.container().equals(s.of())) {
      how += ", copy of " + s.of();
    }
    if (s.idle()) {
      return how + ", steps aside here (the other copy runs)";
    }
    return how
        + switch (s.gate()) {
          case COMPLETED -> ", runs to completion first";
          case READY ->
              s.runs() == KubeletOrder.Runs.NATIVE_SIDECAR
                  ? ", its startupProbe passes first"
                  : ", its postStart gate returns first";
          case STARTED -> "";
        };
  }

  private static String describe(WorkloadExplanation.ExplainedEdge x) {
    StringBuilder sb = new StringBuilder();
    sb.append(x.first()).append(" -> ").append(x.then()).append("  [").append(x.source());
    if (x.strength() == dev.convoy.engine.decide.Edge.Strength.DEFAULT) {
      sb.append(", default");
    }
    sb.append("] ").append(x.origin());
    if (x.file() != null) {
      sb.append("  (").append(x.file()).append(x.line() > 0 ? ":" + x.line() : "").append(')');
    }
    return sb.toString();
  }

  static String role(WorkloadExplanation.Step s) {
    String role =
        switch (s.role()) {
          case INIT -> "init container";
          case APP -> "app container";
          case PRE -> "pre sidecar";
          case POST -> "post sidecar";
        };
    return s.policy() == null ? role : role + ", policy " + s.policy();
  }

  private static String stopMechanism(KubeletOrder k) {
    if (k.nodes() == KubeletOrder.Nodes.NATIVE_SIDECARS) {
      return "kubelet stops app containers and post sidecars first, then native sidecars in reverse"
          + " start order";
    }
    return "preStop hooks hold each pre sidecar until the containers started after it have stopped,"
        + " within the grace period";
  }

  /** Written by hand through Jackson's tree-free map support, so the field order is fixed. */
  static String json(Workload w, List<WorkloadExplanation> explanations) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("workload", w.ref());
    root.put("file", w.file());
    root.put("line", w.line());
    if (dev.convoy.engine.load.BuildOutput.originOf(w.object()) != null) {
      root.put("builtFrom", dev.convoy.engine.load.BuildOutput.originOf(w.object()));
    }
    List<Object> targets = new ArrayList<>();
    for (WorkloadExplanation e : explanations) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("target", e.target());
      t.put("sidecarMode", e.mode().yamlName());
      t.put("outcome", e.outcome() == null ? null : e.outcome().name().toLowerCase(Locale.ROOT));
      t.put(
          "matches",
          e.matches().stream().map(m -> map("policy", m.policy(), "reason", m.reason())).toList());
      t.put(
          "vetoes",
          e.vetoes().stream().map(v -> map("policy", v.policy(), "reason", v.reason())).toList());
      t.put(
          "injections",
          e.injections().stream()
              .map(a -> map("policy", a.policy(), "revision", a.revision(), "forced", a.forced()))
              .toList());
      t.put(
          "firings",
          e.firings().stream().map(f -> map("rule", f.rule(), "file", f.ruleFile())).toList());
      t.put("edges", e.edges().stream().map(ExplainCommand::edge).toList());
      t.put("droppedEdges", e.dropped().stream().map(ExplainCommand::edge).toList());
      t.put("cycle", e.cycle());
      t.put(
          "startOrder",
          e.startOrder().stream()
              .map(
                  s ->
                      map(
                          "name",
                          s.name(),
                          "role",
                          s.role().name().toLowerCase(Locale.ROOT),
                          "policy",
                          s.policy()))
              .toList());
      t.put("stopOrder", e.stopOrder());
      t.put("kubelet", e.kubelet().stream().map(ExplainCommand::kubelet).toList());
      t.put(
          "violations",
          e.violations().stream()
              .map(
                  v ->
                      map(
                          "severity",
                          v.severity().name().toLowerCase(Locale.ROOT),
                          "code",
                          v.code(),
                          "message",
                          v.message(),
                          "policy",
                          v.policy(),
                          "file",
                          v.file(),
                          "line",
                          v.line()))
              .toList());
      t.put(
          "waves",
          e.waves().stream()
              .map(
                  x ->
                      map(
                          "policy",
                          x.policy(),
                          "fromRevision",
                          x.fromRevision(),
                          "toRevision",
                          x.toRevision(),
                          "moves",
                          x.moves(),
                          "wave",
                          x.wave(),
                          "reason",
                          x.reason()))
              .toList());
      targets.add(t);
    }
    root.put("targets", targets);
    return JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build()
        .writeValueAsString(root);
  }

  private static Map<String, Object> kubelet(KubeletOrder k) {
    return map(
        "nodes",
        k.nodes().name().toLowerCase(Locale.ROOT),
        "start",
        k.start().stream()
            .map(
                s ->
                    map(
                        "name",
                        s.container(),
                        "of",
                        s.of(),
                        "runs",
                        s.runs().name().toLowerCase(Locale.ROOT),
                        "gate",
                        s.gate().name().toLowerCase(Locale.ROOT),
                        "idle",
                        s.idle()))
            .toList(),
        "stop",
        k.stop(),
        "unhonoured",
        k.unhonoured().stream()
            .map(
                u ->
                    map(
                        "phase",
                        u.phase().name().toLowerCase(Locale.ROOT),
                        "first",
                        u.first(),
                        "then",
                        u.then(),
                        "reason",
                        u.reason()))
            .toList());
  }

  private static Map<String, Object> edge(WorkloadExplanation.ExplainedEdge x) {
    return map(
        "first",
        x.first(),
        "then",
        x.then(),
        "strength",
        x.strength().name().toLowerCase(Locale.ROOT),
        "source",
        x.source(),
        "origin",
        x.origin(),
        "policy",
        x.policy(),
        "file",
        x.file(),
        "line",
        x.line());
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}

package dev.convoy.cli;

import dev.convoy.engine.TargetRender;
import dev.convoy.engine.WorkloadReport;
import dev.convoy.engine.order.KubeletOrder;
import dev.convoy.engine.output.OutputFolder;
import dev.convoy.engine.resources.ResourceFigures;
import dev.convoy.engine.resources.ResourceName;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convoy render}. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Render every target into its output folder.",
    description =
        "Writes each target's sources with sidecars injected and ordered, in the same file layout,"
            + " plus a kustomization.yaml, to the target's output folder (rendered/<target>/ by"
            + " default). The folder is replaced atomically and not touched when nothing changed."
            + " Workloads with violations keep their last rendered version (exit 1); with --strict"
            + " nothing is written.",
    footer = ExitCodes.HELP)
final class RenderCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR|-",
      description =
          "Write each target to DIR/<target> instead of its configured folder; '-' prints to stdout.")
  String out;

  @Option(names = "--strict", description = "Write nothing when any violation is an error.")
  boolean strict;

  @Option(
      names = "--report",
      description =
          "Print per workload what was injected and the order the kubelet starts the rendered pod"
              + " in, its stop order and the edges the sidecar mode cannot honour (per kind of"
              + " node), then the pod's effective requests and limits before -> after injection.")
  boolean report;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RepoRender r = RepoRender.run(repo, err);
    int errors = ViolationReport.print(r.result, err);
    WaveReport.print(r.result, err);
    if (strict && errors > 0) {
      err.println("nothing written (--strict)");
      return ExitCodes.VIOLATIONS;
    }
    long t0 = System.nanoTime();
    for (TargetRender target : r.result.targets()) {
      if ("-".equals(out)) {
        for (Map.Entry<String, byte[]> f : target.files().entrySet()) {
          stdout.print("---\n# Target: " + target.target().name() + ", file: " + f.getKey() + "\n");
          stdout.print(new String(f.getValue(), StandardCharsets.UTF_8));
        }
      } else {
        Path dir =
            out != null
                ? Path.of(out).resolve(target.target().name())
                : RepoRender.outputDir(r.dir, target.target());
        OutputFolder.WriteOutcome outcome = new OutputFolder(dir).write(target.files());
        long injected =
            target.workloads().stream()
                .filter(w -> w.outcome() == WorkloadReport.Outcome.INJECTED)
                .count();
        err.printf(
            "%s: %s %s (%d files, %d of %d workloads injected, %s mode)%n",
            target.target().name(),
            outcome == OutputFolder.WriteOutcome.WRITTEN ? "wrote" : "unchanged",
            RepoRender.display(r.dir, dir),
            target.files().size(),
            injected,
            target.workloads().size(),
            target.mode().yamlName());
      }
      if (report) {
        printReport(target, stdout);
      }
    }
    stdout.flush();
    RepoRender.timing(repo, err, "write", t0);
    if (RepoRender.failOnUnaskedGates(repo, r, err)) {
      return ExitCodes.GIT_FAILURE;
    }
    err.flush();
    return errors > 0 ? ExitCodes.VIOLATIONS : ExitCodes.OK;
  }

  private static void printReport(TargetRender target, PrintWriter out) {
    for (WorkloadReport w : target.workloads()) {
      List<KubeletOrder> kubelet = w.order().kubelet();
      // The order the kubelet starts the rendered pod in; the sorted one when it was not rendered.
      List<String> order = kubelet.isEmpty() ? w.startOrder() : kubelet.get(0).names();
      out.printf(
          "%s %s %s order=[%s] policies=%s%n",
          target.target().name(),
          w.ref(),
          w.outcome().name().toLowerCase(),
          String.join(" ", order),
          w.revisions());
      for (int i = 0; i < kubelet.size(); i++) {
        KubeletOrder k = kubelet.get(i);
        String nodes = k.nodes().description();
        if (i > 0) {
          out.printf("  order on %s=[%s]%n", nodes, String.join(" ", k.names()));
        }
        out.printf(
            "  stop     %s%s%n",
            k.stop().stream().map(g -> String.join(" ", g)).collect(Collectors.joining(", then ")),
            kubelet.size() > 1 ? "  (" + nodes + ")" : "");
        for (KubeletOrder.Unhonoured u : k.unhonoured()) {
          out.printf(
              "  not honoured on %s: %s %s %s (%s)%n",
              nodes,
              u.first(),
              u.phase() == KubeletOrder.Phase.START ? "->" : "stops before",
              u.then(),
              u.reason());
        }
      }
      w.resources()
          .ifPresent(
              change -> {
                out.printf(
                    "  requests %s%n",
                    figures(change.before().requests(), change.after().requests()));
                out.printf(
                    "  limits   %s%n", figures(change.before().limits(), change.after().limits()));
              });
    }
  }

  /** {@code cpu 250m -> 350m, memory 128Mi -> 192Mi, ephemeral-storage - -> -}. */
  private static String figures(ResourceFigures before, ResourceFigures after) {
    StringBuilder sb = new StringBuilder();
    for (ResourceName r : ResourceName.values()) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(r.key())
          .append(' ')
          .append(before.format(r))
          .append(" -> ")
          .append(after.format(r));
    }
    return sb.toString();
  }
}

package dev.convoy.engine.load;

import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.ServicePorts;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.yaml.YamlDocument;
import java.util.List;
import java.util.Map;

/**
 * A config repo after parsing: every source document in file order, the workloads among them,
 * Namespace labels, the policies and the repo's rule files.
 *
 * @param sourceFiles each source file that holds a document, with its documents, sorted by path
 * @param services the Services of the sources that select pods and target a port by name, by
 *     namespace: the ones a sidecar's port can be captured by
 * @param filesRead how many files were read (sources, policies and rules)
 * @param skipped the files under those folders that were not read, and why
 */
public record LoadedRepo(
    ConvoyConfig config,
    List<SourceFile> sourceFiles,
    List<Workload> workloads,
    Map<String, Map<String, String>> namespaceLabels,
    List<SidecarPolicy> policies,
    List<InputFile> ruleFiles,
    Map<String, List<ServicePorts>> services,
    int filesRead,
    List<ConfigRepo.SkippedFile> skipped) {

  /** A source file and its documents (empty documents included, so indices match the file). */
  public record SourceFile(String path, List<YamlDocument> documents) {}
}

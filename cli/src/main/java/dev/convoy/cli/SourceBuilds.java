package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.model.ConvoyConfig;
import dev.convoy.engine.model.KubernetesVersion;
import dev.convoy.engine.model.Source;
import dev.convoy.engine.model.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the kustomize and Helm builds of a config repo's targets before the load: each distinct
 * build once (a kustomization is the same for every target, a chart is rendered per Kubernetes
 * version), independent builds in parallel, from one staged copy of the repo.
 */
final class SourceBuilds {
  private SourceBuilds() {}

  /** A build to run: the source, and the Kubernetes version when it is a chart. */
  private record Build(Source source, Optional<KubernetesVersion> kubeVersion) {}

  /** The repo with what each target's builds made; the repo itself when nothing is built. */
  static ConfigRepo run(Path dir, ConfigRepo raw, String kustomizeCommand)
      throws BadInputException {
    return run(dir, raw, kustomizeCommand, new ArrayList<>());
  }

  /**
   * As {@link #run(Path, ConfigRepo, String)}, adding to {@code warnings} what the builds warned
   * about ({@code SOURCE: kustomize: ...}, in convoy.yaml's order).
   */
  static ConfigRepo run(Path dir, ConfigRepo raw, String kustomizeCommand, List<String> warnings)
      throws BadInputException {
    if (!raw.config().hasBuiltSources()) {
      return raw;
    }
    try (StagedRepo stage = StagedRepo.of(dir, raw.config())) {
      return run(stage, raw, kustomizeCommand, warnings);
    }
  }

  /**
   * As {@link #run(Path, ConfigRepo, String)}, for a config repo read from a commit ({@code convoy
   * review}): its files are staged as they are in the commit, whatever the work tree holds.
   */
  static ConfigRepo run(SortedMap<String, byte[]> commitFiles, ConfigRepo raw, String command)
      throws BadInputException {
    if (!raw.config().hasBuiltSources()) {
      return raw;
    }
    try (StagedRepo stage = StagedRepo.of(commitFiles)) {
      return run(stage, raw, command, new ArrayList<>());
    }
  }

  private static ConfigRepo run(
      StagedRepo stage, ConfigRepo raw, String kustomizeCommand, List<String> warnings)
      throws BadInputException {
    ConvoyConfig config = raw.config();
    Map<String, List<Build>> perTarget = new LinkedHashMap<>();
    List<Build> distinct = new ArrayList<>();
    for (Target t : config.targets()) {
      List<Build> builds = new ArrayList<>();
      for (Source s : config.sourcesOf(t)) {
        if (s.built()) {
          Build b =
              new Build(s, s instanceof Source.Helm ? t.kubernetesVersion() : Optional.empty());
          builds.add(b);
          if (!distinct.contains(b)) {
            distinct.add(b);
          }
        }
      }
      perTarget.put(t.name(), builds);
    }
    KustomizeBuild kustomize = null;
    for (Build b : distinct) {
      if (b.source() instanceof Source.Kustomize) {
        kustomize = KustomizeBuild.find(kustomizeCommand, b.source());
        break;
      }
    }
    Map<Build, List<InputFile>> done = new ConcurrentHashMap<>();
    Map<Build, BadInputException> failed = new ConcurrentHashMap<>();
    KustomizeBuild tool = kustomize;
    distinct.parallelStream()
        .forEach(
            b -> {
              try {
                done.put(
                    b,
                    b.source() instanceof Source.Kustomize k
                        ? tool.build(stage, k)
                        : HelmTemplate.build(stage, (Source.Helm) b.source(), b.kubeVersion()));
              } catch (BadInputException e) {
                failed.put(b, e);
              }
            });
    if (!failed.isEmpty()) {
      List<InputError> errors = new ArrayList<>();
      for (Build b : distinct) {
        if (failed.containsKey(b)) {
          errors.addAll(failed.get(b).errors());
        }
      }
      throw new BadInputException(errors);
    }
    for (Build b : distinct) {
      if (b.source() instanceof Source.Kustomize) {
        tool.warningsOf(b.source())
            .forEach(w -> warnings.add(b.source().path() + ": kustomize: " + w));
      }
    }
    Map<String, List<InputFile>> built = new LinkedHashMap<>();
    perTarget.forEach(
        (target, builds) -> {
          List<InputFile> files = new ArrayList<>();
          builds.forEach(b -> files.addAll(done.get(b)));
          built.put(target, files);
        });
    checkClashes(raw, built);
    return raw.withBuilt(built);
  }

  /** A built file at the path of a plain source file would replace it in the output. */
  private static void checkClashes(ConfigRepo raw, Map<String, List<InputFile>> built)
      throws BadInputException {
    java.util.Set<String> plain = new java.util.HashSet<>();
    raw.sources().forEach(f -> plain.add(f.path()));
    for (List<InputFile> files : built.values()) {
      for (InputFile f : files) {
        if (plain.contains(f.path())) {
          throw new BadInputException(
              new InputError(
                  ConvoyConfig.FILE_NAME,
                  0,
                  0,
                  null,
                  "a built resource renders to "
                      + f.path()
                      + ", which is also a file of a plain source folder: give the built source"
                      + " a name: of its own"));
        }
      }
    }
  }
}

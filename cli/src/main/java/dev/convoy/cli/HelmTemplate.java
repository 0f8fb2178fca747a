package dev.convoy.cli;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.BuildOutput;
import dev.convoy.engine.model.KubernetesVersion;
import dev.convoy.engine.model.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a Helm source as {@code helm template} does, in-process with Helm's own code (helm-java:
 * no helm binary needed), from the {@link StagedRepo} copy of the repo, for one target's Kubernetes
 * version ({@code .Capabilities.KubeVersion}).
 */
final class HelmTemplate {
  private HelmTemplate() {}

  static List<InputFile> build(
      StagedRepo stage, Source.Helm source, Optional<KubernetesVersion> kubeVersion)
      throws BadInputException {
    Path chart = stage.root.resolve(source.path()).normalize();
    if (!chart.startsWith(stage.root) || !Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      throw new BadInputException(
          new InputError(
              source.path(), 0, 0, null, "is declared as a helm chart but holds no Chart.yaml"));
    }
    try {
      return render(stage, source, kubeVersion, chart);
    } catch (LinkageError e) {
      // Helm is Go code in a native library that helm-java unpacks and JNA loads: a platform it
      // has no build for, or a temporary folder it cannot unpack into, ends here (the first time
      // as UnsatisfiedLinkError, then as NoClassDefFoundError).
      throw new BadInputException(
          new InputError(
              source.path(),
              0,
              0,
              null,
              "cannot render Helm charts on this machine: Helm's native library did not load ("
                  + e.getMessage()
                  + "); it is bundled for Linux and macOS on amd64 and arm64, and JNA unpacks it"
                  + " into java.io.tmpdir (or jna.tmpdir), which must be writable and allow"
                  + " executables"));
    }
  }

  private static List<InputFile> render(
      StagedRepo stage, Source.Helm source, Optional<KubernetesVersion> kubeVersion, Path chart)
      throws BadInputException {
    TemplateCommand template =
        new Helm(chart)
            .template()
            .withName(source.releaseName())
            .withNamespace(source.namespace() == null ? "default" : source.namespace());
    if (kubeVersion.isPresent()) {
      template =
          template.withKubeVersion(
              "v" + kubeVersion.get().major() + "." + kubeVersion.get().minor() + ".0");
    }
    for (String values : source.valuesFiles()) {
      Path file = stage.root.resolve(values).normalize();
      if (!file.startsWith(stage.root) || !Files.isRegularFile(file)) {
        throw new BadInputException(
            new InputError(
                values,
                0,
                0,
                null,
                "values file of helm " + source.path() + " not found in the repo"));
      }
      template = template.withValuesFile(file);
    }
    for (Map.Entry<String, String> e : source.set().entrySet()) {
      template = template.set(e.getKey(), e.getValue());
    }
    if (!source.includeCRDs()) {
      template = template.skipCrds();
    }
    String out;
    try {
      out = template.call();
    } catch (RuntimeException e) {
      // helm-java reports Helm's own error text as the exception message.
      String message = String.valueOf(e.getMessage()).replace(stage.root + "/", "");
      throw new BadInputException(
          new InputError(
              source.path(), 0, 0, null, "helm template of this chart failed: " + message.strip()));
    }
    return BuildOutput.split(source, out.getBytes(StandardCharsets.UTF_8), "");
  }
}

package dev.convoy.cli;

import picocli.CommandLine.Option;

/** {@code --kustomize-command}, for every command that builds kustomize sources. */
final class KustomizeCommandOption {
  @Option(
      names = "--kustomize-command",
      paramLabel = "COMMAND",
      description =
          "What builds kustomize sources, e.g. 'kustomize build' or '/usr/local/bin/kubectl"
              + " kustomize'. Default: kustomize on the PATH, else kubectl kustomize.")
  String command;
}

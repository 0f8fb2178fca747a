package dev.convoy.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** Options every command that reads a config repo from a local folder shares. */
final class RepoOptions extends RenderOptions {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "The config repo (the folder with convoy.yaml). Default: the current folder.")
  Path dir;
}

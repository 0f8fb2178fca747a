package dev.convoy.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every command that reads a config repo shares. */
final class RepoOptions {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
      description = "The config repo (the folder with convoy.yaml). Default: the current folder.")
  Path dir;

  @Option(names = {"-t", "--target"}, paramLabel = "NAME", split = ",",
      description = "Only these targets (repeatable or comma-separated). Default: every target in convoy.yaml.")
  List<String> targets = List.of();

  @Option(names = "--fire-limit", paramLabel = "N",
      description = "Stop a rule session after N rule firings (a rule that loops forever). Default: 200 per fact, at least 1000000.")
  Long fireLimit;

  @Option(names = "--timings", description = "Print how long each phase took, on stderr.")
  boolean timings;

  @Option(names = "--stacktrace", description = "Print stack traces of errors.")
  boolean stacktrace;
}

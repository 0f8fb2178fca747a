package dev.convoy.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code reconcile --repos FILE}: many repos, spread over the pods of an Indexed Job. */
final class ShardOptions {
  /** The variable an Indexed Job sets in each pod: 0 to completions - 1. */
  static final String JOB_COMPLETION_INDEX = "JOB_COMPLETION_INDEX";

  @Option(
      names = "--repos",
      paramLabel = "FILE",
      description =
          "Reconcile every repo of a RepoList file (url, branch, credentials each) that"
              + " belongs to this shard, one after the other; one failing repo does not stop the"
              + " others.")
  Path repos;

  @Option(
      names = "--shard-index",
      paramLabel = "N",
      description =
          "This worker's shard, 0 to --shard-count - 1. Default: $JOB_COMPLETION_INDEX (Indexed Job), else 0.")
  Integer index;

  @Option(
      names = "--shard-count",
      paramLabel = "M",
      defaultValue = "1",
      description =
          "How many shards share the repos (the Indexed Job's completions). Default: ${DEFAULT-VALUE}.")
  int count;
}

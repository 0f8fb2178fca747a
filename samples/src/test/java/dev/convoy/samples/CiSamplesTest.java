package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.cli.ConvoyCommand;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.yaml.ManifestParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The CI samples under {@code samples/ci/}: every file parses, every {@code convoy} command line in
 * them is accepted by the real CLI, and the review pipelines keep the properties that make them
 * safe on pull requests from forks.
 */
class CiSamplesTest {
  private static final Path CI = Path.of("ci").toAbsolutePath();
  private static final Pattern CONVOY =
      Pattern.compile("(?:^|[\\s;])\\S*bin/convoy\"?\\s+([^;|>\\n]*)");
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{\\{[^}]*}}|\\$\\{[A-Za-z_]+}|\\$[A-Za-z_]+");

  @Test
  void everyCommandLineInEveryCiSampleIsOneTheCliAccepts() throws Exception {
    List<String> subcommands = new ArrayList<>();
    for (Path file : files()) {
      assertThat(parse(file)).as(file.toString()).isNotNull();
      for (List<String> args : commands(file)) {
        CommandLine.ParseResult parsed =
            ConvoyCommand.commandLine().parseArgs(args.toArray(String[]::new));
        if (args.equals(List.of("--version"))) {
          assertThat(parsed.isVersionHelpRequested()).isTrue();
          continue;
        }
        assertThat(parsed.subcommand()).as(file + ": " + args).isNotNull();
        subcommands.add(parsed.subcommand().commandSpec().name());
        if (parsed.subcommand().commandSpec().name().equals("review")) {
          assertThat(parsed.subcommand().hasMatchedOption("--base"))
              .as(file + ": " + args)
              .isTrue();
          assertThat(parsed.subcommand().hasMatchedOption("--head"))
              .as(file + ": " + args)
              .isTrue();
          assertThat(parsed.subcommand().hasMatchedOption("--trust-head-rules"))
              .as(file + ": a pull request's rules are never trusted")
              .isFalse();
        }
      }
    }
    assertThat(subcommands)
        .contains("validate", "test", "diff")
        .filteredOn("review"::equals)
        .hasSize(2);
  }

  @Test
  void theGitHubReviewRunsOnPullRequestsWithAReadOnlyToken() throws Exception {
    Map<String, Object> review = parse(CI.resolve("github-review.yaml"));
    Map<String, Object> on = onKey(review);

    assertThat(on).containsKey("pull_request").doesNotContainKey("pull_request_target");
    assertThat(Trees.map(review, "permissions")).containsExactly(Map.entry("contents", "read"));
    assertThat(Files.readString(CI.resolve("github-review.yaml")))
        .contains("fetch-depth: 0")
        .contains("upload-artifact");
  }

  @Test
  void theGitHubCommentWorkflowWritesOneStickyCommentWithoutRunningThePullRequest()
      throws Exception {
    Map<String, Object> comment = parse(CI.resolve("github-review-comment.yaml"));
    Map<String, Object> on = onKey(comment);
    String text = Files.readString(CI.resolve("github-review-comment.yaml"));

    assertThat(on).containsOnlyKeys("workflow_run");
    assertThat(Trees.map(comment, "permissions")).containsEntry("pull-requests", "write");
    assertThat(text)
        .doesNotContain("actions/checkout")
        .doesNotContain("bin/convoy")
        .contains("<!-- convoy-review")
        .contains("--method PATCH")
        .contains("gh pr comment")
        .contains("workflow_run.head_sha");
  }

  @Test
  void theGitLabJobUpdatesOneMergeRequestNoteWithCurl() throws Exception {
    Map<String, Object> gitlab = parse(CI.resolve("gitlab-ci.yaml"));
    String text = Files.readString(CI.resolve("gitlab-ci.yaml"));

    assertThat(gitlab).containsKey("convoy-review");
    assertThat(text)
        .contains("merge_request_event")
        .contains("/merge_requests/$CI_MERGE_REQUEST_IID/notes")
        .contains("<!-- convoy-review")
        .contains("curl -fsS --request PUT")
        .contains("curl -fsS --request POST");
  }

  /**
   * The {@code on:} key, read as written: a YAML 1.1 reader would make it the boolean true,
   * Convoy's loader keeps the word (as a plain scalar).
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> onKey(Map<String, Object> workflow) {
    for (Map.Entry<?, ?> e : ((Map<?, ?>) workflow).entrySet()) {
      if (String.valueOf(e.getKey()).equals("on") || Boolean.TRUE.equals(e.getKey())) {
        return (Map<String, Object>) e.getValue();
      }
    }
    return null;
  }

  private static List<Path> files() throws IOException {
    try (Stream<Path> list = Files.list(CI)) {
      List<Path> files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(files).hasSizeGreaterThanOrEqualTo(4);
      return files;
    }
  }

  private static Map<String, Object> parse(Path file) throws Exception {
    return ManifestParser.parse(
            new InputFile(file.getFileName().toString(), Files.readAllBytes(file)),
            ManifestParser.Positions.DROP)
        .get(0)
        .map();
  }

  /**
   * Every {@code .../bin/convoy ARGS} of a file, continuation lines joined, cut at the first {@code
   * ;}, {@code |} or redirection, words split as the shell would (quotes), CI variables replaced by
   * a placeholder value.
   */
  static List<List<String>> commands(Path file) throws IOException {
    String text = Files.readString(file).replace("\\\n", " ");
    List<List<String>> out = new ArrayList<>();
    for (String line : text.lines().toList()) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      Matcher m = CONVOY.matcher(line);
      while (m.find()) {
        out.add(words(VARIABLE.matcher(m.group(1)).replaceAll("abc123")));
      }
    }
    return out;
  }

  private static List<String> words(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : s.strip().toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}

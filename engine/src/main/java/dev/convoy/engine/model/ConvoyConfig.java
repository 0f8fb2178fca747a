package dev.convoy.engine.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code convoy.yaml}: what to read, which targets to render, how to commit.
 *
 * @param sources folders of source manifests
 * @param policies folders of SidecarPolicy documents
 * @param rules folders of the repo's own DRL rules (the only place custom rules load from)
 * @param targets the targets to render, in file order
 * @param commit how reconcile commits
 */
public record ConvoyConfig(
    List<String> sources,
    List<String> policies,
    List<String> rules,
    List<Target> targets,
    CommitSettings commit) {

  public static final String FILE_NAME = "convoy.yaml";

  public ConvoyConfig {
    sources = List.copyOf(sources);
    policies = List.copyOf(policies);
    rules = List.copyOf(rules);
    targets = List.copyOf(targets);
  }

  /**
   * Author and message template for reconcile's commits; {@code {summary}} lists what changed.
   * {@code sign}: how the commits are signed, if they are.
   */
  public record CommitSettings(
      String authorName, String authorEmail, String message, Optional<CommitSigning> sign) {
    public static final CommitSettings DEFAULT =
        new CommitSettings("convoy", "convoy@example.invalid", "convoy: {summary}");

    public CommitSettings {
      Objects.requireNonNull(sign, "sign");
    }

    /** Unsigned commits. */
    public CommitSettings(String authorName, String authorEmail, String message) {
      this(authorName, authorEmail, message, Optional.empty());
    }

    /** The same settings, signed as {@code sign} says (unsigned when it is empty). */
    public CommitSettings signedWith(Optional<CommitSigning> sign) {
      return new CommitSettings(authorName, authorEmail, message, sign);
    }
  }
}

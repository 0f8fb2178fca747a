package dev.convoy.engine.model;

import dev.convoy.engine.input.InputLimits;
import java.util.List;

/**
 * {@code convoy.yaml}: what to read, which targets to render, how to commit.
 *
 * @param sources folders of source manifests
 * @param policies folders of SidecarPolicy documents
 * @param rules folders of the repo's own DRL rules (the only place custom rules load from)
 * @param targets the targets to render, in file order
 * @param commit how reconcile commits
 * @param limits how large an input file may be ({@code limits:}; {@link InputLimits#DEFAULT} unless
 *     raised)
 */
public record ConvoyConfig(
    List<String> sources,
    List<String> policies,
    List<String> rules,
    List<Target> targets,
    CommitSettings commit,
    InputLimits limits) {

  public static final String FILE_NAME = "convoy.yaml";

  public ConvoyConfig {
    sources = List.copyOf(sources);
    policies = List.copyOf(policies);
    rules = List.copyOf(rules);
    targets = List.copyOf(targets);
  }

  /** A config with the default limits. */
  public ConvoyConfig(
      List<String> sources,
      List<String> policies,
      List<String> rules,
      List<Target> targets,
      CommitSettings commit) {
    this(sources, policies, rules, targets, commit, InputLimits.DEFAULT);
  }

  /** The same config rendering only {@code targets}. */
  public ConvoyConfig withTargets(List<Target> targets) {
    return new ConvoyConfig(sources, policies, rules, targets, commit, limits);
  }

  /** Author and message template for reconcile's commits; {@code {summary}} lists what changed. */
  public record CommitSettings(String authorName, String authorEmail, String message) {
    public static final CommitSettings DEFAULT =
        new CommitSettings("convoy", "convoy@example.invalid", "convoy: {summary}");
  }
}

package dev.convoy.engine.model;

import dev.convoy.engine.input.InputLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code convoy.yaml}: what to read, which targets to render, how to commit.
 *
 * @param sources the plain folders of source manifests, those of every target included (what is
 *     read from the repo as manifests)
 * @param policies folders of SidecarPolicy documents
 * @param rules folders of the repo's own DRL rules (the only place custom rules load from)
 * @param targets the targets to render, in file order
 * @param commit how reconcile commits
 * @param optional the folders of {@code sources}, {@code policies} and {@code rules} that may be
 *     missing ({@code optional: true} in convoy.yaml, and the default {@code rules} folder); any
 *     other folder that does not exist is an error
 * @param ruleTimeout the wall-clock limit of a run's rule session ({@code ruleTimeout: 90s}), when
 *     convoy.yaml sets one
 * @param limits how large an input file may be ({@code limits:}; {@link InputLimits#DEFAULT} unless
 *     raised)
 * @param declaredSources the {@code sources:} entries in file order: plain folders, kustomizations
 *     and Helm charts (a target may name its own, {@link Target#sources()})
 */
public record ConvoyConfig(
    List<String> sources,
    List<String> policies,
    List<String> rules,
    List<Target> targets,
    CommitSettings commit,
    Set<String> optional,
    Optional<Duration> ruleTimeout,
    InputLimits limits,
    List<Source> declaredSources) {

  public static final String FILE_NAME = "convoy.yaml";

  public ConvoyConfig {
    sources = List.copyOf(sources);
    policies = List.copyOf(policies);
    rules = List.copyOf(rules);
    targets = List.copyOf(targets);
    optional = Set.copyOf(optional);
    Objects.requireNonNull(ruleTimeout, "ruleTimeout");
    Objects.requireNonNull(limits, "limits");
    declaredSources = List.copyOf(declaredSources);
  }

  /** Plain folders only: each of {@code sources} as a {@link Source.Folder}. */
  public ConvoyConfig(
      List<String> sources,
      List<String> policies,
      List<String> rules,
      List<Target> targets,
      CommitSettings commit,
      Set<String> optional,
      Optional<Duration> ruleTimeout,
      InputLimits limits) {
    this(
        sources,
        policies,
        rules,
        targets,
        commit,
        optional,
        ruleTimeout,
        limits,
        sources.stream().map(f -> (Source) new Source.Folder(f)).toList());
  }

  /** The sources a target renders: its own {@code sources:}, else the top-level ones. */
  public List<Source> sourcesOf(Target target) {
    return target.sources().orElse(declaredSources);
  }

  /** True when some target reads a kustomization or Helm chart. */
  public boolean hasBuiltSources() {
    return declaredSources.stream().anyMatch(Source::built)
        || targets.stream().anyMatch(t -> sourcesOf(t).stream().anyMatch(Source::built));
  }

  /** A config whose folders must all exist, with no rule timeout and the default limits. */
  public ConvoyConfig(
      List<String> sources,
      List<String> policies,
      List<String> rules,
      List<Target> targets,
      CommitSettings commit) {
    this(
        sources, policies, rules, targets, commit, Set.of(), Optional.empty(), InputLimits.DEFAULT);
  }

  /** The same config with other targets (e.g. those selected with {@code --target}). */
  public ConvoyConfig withTargets(List<Target> selected) {
    return new ConvoyConfig(
        sources, policies, rules, selected, commit, optional, ruleTimeout, limits, declaredSources);
  }

  /**
   * The same policies, rules and settings, reading {@code other}'s sources for {@code other}'s
   * targets: a {@code convoy test} case with its own convoy.yaml.
   */
  public ConvoyConfig withSourcesAndTargetsOf(ConvoyConfig other) {
    Set<String> bothOptional = new java.util.HashSet<>(optional);
    bothOptional.addAll(other.optional);
    return new ConvoyConfig(
        other.sources,
        policies,
        rules,
        other.targets,
        commit,
        bothOptional,
        ruleTimeout,
        limits,
        other.declaredSources);
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

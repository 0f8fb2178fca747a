package dev.convoy.engine.model;

import java.util.Optional;

/**
 * One cluster (or cluster group) the repo is rendered for.
 *
 * @param name the target name, used in policies' {@code targets} and in rendered paths
 * @param kubernetesVersion the cluster's version, when known
 * @param sidecarMode the mode asked for ({@link SidecarMode#AUTO} by default)
 * @param output the folder the target renders to, relative to the repo (same branch), or the folder
 *     within {@code branch} when a branch is set
 * @param branch a branch of its own for rendered output (rendered-manifests pattern), or empty
 * @param sources the target's own {@code sources:}, when it names them instead of the top-level
 *     ones
 */
public record Target(
    String name,
    Optional<KubernetesVersion> kubernetesVersion,
    SidecarMode sidecarMode,
    String output,
    Optional<String> branch,
    Optional<java.util.List<Source>> sources) {

  public Target {
    sources = sources.map(java.util.List::copyOf);
  }

  /** A target that renders the top-level sources. */
  public Target(
      String name,
      Optional<KubernetesVersion> kubernetesVersion,
      SidecarMode sidecarMode,
      String output,
      Optional<String> branch) {
    this(name, kubernetesVersion, sidecarMode, output, branch, Optional.empty());
  }

  /** The mode actually used: {@code auto} resolved by version (docs/reference.md, Ordering). */
  public SidecarMode effectiveMode() {
    if (sidecarMode != SidecarMode.AUTO) {
      return sidecarMode;
    }
    return kubernetesVersion
        .map(v -> v.supportsNativeSidecars() ? SidecarMode.NATIVE : SidecarMode.LEGACY)
        .orElse(SidecarMode.UNIVERSAL);
  }
}

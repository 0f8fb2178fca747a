package dev.convoy.engine.model;

/**
 * How a target's Kubernetes makes sidecar start and stop order real (docs/reference.md, Ordering).
 */
public enum SidecarMode {
  /** Native for kubernetesVersion >= 1.29, legacy below, universal when the version is unknown. */
  AUTO,
  /** Pre sidecars as {@code initContainers} with {@code restartPolicy: Always}. */
  NATIVE,
  /** Pre sidecars as regular containers ordered by blocking {@code postStart} hooks. */
  LEGACY,
  /** Both at once, with a runtime handshake so exactly one copy acts. */
  UNIVERSAL;

  public static SidecarMode parse(String value) {
    return SidecarMode.valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }

  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

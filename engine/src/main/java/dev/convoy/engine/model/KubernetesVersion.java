package dev.convoy.engine.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target cluster's {@code major.minor} version, e.g. {@code 1.31} (a leading {@code v} is fine).
 */
public record KubernetesVersion(int major, int minor) implements Comparable<KubernetesVersion> {
  /** Native sidecars are on by default from this version (feature gate SidecarContainers, beta). */
  public static final KubernetesVersion NATIVE_SIDECARS = new KubernetesVersion(1, 29);

  private static final Pattern FORM = Pattern.compile("v?(\\d+)\\.(\\d+)(\\.\\d+)?([-+].*)?");

  public static KubernetesVersion parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a Kubernetes version: '" + text + "' (expected like 1.31)");
    }
    return new KubernetesVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  public boolean supportsNativeSidecars() {
    return compareTo(NATIVE_SIDECARS) >= 0;
  }

  @Override
  public int compareTo(KubernetesVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}

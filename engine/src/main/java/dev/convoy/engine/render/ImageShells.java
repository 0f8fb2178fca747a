package dev.convoy.engine.render;

import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.order.PodContainer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which containers' images have no {@code /bin/sh}, so that legacy and universal modes cannot wrap
 * their command or run a hook in them: those a workload names in its annotation {@value
 * #ANNOTATION}, policy sidecars with {@code noShell: true}, and images from {@code
 * gcr.io/distroless/} (their {@code :debug} tags have a shell at {@code /busybox/sh} only).
 */
public final class ImageShells {
  /** {@code convoy.dev/no-shell: "manager, webhook"}: the workload's containers without a shell. */
  public static final String ANNOTATION = "convoy.dev/no-shell";

  private ImageShells() {}

  /**
   * @param annotations the workload's and its pod template's annotations
   * @param containers every container of the pod, with its spec
   * @param sidecars the policy sidecars by container name
   */
  public static Set<String> without(
      Map<String, String> annotations,
      Collection<PodContainer> containers,
      Map<String, PolicySidecar> sidecars) {
    Set<String> out = new TreeSet<>();
    String named = annotations.get(ANNOTATION);
    if (named != null) {
      Arrays.stream(named.split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .forEach(out::add);
    }
    for (PodContainer c : containers) {
      PolicySidecar s = sidecars.get(c.name());
      if ((s != null && s.noShell()) || distroless(Trees.string(c.spec(), "image"))) {
        out.add(c.name());
      }
    }
    return out;
  }

  static boolean distroless(String image) {
    return image != null && image.startsWith("gcr.io/distroless/");
  }
}

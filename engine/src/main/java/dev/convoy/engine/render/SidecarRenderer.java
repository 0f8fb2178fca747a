package dev.convoy.engine.render;

import dev.convoy.engine.model.SidecarMode;
import java.util.Map;

/**
 * Makes a pod's start order real for one sidecar mode (docs/modes.md, the table of modes). A
 * renderer is a pure function of its arguments: it reads the pod spec and the plan's container
 * specs, which may be the loaded trees themselves (shared, and unmodifiable), and returns a new
 * spec, copying whatever it changes.
 */
public sealed interface SidecarRenderer
    permits NativeSidecarRenderer, LegacySidecarRenderer, UniversalSidecarRenderer {

  /**
   * @param podSpec the workload's pod spec with earlier injections removed; read, never modified
   * @param plan the containers in start order and what else to inject; read, never modified
   * @return the rendered pod spec, what the renderer added, what it could not do, and how the
   *     kubelet runs the result
   */
  RenderedPod render(Map<String, Object> podSpec, PodPlan plan);

  /** The renderer for a mode that {@code auto} has already been resolved away from. */
  static SidecarRenderer forMode(SidecarMode mode) {
    return switch (mode) {
      case NATIVE -> new NativeSidecarRenderer();
      case LEGACY -> new LegacySidecarRenderer();
      case UNIVERSAL -> new UniversalSidecarRenderer();
      case AUTO ->
          throw new IllegalArgumentException("resolve auto to a mode first (Target.effectiveMode)");
    };
  }
}

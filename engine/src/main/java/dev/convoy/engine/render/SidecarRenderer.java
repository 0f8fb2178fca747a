package dev.convoy.engine.render;

import dev.convoy.engine.model.SidecarMode;
import java.util.Map;

/**
 * Makes a pod's start order real for one sidecar mode (CONTRACT section 3, table of modes). A
 * renderer is a pure function: the given pod spec is a private copy it may return changed.
 */
public sealed interface SidecarRenderer
    permits NativeSidecarRenderer, LegacySidecarRenderer, UniversalSidecarRenderer {

  /**
   * @param podSpec a deep copy of the workload's pod spec, with earlier injections removed
   * @param plan the containers in start order and what else to inject
   * @return the rendered pod spec, what the renderer added, and what it could not do
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

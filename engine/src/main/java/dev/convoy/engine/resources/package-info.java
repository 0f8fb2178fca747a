/**
 * A pod's effective resource requests and limits as Kubernetes computes them for pods with native
 * sidecars (restartable init containers), reported per workload before and after injection.
 *
 * <p>Entry points: {@link dev.convoy.engine.resources.EffectiveResources#of(java.util.Map)} and
 * {@link dev.convoy.engine.resources.ResourceChange#of(java.util.Map, java.util.Map)}. Everything
 * here is pure and allocation-light: no I/O, no mutation of the input.
 */
package dev.convoy.engine.resources;

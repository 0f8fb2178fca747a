/** Convoy's domain core: model, loading, ordering, rendering and the reconcile pipeline. */
package dev.convoy.engine;

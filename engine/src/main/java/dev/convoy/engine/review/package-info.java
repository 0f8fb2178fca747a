/**
 * What a change to a config repo does to its rendered output: the comparison of two renders (a pull
 * request's base and head) by meaning, not by text. {@link CompareRenders#between} takes two {@link
 * dev.convoy.engine.RenderResult}s and returns a {@link Review}: per target, the workloads whose
 * rendered pod changed (sidecars added, removed or upgraded, container fields, start and stop
 * order, effective resources, the upgrade wave), the other objects added, removed or changed, the
 * rollouts the head starts, and the violations the head adds or fixes.
 *
 * <p>A pure function of the two results. Formatting, comments and key order never show: documents
 * are compared as trees. Values that may be secret never reach a {@link Review}: {@link Redaction}
 * replaces {@code Secret} data with a hash prefix and known credentials with a marker before
 * anything is compared.
 */
package dev.convoy.engine.review;

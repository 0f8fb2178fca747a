/**
 * Moves bytes to and from git for Convoy: clone or fetch a config repo into a reusable work folder
 * ({@link dev.convoy.git.GitSync#sync()}), and commit and push rendered output back ({@link
 * dev.convoy.git.GitSync#publish()}), re-rendering on push races instead of merging.
 *
 * <p>Nothing here knows about rendering or Kubernetes: the caller supplies a {@link
 * dev.convoy.git.Renderer} that turns a {@link dev.convoy.git.Checkout} into a {@link
 * dev.convoy.git.RenderedChange}. Expected outcomes are values ({@link
 * dev.convoy.git.PublishResult.Outcome}); failures are subclasses of {@link
 * dev.convoy.git.GitSyncException}, one per failure mode. Credentials ({@link
 * dev.convoy.git.Credentials}) are passed to JGit through a credentials provider or an SSH session
 * factory, never through the remote URL, and never appear in messages or logs.
 */
package dev.convoy.git;

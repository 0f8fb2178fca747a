package dev.convoy.git;

/**
 * Turns a checkout of the source branch into the output to commit. Called once per attempt: after a
 * lost push race Convoy fetches, resets the work tree to the new remote head and calls the renderer
 * again, so generated files are always rendered from the source they are committed with and never
 * merged.
 *
 * <p>The renderer must not write into the work tree's {@code .git} folder and must be
 * deterministic: the same source must give byte-identical output, or every run commits noise.
 */
@FunctionalInterface
public interface Renderer {
  /**
   * Renders the checkout.
   *
   * @throws Exception any failure; {@link GitSync#publish()} wraps it in a {@link
   *     RenderFailedException} and pushes nothing
   */
  RenderedChange render(Checkout checkout) throws Exception;
}

package dev.convoy.git;

/**
 * The caller's {@link Renderer} threw; nothing was committed or pushed. The renderer's exception is
 * the cause.
 */
public final class RenderFailedException extends GitSyncException {
  private static final long serialVersionUID = 1L;

  RenderFailedException(String message) {
    super(message);
  }

  RenderFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.convoy.git;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Renderer} wants committed.
 *
 * @param outputs the folders and branches to write; each is replaced exactly by its files
 * @param summary replaces {@code {summary}} in the commit message template; one line
 * @param trailers extra trailers such as {@code Convoy-Policy: mesh@3f2a9c1b0d}; Convoy adds {@code
 *     Convoy-Source-Commit} itself
 */
public record RenderedChange(List<Output> outputs, String summary, List<Trailer> trailers) {
  public RenderedChange {
    outputs = List.copyOf(outputs);
    Objects.requireNonNull(summary, "summary");
    if (summary.contains("\n") || summary.contains("\r")) {
      throw new IllegalArgumentException("summary must be one line");
    }
    trailers = List.copyOf(trailers);
  }
}

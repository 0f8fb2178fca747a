package dev.convoy.git;

import java.util.List;
import java.util.Objects;

/**
 * What {@link GitSync#publish()} did.
 *
 * @param outcome whether commits were pushed, would have been pushed, or were not needed
 * @param source the source commit the pushed (or proposed) output was rendered from, i.e. the last
 *     attempt's checkout
 * @param commits the commits pushed ({@link Outcome#PUSHED}) or that would be pushed ({@link
 *     Outcome#DRY_RUN}); one per changed branch; empty when {@link Outcome#UP_TO_DATE}
 * @param attempts how many times the renderer ran (1 unless a push race was lost)
 */
public record PublishResult(
    Outcome outcome, Checkout source, List<PublishedCommit> commits, int attempts) {
  public PublishResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(source, "source");
    commits = List.copyOf(commits);
  }

  /** Expected outcomes of a publish run. Failures are {@link GitSyncException}s instead. */
  public enum Outcome {
    /** Commits were made and pushed in one push. */
    PUSHED,
    /** The rendered output equals what is committed; no commit was made, nothing was pushed. */
    UP_TO_DATE,
    /** Dry run: commits were made locally only; nothing was pushed. */
    DRY_RUN
  }
}

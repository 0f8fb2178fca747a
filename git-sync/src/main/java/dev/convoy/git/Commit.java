package dev.convoy.git;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A commit as plain data: what a caller needs to know about it without JGit types.
 *
 * @param id the full commit id
 * @param time the committer time
 * @param subject the first line of the message
 * @param trailers the message's trailers ({@code Key: value} lines of its last paragraph), in order
 */
public record Commit(String id, Instant time, String subject, List<Trailer> trailers) {
  public Commit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    subject = subject == null ? "" : subject;
    trailers = List.copyOf(trailers);
  }

  /** The first 12 characters of the id, as people quote commits. */
  public String shortId() {
    return id.substring(0, Math.min(12, id.length()));
  }
}

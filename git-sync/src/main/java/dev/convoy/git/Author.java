package dev.convoy.git;

import java.util.Objects;

/** The author and committer of Convoy's commits ({@code commit.author} in {@code convoy.yaml}). */
public record Author(String name, String email) {
  public Author {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
    if (name.isBlank()) {
      throw new IllegalArgumentException("author name must not be blank");
    }
  }
}

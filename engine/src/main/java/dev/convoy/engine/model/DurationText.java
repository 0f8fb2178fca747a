package dev.convoy.engine.model;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Kubernetes users write them in YAML and on the command line: 30s, 10m, 1h, 2d. */
public final class DurationText {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(s|m|h|d)");

  private DurationText() {}

  /**
   * The duration, or empty when the text is not one number of at most six digits (999999d is longer
   * than any rollout; more would overflow) and a unit of s, m, h or d.
   */
  public static Optional<Duration> parse(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
  }
}

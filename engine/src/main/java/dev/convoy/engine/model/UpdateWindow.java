package dev.convoy.engine.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * A time in which a wave may start ({@code spec.update.windows}): some days of the week, from one
 * local time to another, in a time zone. A window whose end is before its start runs past midnight
 * (its day is the day it opens).
 *
 * @param days the days it opens on; every day when empty
 * @param from the local time it opens, inclusive
 * @param to the local time it closes, exclusive
 * @param zone the time zone of {@code days}, {@code from} and {@code to}
 */
public record UpdateWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {
  public UpdateWindow {
    days = Set.copyOf(days);
  }

  /** True when {@code at} lies in this window. */
  public boolean contains(Instant at) {
    ZonedDateTime t = at.atZone(zone);
    LocalTime time = t.toLocalTime();
    if (!from.isAfter(to)) {
      return opensOn(t.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }
    // Past midnight: the evening part belongs to today, the morning part to yesterday's opening.
    return (opensOn(t.getDayOfWeek()) && !time.isBefore(from))
        || (opensOn(t.getDayOfWeek().minus(1)) && time.isBefore(to));
  }

  /** {@code at} itself when the window is open, else the next time it opens. */
  public Instant nextOpen(Instant at) {
    if (contains(at)) {
      return at;
    }
    ZonedDateTime day = at.atZone(zone).truncatedTo(ChronoUnit.DAYS);
    for (int i = 0; i <= 8; i++) {
      ZonedDateTime open = day.plusDays(i).with(from);
      if (opensOn(open.getDayOfWeek()) && open.toInstant().isAfter(at)) {
        return open.toInstant();
      }
    }
    return at; // unreachable: a window opens at least once a week
  }

  private boolean opensOn(DayOfWeek d) {
    return days.isEmpty() || days.contains(d);
  }
}

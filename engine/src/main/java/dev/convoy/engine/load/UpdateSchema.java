package dev.convoy.engine.load;

import dev.convoy.engine.model.UpdateGate;
import dev.convoy.engine.model.UpdatePolicy;
import dev.convoy.engine.model.UpdateWindow;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gate, budget per group and windows of {@code spec.update}. */
final class UpdateSchema {
  private UpdateSchema() {}

  /** A comparison a Prometheus gate's samples must satisfy, e.g. {@code == 0} or {@code < 0.05}. */
  static final Pattern EXPECT =
      Pattern.compile("\\s*(==|!=|<=|>=|<|>)\\s*(-?\\d{1,15}(?:\\.\\d{1,15})?)\\s*");

  private static final Pattern HOURS =
      Pattern.compile("(\\d{2}):(\\d{2})\\s*-\\s*(\\d{2}):(\\d{2})");
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  static UpdateGate gate(SchemaReader r, Map<String, Object> g, String path) {
    if (g == null) {
      return null;
    }
    r.rejectUnknown(g, path, Set.of("command", "prometheus", "timeout"));
    Duration timeout = r.duration(g, path, "timeout", "30s or 5m");
    if (timeout.isZero()) {
      timeout = DEFAULT_TIMEOUT;
    }
    boolean command = g.containsKey("command");
    boolean prometheus = g.containsKey("prometheus");
    if (command == prometheus) {
      r.error(path, "needs exactly one of command or prometheus");
      return null;
    }
    if (command) {
      List<String> argv = r.strings(g, path, "command");
      if (argv.isEmpty() || argv.get(0).isBlank()) {
        r.error(path + ".command", "must name a program, e.g. [kubectl, rollout, status, ...]");
        return null;
      }
      return new UpdateGate.Command(argv, timeout);
    }
    Map<String, Object> p = r.map(g, path, "prometheus", true);
    if (p == null) {
      return null;
    }
    String at = path + ".prometheus";
    r.rejectUnknown(p, at, Set.of("url", "query", "expect"));
    String url = r.string(p, at, "url", true);
    String query = r.string(p, at, "query", true);
    String expect = r.string(p, at, "expect", true);
    if (url != null && !url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
      r.error(at + ".url", "must be an http:// or https:// address, found '" + url + "'");
      return null;
    }
    if (expect != null && !EXPECT.matcher(expect).matches()) {
      r.error(
          at + ".expect",
          "must be a comparison like '== 0' or '< 0.05' (==, !=, <, <=, >, >=), found '"
              + expect
              + "'");
      return null;
    }
    if (query != null && query.isBlank()) {
      r.error(at + ".query", "must not be empty");
      return null;
    }
    return url == null || query == null || expect == null
        ? null
        : new UpdateGate.Prometheus(url, query, expect.strip(), timeout);
  }

  static UpdatePolicy.PerGroup perGroup(SchemaReader r, Map<String, Object> g, String path) {
    if (g == null) {
      return null;
    }
    r.rejectUnknown(g, path, Set.of("by", "label", "max"));
    String by = r.string(g, path, "by", false);
    String label = r.string(g, path, "label", false);
    if ((by == null) == (label == null)) {
      r.error(path, "needs exactly one of 'by: namespace' or 'label: KEY'");
      return null;
    }
    if (by != null && !by.equals("namespace")) {
      r.error(path + ".by", "must be namespace (or use label: KEY), found '" + by + "'");
      return null;
    }
    if (label != null
        && !label.matches("([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")) {
      r.error(path + ".label", "must be a label key, found '" + label + "'");
      return null;
    }
    if (!g.containsKey("max")) {
      r.error(path + ".max", "is required");
      return null;
    }
    Long max = r.longValue(g, path, "max", 1, Integer.MAX_VALUE);
    return max == null ? null : new UpdatePolicy.PerGroup(label, max.intValue());
  }

  static List<UpdateWindow> windows(SchemaReader r, Map<String, Object> u, String path) {
    List<UpdateWindow> out = new ArrayList<>();
    List<Map<String, Object>> list = r.maps(u, path, "windows");
    for (int i = 0; i < list.size(); i++) {
      Map<String, Object> w = list.get(i);
      if (w == null) {
        continue;
      }
      String at = path + ".windows[" + i + "]";
      r.rejectUnknown(w, at, Set.of("days", "hours", "timeZone"));
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      boolean ok = true;
      for (String d : r.strings(w, at, "days")) {
        DayOfWeek day = day(d);
        if (day == null) {
          r.error(at + ".days", "must be days like Mon or Monday, found '" + d + "'");
          ok = false;
        } else {
          days.add(day);
        }
      }
      String hours = r.string(w, at, "hours", true);
      Matcher m = hours == null ? null : HOURS.matcher(hours.strip());
      LocalTime from = null;
      LocalTime to = null;
      if (m != null && m.matches()) {
        from = time(m.group(1), m.group(2));
        to = time(m.group(3), m.group(4));
      }
      if (hours != null && (from == null || to == null || from.equals(to))) {
        r.error(
            at + ".hours",
            "must be like 09:00-17:00 (start before or after end), found '" + hours + "'");
        ok = false;
      }
      String tz = r.string(w, at, "timeZone", false);
      ZoneId zone = ZoneOffset.UTC;
      if (tz != null) {
        try {
          zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
          r.error(
              at + ".timeZone",
              "must be a time zone like Europe/Berlin or UTC, found '" + tz + "'");
          ok = false;
        }
      }
      if (ok && from != null && to != null) {
        out.add(new UpdateWindow(days, from, to, zone));
      }
    }
    return out;
  }

  private static LocalTime time(String h, String m) {
    int hour = Integer.parseInt(h);
    int minute = Integer.parseInt(m);
    if (hour == 24 && minute == 0) {
      return LocalTime.MAX;
    }
    return hour < 24 && minute < 60 ? LocalTime.of(hour, minute) : null;
  }

  private static DayOfWeek day(String d) {
    String s = d.strip().toUpperCase(Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      if (s.length() >= 3 && day.name().startsWith(s)) {
        return day;
      }
    }
    return null;
  }
}

package dev.convoy.engine.kubelet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@link KubeletModel} reads out of a container's scripts: only their marker files, in the
 * statement forms the convention names (see {@link KubeletModel}). Everything else a script does
 * (polling an HTTP probe, sleeping, passing signals on) is assumed to work once the container's
 * process runs; the real shells check that (the kubelet scenarios under dash and busybox ash).
 */
final class Scripts {
  private Scripts() {}

  private static final String M =
      "[\"']?" + Pattern.quote(Marker.DIRECTORY) + "/[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.[a-z]+\\b";

  /** {@code if [ -f M ]; then ...; exit 0; fi}: a hook that passes at once when M exists. */
  private static final Pattern SKIP =
      Pattern.compile("if \\[ -f (" + M + ") \\]; then ([^\\n]*?)exit 0; fi");

  private static final Pattern UNTIL = Pattern.compile("\\buntil ([^\\n]*?); do");
  private static final Pattern WHILE = Pattern.compile("\\bwhile ([^\\n]*?); do");

  /**
   * A postStart or preStop hook.
   *
   * @param skipIf when this marker exists the hook writes {@code skipWrites} and returns at once
   * @param removes markers it removes when it starts
   * @param present markers it waits for ({@code until [ -f M ]})
   * @param absent markers it waits to disappear ({@code while [ -f M ]})
   * @param polls whether it also polls something opaque (a probe): that needs its container's
   *     process to run
   * @param bounded whether its waits end after a bound ({@code end=$((...))}), else only the grace
   *     period ends them
   * @param writes markers it writes when it completes
   */
  record Hook(
      Marker skipIf,
      Set<Marker> skipWrites,
      Set<Marker> removes,
      Set<Marker> present,
      Set<Marker> absent,
      boolean polls,
      boolean bounded,
      Set<Marker> writes) {

    static final Hook NONE =
        new Hook(null, Set.of(), Set.of(), Set.of(), Set.of(), false, false, Set.of());

    /** A hook that runs a command and reads no marker: it holds the kubelet until it returns. */
    boolean opaque() {
      return this != NONE
          && skipIf == null
          && removes.isEmpty()
          && present.isEmpty()
          && absent.isEmpty()
          && !polls
          && writes.isEmpty();
    }

    static Hook of(String script) {
      if (script == null || script.isBlank()) {
        return NONE;
      }
      Marker skipIf = null;
      Set<Marker> skipWrites = Set.of();
      Matcher skip = SKIP.matcher(script);
      String rest = script;
      if (skip.find()) {
        skipIf = Marker.testedBy("-f " + skip.group(1)).iterator().next();
        skipWrites = Marker.writtenBy(skip.group(3));
        rest = script.substring(0, skip.start()) + script.substring(skip.end());
      }
      Set<Marker> present = new LinkedHashSet<>();
      boolean polls = false;
      Matcher until = UNTIL.matcher(rest);
      while (until.find()) {
        Set<Marker> tested = Marker.testedBy(until.group(1));
        present.addAll(tested);
        polls |= tested.isEmpty();
      }
      Set<Marker> absent = new LinkedHashSet<>();
      Matcher whileLoop = WHILE.matcher(rest);
      while (whileLoop.find()) {
        absent.addAll(Marker.testedBy(whileLoop.group(1)));
      }
      // A one-line `test -f M` (no loop) is a check the hook needs to pass.
      if (present.isEmpty() && absent.isEmpty() && !rest.contains("until ")) {
        present.addAll(Marker.testedBy(rest));
      }
      Set<Marker> writes = new LinkedHashSet<>(Marker.writtenBy(rest));
      return new Hook(
          skipIf,
          skipWrites,
          Marker.removedBy(rest),
          present,
          absent,
          polls,
          rest.contains("end=$(("),
          writes);
    }
  }

  /** How a universal mode copy decides whether it runs. */
  enum Handshake {
    NONE,
    /** The native copy: probes on its first run, runs on the next, never after the other. */
    NATIVE_COPY,
    /** The regular copy: steps aside (idles or exits 0) when the native copy runs. */
    REGULAR_COPY
  }

  /**
   * A container's command.
   *
   * @param wrapped whether it runs the original command as {@code "$@"} (a Convoy wrapper)
   * @param handshake universal mode's part in it
   * @param idles the regular copy idles (instead of exiting 0) when the native copy runs
   * @param name the container the handshake markers are about
   * @param awaits what it waits for before it starts its process ({@code until ...}): every group
   *     needs one of its markers ({@code { [ -f A ] || [ -f B ]; }} is a group of two)
   * @param givesUp groups it needs at once, else it writes {@code givesUpWrites} and exits 1
   * @param givesUpWrites what it writes when it gives up
   * @param startRemoves markers it removes when it starts
   * @param startWrites markers it writes when its process starts
   * @param exitRemoves markers it removes when its process has exited
   * @param exitWrites markers it writes when its process has exited
   * @param successWrites markers it writes when its process has exited with status 0
   * @param beats whether it rewrites its heartbeat while its process runs
   * @param watchPresent it stops its process once these exist ...
   * @param watchAbsent ... and these do not ...
   * @param watchEnded ... and these containers have ended (done, or their heartbeat stopped)
   * @param watches whether it watches at all
   */
  record Command(
      boolean wrapped,
      Handshake handshake,
      boolean idles,
      String name,
      List<Set<Marker>> awaits,
      List<Set<Marker>> givesUp,
      Set<Marker> givesUpWrites,
      Set<Marker> startRemoves,
      Set<Marker> startWrites,
      Set<Marker> exitRemoves,
      Set<Marker> exitWrites,
      Set<Marker> successWrites,
      boolean beats,
      Set<Marker> watchPresent,
      Set<Marker> watchAbsent,
      Set<String> watchEnded,
      boolean watches) {

    private static final Pattern FUNCTION =
        Pattern.compile("(?m)^([a-z_][a-z0-9_]*)\\(\\) \\{\\n(.*?)\\n\\}", Pattern.DOTALL);
    private static final Pattern ONE_LINE_FUNCTION =
        Pattern.compile("(?m)^\\s*[a-z_][a-z0-9_]*\\(\\) \\{[^\\n]*\\}$");
    private static final Pattern REGULAR_COPY =
        Pattern.compile("if \\[ -f (" + M + ") \\]; then\\n(.*?)\\nfi\\n", Pattern.DOTALL);
    private static final Pattern GIVE_UP =
        Pattern.compile("if ! \\{ ([^\\n]*?); \\}; then\\n(.*?)\\nfi", Pattern.DOTALL);
    private static final Pattern ENDED = Pattern.compile("ended ([-a-z0-9]+) \\d+ \\|\\| f=1");
    private static final Pattern NEEDS_ABSENT =
        Pattern.compile("! \\[ -f (" + M + ") \\] \\|\\| f=1");
    private static final Pattern NEEDS_PRESENT =
        Pattern.compile("(?<!! )\\[ -f (" + M + ") \\] \\|\\| f=1");
    private static final Pattern LOOP =
        Pattern.compile("while kill -0 \\$p 2>/dev/null; do\\n(.*?)\\ndone\\n", Pattern.DOTALL);
    private static final Pattern ON_SUCCESS =
        Pattern.compile("\\[ \"\\$st\" -ne 0 \\] \\|\\| (: >" + M + ")");
    private static final Pattern TRAP =
        Pattern.compile("trap \"([^\"]*)\" TERM|trap '([^']*)' TERM");

    static Command of(String script) {
      if (script == null) {
        script = "";
      }
      Handshake handshake = Handshake.NONE;
      boolean idles = false;
      String name = null;
      Set<Marker> watchPresent = new LinkedHashSet<>();
      Set<Marker> watchAbsent = new LinkedHashSet<>();
      Set<String> watchEnded = new LinkedHashSet<>();
      boolean watches = false;
      String text = script;
      if (text.contains(".legacy ]; then exit 0; fi") && text.contains(".probe ]; then")) {
        handshake = Handshake.NATIVE_COPY;
        name = Marker.testedBy(text).iterator().next().container();
        return new Command(
            true, handshake, false, name, List.of(), List.of(), Set.of(), Set.of(), Set.of(),
            Set.of(), Set.of(), Set.of(), false, Set.of(), Set.of(), Set.of(), false);
      }
      Matcher copy = REGULAR_COPY.matcher(text);
      if (copy.find() && copy.group(1).endsWith(".native")) {
        handshake = Handshake.REGULAR_COPY;
        idles = copy.group(3).contains("while :");
        name = Marker.testedBy("-f " + copy.group(1)).iterator().next().container();
        text = text.substring(0, copy.start()) + text.substring(copy.end());
      }
      Matcher f = FUNCTION.matcher(text);
      StringBuilder stripped = new StringBuilder();
      int last = 0;
      while (f.find()) {
        if (f.group(1).equals("finished")) {
          watches = true;
          String body = f.group(2);
          Matcher a = NEEDS_ABSENT.matcher(body);
          while (a.find()) {
            watchAbsent.addAll(Marker.testedBy("-f " + a.group(1)));
          }
          Matcher p = NEEDS_PRESENT.matcher(body);
          while (p.find()) {
            watchPresent.addAll(Marker.testedBy("-f " + p.group(1)));
          }
          Matcher e = ENDED.matcher(body);
          while (e.find()) {
            watchEnded.add(e.group(1));
          }
        }
        stripped.append(text, last, f.start());
        last = f.end();
      }
      stripped.append(text.substring(last));
      text = ONE_LINE_FUNCTION.matcher(stripped.toString()).replaceAll("");
      int run = text.indexOf("\"$@\"");
      boolean wrapped = run >= 0;
      String prelude = wrapped ? text.substring(0, run) : text;
      String after = wrapped ? text.substring(run) : "";
      List<Set<Marker>> givesUp = new ArrayList<>();
      Set<Marker> givesUpWrites = new LinkedHashSet<>();
      Matcher g = GIVE_UP.matcher(prelude);
      if (g.find()) {
        givesUp.addAll(groups(g.group(1)));
        givesUpWrites.addAll(Marker.writtenBy(g.group(2)));
        prelude = prelude.substring(0, g.start()) + prelude.substring(g.end());
      }
      List<Set<Marker>> awaits = new ArrayList<>();
      Matcher u = UNTIL.matcher(prelude);
      while (u.find()) {
        awaits.addAll(groups(u.group(1)));
      }
      Set<Marker> exitWrites = new LinkedHashSet<>();
      Set<Marker> startWrites = new LinkedHashSet<>();
      // Hand-written commands: a write in a TERM trap happens as the process exits.
      Matcher t = TRAP.matcher(prelude);
      while (t.find()) {
        exitWrites.addAll(Marker.writtenBy(t.group(1) != null ? t.group(1) : t.group(2)));
      }
      for (Marker m : Marker.writtenBy(TRAP.matcher(prelude).replaceAll(""))) {
        startWrites.add(m);
      }
      boolean beats = false;
      Matcher loop = LOOP.matcher(after);
      if (loop.find()) {
        beats = !Marker.writtenBy(loop.group(1), Marker.Event.BEAT).isEmpty();
        after = after.substring(0, loop.start()) + after.substring(loop.end());
      }
      Set<Marker> successWrites = new LinkedHashSet<>();
      Matcher s = ON_SUCCESS.matcher(after);
      while (s.find()) {
        successWrites.addAll(Marker.writtenBy(s.group(1)));
      }
      after = ON_SUCCESS.matcher(after).replaceAll("");
      exitWrites.addAll(Marker.writtenBy(after));
      return new Command(
          wrapped,
          handshake,
          idles,
          name,
          awaits,
          givesUp,
          givesUpWrites,
          Marker.removedBy(prelude),
          startWrites,
          Marker.removedBy(after),
          exitWrites,
          successWrites,
          beats,
          watchPresent,
          watchAbsent,
          watchEnded,
          watches);
    }
  }

  /** {@code A && { B || C; }}: the markers of each {@code &&} term, any one of which will do. */
  static List<Set<Marker>> groups(String condition) {
    List<Set<Marker>> out = new ArrayList<>();
    for (String term : condition.split("\\s*&&\\s*(?![^{]*\\})")) {
      Set<Marker> any = Marker.testedBy(term);
      if (!any.isEmpty()) {
        out.add(any);
      }
    }
    return out;
  }

  /** Whether every group has one of its markers in {@code markers}. */
  static boolean satisfied(List<Set<Marker>> groups, Set<Marker> markers) {
    return groups.stream().allMatch(g -> g.stream().anyMatch(markers::contains));
  }
}

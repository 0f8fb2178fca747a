package dev.convoy.engine.kubelet;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A marker file in the pod's shared {@code emptyDir}, mounted at {@value #DIRECTORY}: the one
 * convention by which rendered hooks and commands coordinate, and by which {@link KubeletModel}
 * recognises what they test, write and remove. See {@link KubeletModel} for the full convention.
 *
 * @param container the container the marker is about
 * @param event what it says about it
 */
record Marker(String container, Event event) {

  /** Where the renderers mount the shared {@code emptyDir}. */
  static final String DIRECTORY = "/convoy/run";

  /** What a marker says about its container. */
  enum Event {
    /** It passed its ready gate. */
    READY,
    /** Its wrapped process runs. */
    RUNNING,
    /** It has exited for good under the pod's restartPolicy. */
    DONE,
    /** Its wrapper's heartbeat. */
    BEAT,
    /** Universal handshake: the native copy's first run happened. */
    PROBE,
    /** Universal handshake: the native copy runs the sidecar. */
    NATIVE,
    /** Universal handshake: the regular copy runs the sidecar. */
    LEGACY,
    /** Its main process has exited (hand-written pods). */
    EXITED;

    String suffix() {
      return name().toLowerCase();
    }
  }

  // A container name is a DNS-1123 label.
  private static final String PATH =
      "[\"']?"
          + Pattern.quote(DIRECTORY)
          + "/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.(ready|running|done|beat|probe|native|legacy|exited)\\b";

  /** {@code [ -f PATH ]}, {@code test -f PATH}, {@code [ -e PATH ]}: a test of the file. */
  private static final Pattern TEST = Pattern.compile("-[fe]\\s+" + PATH);

  /** {@code touch PATH}, {@code : >PATH}, {@code echo ... > PATH}, {@code >> PATH}: creating it. */
  private static final Pattern WRITE = Pattern.compile("(?:\\btouch\\s+|>>?\\s*)" + PATH);

  /** {@code rm -f PATH...}. */
  private static final Pattern REMOVE = Pattern.compile("\\brm\\s+-f((?:\\s+" + PATH + ")+)");

  /** The markers a script tests for, in order of appearance. */
  static Set<Marker> testedBy(String script) {
    return find(TEST, script, 1);
  }

  /** The markers a script creates, in order of appearance. */
  static Set<Marker> writtenBy(String script) {
    return find(WRITE, script, 1);
  }

  /** The markers a script removes. */
  static Set<Marker> removedBy(String script) {
    Set<Marker> out = new LinkedHashSet<>();
    if (script == null) {
      return out;
    }
    Matcher m = REMOVE.matcher(script);
    while (m.find()) {
      out.addAll(find(Pattern.compile(PATH), m.group(1), 1));
    }
    return out;
  }

  /** The markers a script creates for one event. */
  static Set<Marker> writtenBy(String script, Event event) {
    Set<Marker> result = new LinkedHashSet<>();
    for (Marker marker : writtenBy(script)) {
      if (marker.event == event) {
        result.add(marker);
      }
    }
    return result;
  }

  private static Set<Marker> find(Pattern pattern, String script, int group) {
    Set<Marker> result = new LinkedHashSet<>();
    if (script == null) {
      return result;
    }
    Matcher m = pattern.matcher(script);
    while (m.find()) {
      result.add(new Marker(m.group(group), Event.valueOf(m.group(group + 2).toUpperCase())));
    }
    return result;
  }

  /** The text of an exec action or a container's command and args, words joined by spaces. */
  static String script(List<?> words) {
    if (words == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (Object word : words) {
      text.append(text.length() == 0 ? "" : " ").append(word);
    }
    return text.toString();
  }

  String path() {
    return DIRECTORY + "/" + container + "." + event.suffix();
  }

  @Override
  public String toString() {
    return path();
  }
}

package dev.convoy.engine.kubelet;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A marker file in the pod's shared {@code emptyDir}, mounted at {@value #DIRECTORY}: the one
 * convention by which rendered hooks and commands coordinate, and by which {@link KubeletModel}
 * recognises what they wait for. See {@link KubeletModel} for the full convention.
 *
 * @param container the container the marker is about
 * @param event {@code ready} (the container passed its ready gate) or {@code exited} (its main
 *     process has exited)
 */
record Marker(String container, Event event) {

  /** Where the renderers mount the shared {@code emptyDir}. */
  static final String DIRECTORY = "/convoy/run";

  /** What a marker says about its container. */
  enum Event {
    READY,
    EXITED;

    String suffix() {
      return name().toLowerCase();
    }
  }

  // A container name is a DNS-1123 label.
  private static final String PATH =
      "[\"']?" + Pattern.quote(DIRECTORY) + "/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.(ready|exited)\\b";

  /** {@code [ -f PATH ]}, {@code test -f PATH}, {@code until [ -e PATH ]}: a poll for the file. */
  private static final Pattern WAIT = Pattern.compile("-[fe]\\s+" + PATH);

  /** {@code touch PATH}, {@code echo ... > PATH}, {@code >> PATH}: creating the file. */
  private static final Pattern WRITE = Pattern.compile("(?:\\btouch\\s+|>>?\\s*)" + PATH);

  /** The markers a script polls for, in order of appearance. */
  static Set<Marker> awaitedBy(String script) {
    return find(WAIT, script);
  }

  /** The markers a script creates, in order of appearance. */
  static Set<Marker> writtenBy(String script) {
    return find(WRITE, script);
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

  private static Set<Marker> find(Pattern pattern, String script) {
    Set<Marker> result = new LinkedHashSet<>();
    if (script == null) {
      return result;
    }
    Matcher m = pattern.matcher(script);
    while (m.find()) {
      result.add(new Marker(m.group(1), Event.valueOf(m.group(3).toUpperCase())));
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

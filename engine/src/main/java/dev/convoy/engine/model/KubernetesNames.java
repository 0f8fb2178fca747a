package dev.convoy.engine.model;

import java.util.regex.Pattern;

/**
 * The API server's rules for the names and numbers Convoy writes (apimachinery's {@code validation}
 * package): what it would refuse, Convoy refuses first, naming the file and line.
 */
public final class KubernetesNames {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private KubernetesNames() {}

  /** A DNS-1123 label, at most 63 characters: container, namespace and policy names. */
  public static boolean isDnsLabel(String s) {
    return s != null && s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  /** Why {@code s} is not a DNS-1123 label, or null when it is one. */
  public static String dnsLabelProblem(String s) {
    if (s == null || s.isEmpty()) {
      return "must not be empty";
    }
    if (s.length() > 63) {
      return "'" + s + "' is " + s.length() + " characters long, at most 63 are allowed";
    }
    return DNS_LABEL.matcher(s).matches()
        ? null
        : "'"
            + s
            + "' is not a DNS-1123 label (lowercase letters, digits and '-', starting and"
            + " ending with a letter or digit)";
  }

  /**
   * Why {@code s} is not a port name (IANA_SVC_NAME: at most 15 characters, lowercase letters,
   * digits and single '-', at least one letter), or null when it is one.
   */
  public static String portNameProblem(String s) {
    if (s == null || s.isEmpty()) {
      return "must not be empty";
    }
    if (s.length() > 15) {
      return "'" + s + "' is " + s.length() + " characters long, a port name has at most 15";
    }
    if (!IANA_SVC_NAME.matcher(s).matches()
        || s.contains("--")
        || !HAS_LETTER.matcher(s).matches()) {
      return "'"
          + s
          + "' is not a port name (lowercase letters, digits and single '-', at least one letter)";
    }
    return null;
  }

  /** True for a port number the API server accepts: 1 to 65535. */
  public static boolean isPortNumber(long n) {
    return n >= 1 && n <= 65535;
  }

  /**
   * Why {@code s} is not a label key ({@code [prefix/]name}: a DNS subdomain of at most 253
   * characters, then a name of at most 63), or null when it is one.
   */
  public static String labelKeyProblem(String s) {
    if (s == null || s.isEmpty()) {
      return "a label key must not be empty";
    }
    String name = s;
    int slash = s.indexOf('/');
    if (slash >= 0) {
      String prefix = s.substring(0, slash);
      name = s.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return "label key '" + s + "' has an invalid prefix (a DNS subdomain, at most 253)";
      }
    }
    if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
      return "'"
          + s
          + "' is not a valid label key (at most 63 letters, digits, '-', '_' and '.', starting"
          + " and ending with a letter or digit, after an optional prefix/)";
    }
    return null;
  }

  /** Why {@code s} is not a label value (empty, or at most 63 of the key's characters). */
  public static String labelValueProblem(String s) {
    if (s == null) {
      return "a label value must be a string";
    }
    if (s.isEmpty()) {
      return null;
    }
    if (s.length() > 63 || !QUALIFIED_NAME.matcher(s).matches()) {
      return "'"
          + s
          + "' is not a valid label value (at most 63 letters, digits, '-', '_' and '.',"
          + " starting and ending with a letter or digit)";
    }
    return null;
  }
}

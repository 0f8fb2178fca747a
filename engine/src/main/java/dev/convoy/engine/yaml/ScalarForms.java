package dev.convoy.engine.yaml;

import java.math.BigInteger;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * What an unquoted scalar means to the YAML readers a manifest meets on its way to a cluster: YAML
 * 1.1 as SnakeYAML and PyYAML read it (sexagesimal {@code 12:30}, {@code yes}/{@code on} booleans,
 * timestamps), Kubernetes' decoder (go-yaml v2: {@code y}/{@code yes}/{@code on} booleans, Go
 * integer literals {@code 0755}, {@code 0o17}, {@code 0x1F}, {@code 1_000}) and YAML 1.2 as
 * kustomize reads it. A value is a <em>plain string</em> only when every one of them reads it as
 * the string it spells; anything else must not be re-spelled by Convoy.
 */
final class ScalarForms {
  /** SnakeYAML's YAML 1.1 resolver, timestamps included: the strictest of the three for words. */
  private static final Resolver YAML_1_1 = new Resolver();

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private ScalarForms() {}

  /**
   * True when {@code s}, written unquoted, is the string {@code s} to every reader; false for the
   * empty string (null) and for everything some reader takes as a number, boolean, null, date or
   * merge key.
   */
  static boolean isPlainString(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char c = s.charAt(0);
    if (isNumberStart(c)) {
      if (YAML_1_1.resolve(NodeId.scalar, s, true) != Tag.STR) {
        return false;
      }
      String stripped = s.indexOf('_') < 0 ? s : s.replace("_", "");
      return !isGoInteger(stripped) && !isFloat(stripped);
    }
    // Every bool, null and merge spelling of every reader is at most five characters long.
    if (s.length() > 5) {
      return true;
    }
    return switch (s) {
      case "y",
          "Y",
          "n",
          "N",
          "yes",
          "Yes",
          "YES",
          "no",
          "No",
          "NO",
          "true",
          "True",
          "TRUE",
          "false",
          "False",
          "FALSE",
          "on",
          "On",
          "ON",
          "off",
          "Off",
          "OFF",
          "~",
          "null",
          "Null",
          "NULL",
          "<<",
          "=",
          " " ->
          false;
      // Every other non-number word is a string to all three: no regular expression needed
      // (short words such as app, web, TCP are most of a manifest's scalars).
      default -> true;
    };
  }

  private static boolean isNumberStart(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
  }

  /** {@code 0} or {@code -?[1-9][0-9]*}: an integer every reader reads and Java prints the same. */
  static boolean isCanonicalInteger(String s) {
    int n = s.length();
    int i = 0;
    if (n > 0 && s.charAt(0) == '-') {
      i = 1;
    }
    if (i == n) {
      return false;
    }
    if (s.charAt(i) == '0') {
      return n == 1;
    }
    for (int j = i; j < n; j++) {
      char c = s.charAt(j);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Integer, Long or BigInteger, the smallest that holds a decimal integer. */
  static Number integer(String decimal) {
    if (decimal.length() <= 9) {
      return Integer.parseInt(decimal);
    }
    if (decimal.length() <= 18) {
      long l = Long.parseLong(decimal);
      return l == (int) l ? Integer.valueOf((int) l) : Long.valueOf(l);
    }
    return narrow(new BigInteger(decimal));
  }

  private static Number narrow(BigInteger b) {
    if (b.bitLength() < 32) {
      return b.intValue();
    }
    if (b.bitLength() < 64) {
      return b.longValue();
    }
    return b;
  }

  /**
   * A decimal such as {@code 0.5}, {@code -12.25} or {@code 1.0E10} whose Java spelling is the
   * written one, or {@code null}: {@code 1.50}, {@code 1.30} and {@code 1e3} would print
   * differently.
   */
  static Double canonicalDouble(String s) {
    int n = s.length();
    if (n > 32) {
      return null;
    }
    int i = s.startsWith("-") ? 1 : 0;
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (digits == 0 || i == n || s.charAt(i) != '.') {
      return null;
    }
    i++;
    int fraction = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      fraction++;
    }
    if (fraction == 0) {
      return null;
    }
    if (i < n) {
      if (s.charAt(i) != 'E') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == '-') {
        i++;
      }
      int exponent = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        exponent++;
      }
      if (exponent == 0 || i != n) {
        return null;
      }
    }
    double d = Double.parseDouble(s);
    return Double.toString(d).equals(s) ? d : null;
  }

  /**
   * Go's integer literal syntax as {@code strconv.ParseInt(s, 0, 64)} reads it (underscores removed
   * first, as Kubernetes' decoder does): a sign, then {@code 0x}, {@code 0o}, {@code 0b}, a leading
   * {@code 0} for octal, or decimal digits.
   */
  static boolean isGoInteger(String s) {
    int n = s.length();
    int i = 0;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      i = 1;
    }
    if (i == n) {
      return false;
    }
    if (s.charAt(i) == '0' && i + 1 < n) {
      char p = s.charAt(i + 1);
      int radix =
          switch (p) {
            case 'x', 'X' -> 16;
            case 'o', 'O' -> 8;
            case 'b', 'B' -> 2;
            default -> 0;
          };
      if (radix != 0) {
        return i + 2 < n && digits(s, i + 2, radix);
      }
      return digits(s, i + 1, 8);
    }
    return digits(s, i, 10);
  }

  private static boolean digits(String s, int from, int radix) {
    for (int j = from; j < s.length(); j++) {
      if (Character.digit(s.charAt(j), radix) < 0) {
        return false;
      }
    }
    return from < s.length();
  }

  /**
   * {@code [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?}: a float to go-yaml and YAML 1.2
   * (and an integer when it has neither dot nor exponent).
   */
  static boolean isFloat(String s) {
    int n = s.length();
    int i = 0;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      i = 1;
    }
    int intDigits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      intDigits++;
    }
    int fracDigits = 0;
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        fracDigits++;
      }
      if (intDigits == 0 && fracDigits == 0) {
        return false;
      }
    } else if (intDigits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
        i++;
      }
      int expDigits = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        expDigits++;
      }
      if (expDigits == 0) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * What Kubernetes' decoder (go-yaml v2, through sigs.k8s.io/yaml) makes of an unquoted scalar:
   * Boolean for {@code y}/{@code yes}/{@code on}/{@code true} and their opposites, null for {@code
   * ~}/{@code null}, a Go integer literal as Integer, Long or BigInteger, a float as Double, and
   * the text itself for everything else (dates and {@code 12:30} stay strings).
   */
  static Object kubernetesValue(String s) {
    switch (s) {
      case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
        return Boolean.TRUE;
      case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
        return Boolean.FALSE;
      case "", "~", "null", "Null", "NULL":
        return null;
      case ".nan", ".NaN", ".NAN":
        return Double.NaN;
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
        return Double.POSITIVE_INFINITY;
      case "-.inf", "-.Inf", "-.INF":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (!isNumberStart(s.charAt(0))) {
      return s;
    }
    String t = s.indexOf('_') < 0 ? s : s.replace("_", "");
    if (isGoInteger(t)) {
      BigInteger b = goInteger(t);
      if (b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0) {
        return narrow(b);
      }
      // Beyond 64 bits go-yaml falls back to a float.
      return isFloat(t) ? Double.parseDouble(t) : b.doubleValue();
    }
    if (isFloat(t)) {
      return Double.parseDouble(t);
    }
    return s;
  }

  /** The value of a literal {@link #isGoInteger} accepts. */
  static BigInteger goInteger(String s) {
    boolean negative = s.charAt(0) == '-';
    int i = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
    int radix = 10;
    if (s.charAt(i) == '0' && i + 1 < s.length()) {
      char p = Character.toLowerCase(s.charAt(i + 1));
      if (p == 'x' || p == 'o' || p == 'b') {
        radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
        i += 2;
      } else {
        radix = 8;
        i += 1;
      }
    }
    BigInteger b = new BigInteger(s.substring(i), radix);
    return negative ? b.negate() : b;
  }

  /**
   * The YAML 1.1 integer forms an explicit {@code !!int} tag accepts (sign, {@code 0x}, {@code 0o},
   * {@code 0b}, octal {@code 0...}, decimal; underscores ignored), or {@code null}.
   */
  static Number taggedInteger(String s) {
    String t = s.replace("_", "");
    if (!isGoInteger(t)) {
      return null;
    }
    return narrow(goInteger(t));
  }

  /**
   * An explicit {@code !!float}: a decimal with optional exponent, or {@code .inf}/{@code .nan}.
   */
  static Double taggedFloat(String s) {
    Object v = kubernetesValue(s);
    if (v instanceof Double d) {
      return d;
    }
    String t = s.replace("_", "");
    return isFloat(t) ? Double.parseDouble(t) : null;
  }

  /** An explicit {@code !!bool}: the YAML 1.1 spellings. */
  static Boolean taggedBoolean(String s) {
    Object v = kubernetesValue(s);
    return v instanceof Boolean b && !s.equalsIgnoreCase("y") && !s.equalsIgnoreCase("n")
        ? b
        : null;
  }
}

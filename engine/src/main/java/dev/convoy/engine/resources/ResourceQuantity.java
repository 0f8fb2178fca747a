package dev.convoy.engine.resources;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact Kubernetes resource quantity, held as a {@link BigDecimal} in base units (cores for cpu,
 * bytes for memory and ephemeral-storage).
 *
 * <p>Parsing follows the grammar of {@code k8s.io/apimachinery/pkg/api/resource}: an optionally
 * signed decimal number followed by a binary suffix ({@code Ki Mi Gi Ti Pi Ei}), a decimal suffix
 * ({@code n u m k M G T P E} or none) or a decimal exponent ({@code e3}, {@code E-2}). Unlike
 * Kubernetes, nothing is rounded: a sum of quantities is exact, and rounding (e.g. to whole bytes)
 * is left to whoever turns a figure into a cgroup setting.
 *
 * @param amount the value in base units, normalised so that equal quantities are equal records
 */
public record ResourceQuantity(BigDecimal amount) implements Comparable<ResourceQuantity> {

  /** Zero, in any unit. */
  public static final ResourceQuantity ZERO = new ResourceQuantity(BigDecimal.ZERO);

  // The exponent alternative comes before the single letters so that "1e3" is 1000 while "1E"
  // stays one exa; binary suffixes come first so that "Mi" is not read as "M" plus garbage.
  private static final Pattern GRAMMAR =
      Pattern.compile(
          "([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\\d{1,3}|[numkMGTPE])?");

  private static final BigInteger KIBI = BigInteger.valueOf(1024);
  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final String[] DECIMAL_SUFFIXES = {"", "k", "M", "G", "T", "P", "E"};

  public ResourceQuantity {
    if (amount == null) {
      throw new IllegalArgumentException("amount must not be null");
    }
    // Normalise so that record equality is numeric equality: 1.50 == 1.5 and 1E+3 == 1000.
    amount = amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
    if (amount.scale() < 0) {
      amount = amount.setScale(0);
    }
  }

  /**
   * Parses a Kubernetes quantity string such as {@code 100m}, {@code 0.5}, {@code 64Mi}, {@code
   * 1G}, {@code 1e3} or {@code 2Ki}.
   *
   * @throws IllegalArgumentException if the text is not a valid quantity
   */
  public static ResourceQuantity parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("quantity must not be null");
    }
    ResourceQuantity known = PARSED.get(text);
    if (known != null) {
      return known;
    }
    Matcher m = GRAMMAR.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid quantity '" + text + "'");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2) == null ? "" : m.group(2);
    ResourceQuantity parsed = new ResourceQuantity(scale(number, suffix));
    if (PARSED.size() < MAX_PARSED) {
      PARSED.put(text, parsed);
    }
    return parsed;
  }

  // A fleet repeats a few dozen quantity strings ("100m", "64Mi") across tens of thousands of
  // containers, and parsing them was over half of the render phase at 10,000 workloads. The
  // bound keeps a repo of odd quantities from growing the cache without limit.
  private static final int MAX_PARSED = 10_000;
  private static final java.util.Map<String, ResourceQuantity> PARSED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A quantity from a YAML scalar as SnakeYAML loads it: a string ({@code "100m"}) or a number
   * ({@code cpu: 2} loads as an {@link Integer}, {@code cpu: 0.5} as a {@link Double}).
   */
  public static ResourceQuantity of(Object scalar) {
    if (scalar instanceof String s) {
      return parse(s);
    }
    if (scalar instanceof BigDecimal d) {
      return new ResourceQuantity(d);
    }
    if (scalar instanceof Number n) {
      // toString keeps what YAML wrote for a double (0.1 stays 0.1, not 0.1000000000000000055...).
      return parse(n.toString());
    }
    throw new IllegalArgumentException("invalid quantity " + scalar);
  }

  /** The quantity a fabric8 {@link Quantity} stands for. */
  public static ResourceQuantity of(Quantity quantity) {
    String format = quantity.getFormat() == null ? "" : quantity.getFormat();
    return parse(quantity.getAmount() + format);
  }

  private static BigDecimal scale(BigDecimal number, String suffix) {
    return switch (suffix) {
      case "" -> number;
      case "n" -> number.scaleByPowerOfTen(-9);
      case "u" -> number.scaleByPowerOfTen(-6);
      case "m" -> number.scaleByPowerOfTen(-3);
      case "k" -> number.scaleByPowerOfTen(3);
      case "M" -> number.scaleByPowerOfTen(6);
      case "G" -> number.scaleByPowerOfTen(9);
      case "T" -> number.scaleByPowerOfTen(12);
      case "P" -> number.scaleByPowerOfTen(15);
      case "E" -> number.scaleByPowerOfTen(18);
      case "Ki" -> number.multiply(new BigDecimal(KIBI));
      case "Mi" -> number.multiply(new BigDecimal(KIBI.pow(2)));
      case "Gi" -> number.multiply(new BigDecimal(KIBI.pow(3)));
      case "Ti" -> number.multiply(new BigDecimal(KIBI.pow(4)));
      case "Pi" -> number.multiply(new BigDecimal(KIBI.pow(5)));
      case "Ei" -> number.multiply(new BigDecimal(KIBI.pow(6)));
      default -> number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))); // e3, E-2
    };
  }

  public ResourceQuantity plus(ResourceQuantity other) {
    return new ResourceQuantity(amount.add(other.amount));
  }

  public ResourceQuantity max(ResourceQuantity other) {
    return compareTo(other) >= 0 ? this : other;
  }

  public boolean isZero() {
    return amount.signum() == 0;
  }

  @Override
  public int compareTo(ResourceQuantity other) {
    return amount.compareTo(other.amount);
  }

  /**
   * The canonical text for this quantity of the given resource: cpu as whole cores ({@code 2}) or
   * millicores ({@code 250m}, finer precision as {@code u}/{@code n}); memory and ephemeral-storage
   * in the largest binary unit that is exact ({@code 192Mi}), unless the largest exact decimal unit
   * is shorter ({@code 1G}), else bytes ({@code 123}).
   */
  public String format(ResourceName resource) {
    return resource == ResourceName.CPU ? formatCpu() : formatBytes();
  }

  private String formatCpu() {
    if (amount.scale() <= 0) {
      return amount.toPlainString();
    }
    String[] fractional = {"m", "u", "n"};
    for (int i = 0; i < fractional.length; i++) {
      BigDecimal scaled = amount.scaleByPowerOfTen(3 * (i + 1));
      if (isIntegral(scaled)) {
        return scaled.toBigIntegerExact() + fractional[i];
      }
    }
    return amount.toPlainString();
  }

  private String formatBytes() {
    if (!isIntegral(amount)) {
      BigDecimal millis = amount.scaleByPowerOfTen(3);
      return isIntegral(millis) ? millis.toBigIntegerExact() + "m" : amount.toPlainString();
    }
    BigInteger bytes = amount.toBigIntegerExact();
    if (bytes.signum() == 0) {
      return "0";
    }
    String binary = largestExactUnit(bytes, KIBI, BINARY_SUFFIXES);
    String decimal = largestExactUnit(bytes, BigInteger.TEN.pow(3), DECIMAL_SUFFIXES);
    // Binary units are what people write for memory; a decimal unit wins only when it is
    // shorter, so that 1G stays 1G and 1E does not become 976562500000000Ki.
    return decimal.length() < binary.length() ? decimal : binary;
  }

  private static String largestExactUnit(BigInteger bytes, BigInteger base, String[] suffixes) {
    for (int power = suffixes.length - 1; power > 0; power--) {
      BigInteger[] qr = bytes.divideAndRemainder(base.pow(power));
      if (qr[1].signum() == 0) {
        return qr[0] + suffixes[power];
      }
    }
    return bytes.toString();
  }

  private static boolean isIntegral(BigDecimal value) {
    return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
  }

  /** The plain decimal amount in base units; use {@link #format} for the canonical form. */
  @Override
  public String toString() {
    return amount.toPlainString();
  }
}

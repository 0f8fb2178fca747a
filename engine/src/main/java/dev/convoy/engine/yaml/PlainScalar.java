package dev.convoy.engine.yaml;

/**
 * An unquoted scalar that YAML readers do not agree on, kept exactly as written: {@code on}, {@code
 * yes}, {@code 0755}, {@code 0x1F}, {@code 1e3}, {@code 1.30}, {@code 12:30}, {@code ~}, {@code
 * 2024-01-02}, {@code +1}, {@code 1_000}. YAML 1.1 (SnakeYAML, PyYAML), Kubernetes' decoder and
 * YAML 1.2 (kustomize) read some of these as numbers, booleans, dates or null and others as
 * strings, each differently; Convoy neither interprets nor rewrites them, so every tool reads the
 * rendered value as it reads the source.
 *
 * <p>Plain strings every reader agrees on load as {@link String}; {@code true}, {@code false},
 * {@code null}, decimal integers ({@code 0}, {@code 42}, {@code -7}) and decimals whose Java
 * spelling is the written one ({@code 0.5}) load as Java values, because they print back the same.
 *
 * @param text the scalar as written
 */
public record PlainScalar(String text) {

  /** What Kubernetes' own decoder makes of it: a Boolean, Long, Double, null or the String. */
  public Object kubernetesValue() {
    return ScalarForms.kubernetesValue(text);
  }

  /** True for {@code ~}, {@code Null} and {@code NULL}: null to every reader. */
  public boolean isNull() {
    return text.equals("~") || text.equals("Null") || text.equals("NULL");
  }

  /** The text as written: a label value {@code 1.10} stays {@code 1.10}. */
  @Override
  public String toString() {
    return text;
  }

  /**
   * A copy of a loaded tree with every {@link PlainScalar} replaced by {@link #kubernetesValue()}:
   * what a typed Kubernetes model must see (an unquoted {@code privileged: yes} is true to the API
   * server). Trees without one are returned as they are.
   */
  public static Object asKubernetesReadsIt(Object tree) {
    if (tree instanceof PlainScalar p) {
      return p.kubernetesValue();
    }
    if (tree instanceof java.util.Map<?, ?> m) {
      java.util.Map<Object, Object> out = null;
      for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
        Object v = asKubernetesReadsIt(e.getValue());
        Object k =
            e.getKey() instanceof PlainScalar p ? String.valueOf(p.kubernetesValue()) : e.getKey();
        if (out == null && (v != e.getValue() || k != e.getKey())) {
          out = new java.util.LinkedHashMap<>();
          for (java.util.Map.Entry<?, ?> before : m.entrySet()) {
            if (before.getKey() == e.getKey()) {
              break;
            }
            out.put(before.getKey(), before.getValue());
          }
        }
        if (out != null) {
          out.put(k, v);
        }
      }
      return out == null ? tree : out;
    }
    if (tree instanceof java.util.List<?> l) {
      java.util.List<Object> out = null;
      for (int i = 0; i < l.size(); i++) {
        Object v = asKubernetesReadsIt(l.get(i));
        if (out == null && v != l.get(i)) {
          out = new java.util.ArrayList<>(l.subList(0, i));
        }
        if (out != null) {
          out.add(v);
        }
      }
      return out == null ? tree : out;
    }
    return tree;
  }

  /** True when {@code value} is absent to every reader: Java null or a null spelling. */
  public static boolean isNull(Object value) {
    return value == null || (value instanceof PlainScalar p && p.isNull());
  }
}

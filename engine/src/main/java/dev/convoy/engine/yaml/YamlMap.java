package dev.convoy.engine.yaml;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A loaded mapping: keys in source order, unmodifiable (every mutator throws {@link
 * UnsupportedOperationException}), so a renderer that changes a loaded tree instead of a copy fails
 * at once. Two arrays and, past a few keys, an index: smaller than a {@code LinkedHashMap} and
 * quicker to look into for the small mappings manifests are made of. Null keys and values are
 * allowed, as in YAML.
 */
final class YamlMap extends AbstractMap<Object, Object> {
  static final YamlMap EMPTY = new YamlMap(new Object[0], new Object[0], 0);

  /** Up to this many entries a scan beats hashing. */
  private static final int SCAN = 8;

  private final Object[] keys;
  private final Object[] values;
  private final int size;

  /** Open addressing over entry indices plus one (0 is a free slot); null for small maps. */
  private final int[] table;

  private YamlMap(Object[] keys, Object[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
    this.table = size > SCAN ? new int[Integer.highestOneBit(size * 2 - 1) << 1] : null;
  }

  /**
   * A map of {@code n} entries taken from {@code pairs} (key, value, key, value ...) starting at
   * {@code from}, or {@code null} with {@code duplicate[0]} set to the index of the first repeated
   * key (and {@code duplicate[1]} to its earlier one).
   */
  static YamlMap of(Object[] pairs, int from, int n, int[] duplicate) {
    if (n == 0) {
      return EMPTY;
    }
    Object[] keys = new Object[n];
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) {
      keys[i] = pairs[from + 2 * i];
      values[i] = pairs[from + 2 * i + 1];
    }
    YamlMap map = new YamlMap(keys, values, n);
    return map.index(duplicate) ? map : null;
  }

  /** A map of these entries, which must have distinct keys. */
  static YamlMap ofDistinct(Object[] keys, Object[] values, int n) {
    YamlMap map = new YamlMap(keys, values, n);
    if (!map.index(new int[2])) {
      throw new IllegalArgumentException("duplicate key");
    }
    return map;
  }

  /** Fills the index; false (with the two positions) on a repeated key. */
  private boolean index(int[] duplicate) {
    if (table == null) {
      for (int i = 1; i < size; i++) {
        for (int j = 0; j < i; j++) {
          if (Objects.equals(keys[i], keys[j])) {
            duplicate[0] = i;
            duplicate[1] = j;
            return false;
          }
        }
      }
      return true;
    }
    int mask = table.length - 1;
    for (int i = 0; i < size; i++) {
      int slot = hash(keys[i]) & mask;
      while (table[slot] != 0) {
        int j = table[slot] - 1;
        if (Objects.equals(keys[i], keys[j])) {
          duplicate[0] = i;
          duplicate[1] = j;
          return false;
        }
        slot = (slot + 1) & mask;
      }
      table[slot] = i + 1;
    }
    return true;
  }

  private static int hash(Object key) {
    int h = key == null ? 0 : key.hashCode();
    return h ^ (h >>> 16);
  }

  private int indexOf(Object key) {
    if (table == null) {
      for (int i = 0; i < size; i++) {
        Object k = keys[i];
        if (k == key || (key != null && key.equals(k))) {
          return i;
        }
      }
      return -1;
    }
    int mask = table.length - 1;
    int slot = hash(key) & mask;
    while (table[slot] != 0) {
      int j = table[slot] - 1;
      if (Objects.equals(key, keys[j])) {
        return j;
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public Object getOrDefault(Object key, Object defaultValue) {
    int i = indexOf(key);
    return i < 0 ? defaultValue : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public void forEach(BiConsumer<? super Object, ? super Object> action) {
    for (int i = 0; i < size; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  @Override
  public Set<Entry<Object, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<Object, Object>> iterator() {
        return new Walk<>() {
          @Override
          Entry<Object, Object> at(int i) {
            return new SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  @Override
  public Set<Object> keySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Object> iterator() {
        return new Walk<>() {
          @Override
          Object at(int i) {
            return keys[i];
          }
        };
      }

      @Override
      public boolean contains(Object o) {
        return containsKey(o);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  @Override
  public Collection<Object> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<Object> iterator() {
        return new Walk<>() {
          @Override
          Object at(int i) {
            return values[i];
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < size; i++) {
      h += Objects.hashCode(keys[i]) ^ Objects.hashCode(values[i]);
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Map<?, ?> m) || m.size() != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      Object v = values[i];
      if (v == null
          ? !(m.get(keys[i]) == null && m.containsKey(keys[i]))
          : !v.equals(m.get(keys[i]))) {
        return false;
      }
    }
    return true;
  }

  /** Mutators AbstractMap would otherwise let through on an empty map. */
  @Override
  public void clear() {
    throw new UnsupportedOperationException("loaded trees are unmodifiable: copy first");
  }

  @Override
  public Object put(Object key, Object value) {
    throw new UnsupportedOperationException("loaded trees are unmodifiable: copy first");
  }

  @Override
  public Object remove(Object key) {
    throw new UnsupportedOperationException("loaded trees are unmodifiable: copy first");
  }

  @Override
  public void putAll(Map<?, ?> m) {
    throw new UnsupportedOperationException("loaded trees are unmodifiable: copy first");
  }

  /** A read-only iterator over positions. */
  private abstract class Walk<T> implements Iterator<T> {
    private int next;

    abstract T at(int i);

    @Override
    public boolean hasNext() {
      return next < size;
    }

    @Override
    public T next() {
      if (next >= size) {
        throw new NoSuchElementException();
      }
      return at(next++);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(keys[i] == this ? "(this Map)" : keys[i])
          .append('=')
          .append(values[i] == this ? "(this Map)" : values[i]);
    }
    return sb.append('}').toString();
  }
}

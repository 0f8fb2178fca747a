package dev.convoy.engine.yaml;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.RandomAccess;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A loaded sequence: unmodifiable (every mutator throws {@link UnsupportedOperationException}) and
 * backed by one array. Null items are allowed, as in YAML.
 */
final class YamlList extends AbstractList<Object> implements RandomAccess {
  static final YamlList EMPTY = new YamlList(new Object[0]);

  private final Object[] items;

  private YamlList(Object[] items) {
    this.items = items;
  }

  /** A list of the {@code n} items of {@code from} starting at {@code start}. */
  static YamlList of(Object[] from, int start, int n) {
    return n == 0 ? EMPTY : new YamlList(Arrays.copyOfRange(from, start, start + n));
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public void forEach(Consumer<? super Object> action) {
    for (Object item : items) {
      action.accept(item);
    }
  }

  @Override
  public Object[] toArray() {
    return items.clone();
  }

  @Override
  public boolean addAll(Collection<?> c) {
    throw unmodifiable();
  }

  @Override
  public boolean removeIf(Predicate<? super Object> filter) {
    throw unmodifiable();
  }

  @Override
  public void replaceAll(UnaryOperator<Object> operator) {
    throw unmodifiable();
  }

  @Override
  public void sort(Comparator<? super Object> c) {
    throw unmodifiable();
  }

  @Override
  public void clear() {
    throw unmodifiable();
  }

  private static UnsupportedOperationException unmodifiable() {
    return new UnsupportedOperationException("loaded trees are unmodifiable: copy first");
  }
}

package dev.convoy.engine.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A target's output folder on disk, replaced as a whole: the new content is written to a
 * sibling folder first and swapped in by rename, so a failed run leaves the previous output
 * intact, and an unchanged output is not rewritten at all.
 */
public final class OutputFolder {
  private final Path dir;

  public OutputFolder(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** What a write did. */
  public enum WriteOutcome {
    WRITTEN,
    UNCHANGED
  }

  /** The files now in the folder (relative paths, sorted); empty when it does not exist. */
  public SortedMap<String, byte[]> read() {
    recover();
    SortedMap<String, byte[]> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** Replaces the folder's content with exactly {@code files}. */
  public WriteOutcome write(SortedMap<String, byte[]> files) throws IOException {
    SortedMap<String, byte[]> current = read();
    if (sameContent(current, files)) {
      return WriteOutcome.UNCHANGED;
    }
    Path parent = dir.getParent();
    Files.createDirectories(parent);
    Path staging = parent.resolve("." + dir.getFileName() + ".convoy-new");
    Path old = parent.resolve("." + dir.getFileName() + ".convoy-old");
    deleteTree(staging);
    // Thousands of small files: the system calls, not the bytes, take the time, so spread
    // them over the cores. The staging folder is only swapped in once every write succeeded.
    try {
      files.entrySet().parallelStream().forEach(e -> {
        Path p = staging.resolve(e.getKey());
        try {
          Files.createDirectories(p.getParent());
          Files.write(p, e.getValue());
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    deleteTree(old);
    if (Files.exists(dir)) {
      Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(old);
    return WriteOutcome.WRITTEN;
  }

  /** Finishes or undoes a swap that a killed run left half done. */
  private void recover() {
    Path parent = dir.getParent();
    if (parent == null) {
      return;
    }
    Path old = parent.resolve("." + dir.getFileName() + ".convoy-old");
    Path staging = parent.resolve("." + dir.getFileName() + ".convoy-new");
    try {
      if (!Files.exists(dir) && Files.isDirectory(old)) {
        Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
      }
      deleteTree(old);
      deleteTree(staging);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean sameContent(Map<String, byte[]> a, Map<String, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : a.entrySet()) {
      if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}

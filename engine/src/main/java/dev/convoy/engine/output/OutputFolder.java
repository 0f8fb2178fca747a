package dev.convoy.engine.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A target's output folder on disk, replaced as a whole: the new content is written to a sibling
 * folder first and swapped in by rename, so a failed run leaves the previous output intact, and an
 * unchanged output is not rewritten at all.
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
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Thousands of small files: read them on every core, as write() writes them.
    List<byte[]> contents =
        paths.parallelStream()
            .map(
                p -> {
                  try {
                    return Files.readAllBytes(p);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .toList();
    for (int i = 0; i < paths.size(); i++) {
      files.put(dir.relativize(paths.get(i)).toString().replace('\\', '/'), contents.get(i));
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
    // Each folder is made once up front; asking for it per file cost a failed mkdir each.
    Set<Path> folders = new TreeSet<>();
    folders.add(staging);
    for (String file : files.keySet()) {
      folders.add(staging.resolve(file).getParent());
    }
    for (Path folder : folders) {
      Files.createDirectories(folder);
    }
    try {
      files.entrySet().parallelStream()
          .forEach(
              e -> {
                Path p = staging.resolve(e.getKey());
                try {
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
    List<Path> all;
    try (Stream<Path> walk = Files.walk(p)) {
      all = walk.toList();
    }
    // Files first, on every core; then the folders, deepest first.
    try {
      all.parallelStream()
          .filter(q -> !Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS))
          .forEach(
              q -> {
                try {
                  Files.delete(q);
                } catch (IOException x) {
                  throw new UncheckedIOException(x);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    for (Path q :
        all.stream()
            .filter(q -> Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS))
            .sorted(Comparator.reverseOrder())
            .toList()) {
      Files.delete(q);
    }
  }
}

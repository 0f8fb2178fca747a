package dev.convoy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every byte of a folder, for "nothing was written" and "the secret is nowhere" checks. */
final class FolderBytes {
  private FolderBytes() {}

  /**
   * Path to content of every regular file and symlink (as {@code -> target}) under {@code dir},
   * without following links.
   */
  static SortedMap<String, String> snapshot(Path dir) throws IOException {
    SortedMap<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        String rel = dir.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel + "/", "");
        }
      }
    }
    return out;
  }

  /**
   * The files under {@code dir} whose bytes contain {@code text}, and, for every git repository
   * found under it, the objects whose content does (packed and loose objects are compressed, so
   * only git itself can show them).
   */
  static List<String> containing(Path dir, String text) throws Exception {
    List<String> hits = new ArrayList<>();
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> gitDirs = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            && contains(Files.readAllBytes(p), needle)) {
          hits.add(dir.relativize(p).toString());
        }
        if (Files.isRegularFile(p.resolve("HEAD")) && Files.isDirectory(p.resolve("objects"))) {
          gitDirs.add(p);
        }
      }
    }
    for (Path git : gitDirs) {
      Process cat =
          new ProcessBuilder(
                  "git", "--git-dir", git.toString(), "cat-file", "--batch-all-objects", "--batch")
              .redirectErrorStream(true)
              .start();
      byte[] all = cat.getInputStream().readAllBytes();
      cat.waitFor();
      if (contains(all, needle)) {
        hits.add(dir.relativize(git) + " (a git object)");
      }
    }
    return hits;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}

package dev.convoy.git;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The regular files of part of a commit's tree, and the entries that were not read.
 *
 * @param files path (relative to the folder the reader was opened on, {@code /}-separated) to
 *     content; unmodifiable
 * @param skipped path to why it was not read: a symbolic link or a submodule is never followed, and
 *     a blob larger than the reader's limit is not loaded; unmodifiable
 */
public record TreeFiles(SortedMap<String, byte[]> files, SortedMap<String, String> skipped) {
  public TreeFiles {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    skipped = Collections.unmodifiableSortedMap(new TreeMap<>(skipped));
  }
}

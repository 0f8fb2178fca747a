package dev.convoy.git;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One place rendered files go. Paths in {@code files} are relative, {@code /}-separated, without
 * {@code .} or {@code ..} segments; contents are committed byte for byte as regular files. The byte
 * arrays are not copied: do not change them after handing them over.
 */
public sealed interface Output permits Output.Folder, Output.Branch {

  /** The files, keyed by path relative to the output's root. */
  SortedMap<String, byte[]> files();

  /**
   * A folder on the source branch, such as {@code rendered/prod}. After the commit the folder holds
   * exactly {@code files}: stale files are deleted, everything outside the folder is kept.
   */
  record Folder(String path, SortedMap<String, byte[]> files) implements Output {
    public Folder {
      Objects.requireNonNull(path, "path");
      files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }
  }

  /**
   * A branch of its own (the rendered-manifests pattern), such as {@code rendered/prod}. Its tree
   * is exactly {@code files}. The first commit is an orphan; later commits have the previous tip as
   * their only parent.
   */
  record Branch(String name, SortedMap<String, byte[]> files) implements Output {
    public Branch {
      Objects.requireNonNull(name, "name");
      files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }
  }
}

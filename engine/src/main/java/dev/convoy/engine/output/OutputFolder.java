package dev.convoy.engine.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A target's output folder on disk, always whole: the new content is written to a sibling folder
 * and swapped in by two renames (the old folder aside, the new one in), so a failed run leaves the
 * previous output intact, and an unchanged output is not rewritten at all.
 *
 * <p>Safe against concurrent and killed runs:
 *
 * <ul>
 *   <li>One run at a time per folder: reads and writes hold an exclusive lock on a file named by
 *       the folder's path in {@code $TMPDIR/convoy-locks-<user>/} (an OS lock, released when a
 *       process dies; the file stays, as deleting it would let two runs lock two different files,
 *       and it lives outside the repo so no run leaves it in a work tree). A second run waits for
 *       it, up to {@link #LOCK_TIMEOUT}, then fails with {@link Locked}.
 *   <li>Temporary folders have names unique per run ({@code .<name>.convoy-new-<pid>-<random>},
 *       {@code .<name>.convoy-old-...}), so two runs never write into each other's.
 *   <li>A run killed at any instant leaves the old folder, the new one, or (between the two
 *       renames) no folder and the old one aside: {@link #recover()}, which every read and write
 *       runs first under the lock, puts the old one back and deletes the leftovers.
 * </ul>
 *
 * <p>Symlinks: a folder that is itself a symlink is refused ({@link Unsafe}); symlinks inside it
 * are not followed when reading (their targets are never read) and are replaced like any file.
 */
public final class OutputFolder {
  /** How long a run waits for another run holding the folder's lock. */
  public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);

  private static final String NEW = ".convoy-new";
  private static final String OLD = ".convoy-old";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** In-process side of the lock: the OS lock only excludes other processes. */
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path dir;
  private final Duration lockTimeout;

  public OutputFolder(Path dir) {
    this(dir, LOCK_TIMEOUT);
  }

  /** A folder whose lock is waited for at most {@code lockTimeout}. */
  public OutputFolder(Path dir, Duration lockTimeout) {
    this.dir = dir.toAbsolutePath().normalize();
    this.lockTimeout = lockTimeout;
  }

  /** What a write did. */
  public enum WriteOutcome {
    WRITTEN,
    UNCHANGED
  }

  /** The folder cannot be used as an output; nothing was written. */
  public static class OutputFolderException extends IOException {
    private static final long serialVersionUID = 1L;

    OutputFolderException(String message) {
      super(message);
    }
  }

  /** Another run held the folder's lock for longer than the timeout. */
  public static final class Locked extends OutputFolderException {
    private static final long serialVersionUID = 1L;

    Locked(String message) {
      super(message);
    }
  }

  /** The folder is a symlink or a file: writing it would reach outside the output. */
  public static final class Unsafe extends OutputFolderException {
    private static final long serialVersionUID = 1L;

    Unsafe(String message) {
      super(message);
    }
  }

  /**
   * The files now in the folder (relative paths, sorted); empty when it does not exist. Symlinks in
   * it are skipped, never followed.
   *
   * @throws UncheckedIOException with a {@link OutputFolderException} when the folder is a symlink
   *     or stays locked
   */
  public SortedMap<String, byte[]> read() {
    if (!Files.isDirectory(dir.getParent(), LinkOption.NOFOLLOW_LINKS)) {
      return new TreeMap<>();
    }
    try (FolderLock lock = lock()) {
      recoverLocked();
      return readLocked();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Replaces the folder's content with exactly {@code files}.
   *
   * @throws OutputFolderException when the folder is a symlink or a file, or stays locked
   */
  public WriteOutcome write(SortedMap<String, byte[]> files) throws IOException {
    Path parent = dir.getParent();
    Files.createDirectories(parent);
    try (FolderLock lock = lock()) {
      recoverLocked();
      if (sameContent(readLocked(), files)) {
        return WriteOutcome.UNCHANGED;
      }
      String run =
          ProcessHandle.current().pid() + "-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
      Path staging = sibling(NEW + "-" + run);
      Path old = sibling(OLD + "-" + run);
      try {
        stage(staging, files);
      } catch (IOException | RuntimeException e) {
        deleteTree(staging);
        throw e;
      }
      // The swap: between these two renames there is no folder at the path; recover() of the
      // next run (of any command) puts the old one back if this run dies right there.
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
      return WriteOutcome.WRITTEN;
    }
  }

  /**
   * Finishes or undoes a swap that a killed run left half done, and deletes temporary folders of
   * dead runs. Cheap when there is nothing to do (one listing of the parent folder, no lock).
   *
   * @throws UncheckedIOException when the leftovers cannot be cleaned up
   */
  public void recover() {
    Path parent = dir.getParent();
    if (parent == null || leftovers().isEmpty()) {
      return;
    }
    try (FolderLock lock = lock()) {
      recoverLocked();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void recoverLocked() throws IOException {
    checkSafe();
    List<Path> leftovers = leftovers();
    if (leftovers.isEmpty()) {
      return;
    }
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      // Killed between the two renames: the old folder is complete, the new one may not be.
      // With the lock held, every leftover belongs to a dead run; the newest old one wins.
      leftovers.stream()
          .filter(p -> p.getFileName().toString().startsWith(prefix(OLD)))
          .max(Comparator.comparing(OutputFolder::modified))
          .ifPresent(
              old -> {
                try {
                  Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    for (Path p : leftovers()) {
      deleteTree(p);
    }
  }

  private SortedMap<String, byte[]> readLocked() throws IOException {
    checkSafe();
    SortedMap<String, byte[]> files = new TreeMap<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return files;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    // Thousands of small files: read them on every core, as write() writes them.
    List<byte[]> contents;
    try {
      contents =
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
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    for (int i = 0; i < paths.size(); i++) {
      files.put(dir.relativize(paths.get(i)).toString().replace('\\', '/'), contents.get(i));
    }
    return files;
  }

  private void checkSafe() throws Unsafe {
    if (Files.isSymbolicLink(dir)) {
      throw new Unsafe(
          "output folder "
              + dir
              + " is a symlink; refusing to write through it (it would replace what the link"
              + " points to)");
    }
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new Unsafe("output folder " + dir + " is a file, not a folder; refusing to replace it");
    }
  }

  private static void stage(Path staging, SortedMap<String, byte[]> files) throws IOException {
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
                try {
                  Files.write(staging.resolve(e.getKey()), e.getValue());
                } catch (IOException x) {
                  throw new UncheckedIOException(x);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Path sibling(String suffix) {
    return dir.resolveSibling("." + dir.getFileName() + suffix);
  }

  private String prefix(String kind) {
    return "." + dir.getFileName() + kind;
  }

  /** Temporary folders of earlier runs beside this one (the names of older Convoy included). */
  private List<Path> leftovers() {
    List<Path> found = new ArrayList<>();
    Path parent = dir.getParent();
    if (parent == null || !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      return found;
    }
    String newPrefix = prefix(NEW);
    String oldPrefix = prefix(OLD);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, "." + "*")) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.startsWith(newPrefix) || name.startsWith(oldPrefix)) {
          found.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .lastModifiedTime();
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
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
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(p)) {
      all = walk.toList();
    }
    // Files (and symlinks, never their targets) first, on every core; then the folders,
    // deepest first.
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

  private FolderLock lock() throws IOException {
    Path file = lockFile();
    Files.createDirectories(file.getParent());
    return FolderLock.acquire(file, dir, lockTimeout);
  }

  /**
   * The folder's lock file: outside the repo (so no run leaves a file in a work tree), one per
   * output folder and user, named by a hash of the folder's real path, so every process on this
   * machine that writes the folder, by whatever path, locks the same file.
   */
  Path lockFile() {
    Path parent = dir.getParent();
    Path real;
    try {
      real = parent.toRealPath().resolve(dir.getFileName());
    } catch (IOException e) {
      real = dir;
    }
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "convoy-locks-" + user)
        .resolve(dev.convoy.engine.input.Sha256.hex(real.toString()).substring(0, 32) + ".lock");
  }

  /**
   * An exclusive lock on the folder's lock file, in this process and across processes. The holder
   * writes its pid into the file, so a waiter that gives up can name it; the file is emptied, never
   * deleted, on release.
   */
  private static final class FolderLock implements AutoCloseable {
    private final Path file;
    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path file, ReentrantLock local, FileChannel channel, FileLock lock) {
      this.file = file;
      this.local = local;
      this.channel = channel;
      this.lock = lock;
    }

    static FolderLock acquire(Path file, Path dir, Duration timeout) throws IOException {
      long deadline = System.nanoTime() + timeout.toNanos();
      ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
      try {
        if (!local.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
          // Another thread of this process holds it: reading the file here would drop its lock.
          throw locked(dir, null, timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Locked("interrupted while waiting for the lock of " + dir);
      }
      try {
        String token =
            ProcessHandle.current().pid()
                + " "
                + Thread.currentThread().getId()
                + " "
                + HexFormat.of().toHexDigits(RANDOM.nextLong())
                + "\n";
        while (true) {
          // The OS lock is a POSIX record lock: it belongs to the process, and closing any other
          // descriptor of the file drops it. So the file is never deleted (a lock on a deleted
          // file would prove nothing) and the holder never opens it a second time.
          FileChannel channel =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE);
          FileLock lock = channel.tryLock();
          if (lock != null) {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new FolderLock(file, local, channel, lock);
          }
          channel.close();
          if (System.nanoTime() > deadline) {
            throw locked(dir, file, timeout);
          }
          try {
            Thread.sleep(25);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Locked("interrupted while waiting for the lock of " + dir);
          }
        }
      } catch (IOException | RuntimeException e) {
        local.unlock();
        throw e;
      }
    }

    private static Locked locked(Path dir, Path file, Duration timeout) {
      String holder = file == null ? null : readQuietly(file);
      String pid = holder == null || holder.isBlank() ? null : holder.strip().split(" ")[0];
      return new Locked(
          "output folder "
              + dir
              + " is being written by another convoy run"
              + (pid == null ? "" : " (pid " + pid + ")")
              + "; waited "
              + timeout.toSeconds()
              + " s, nothing written");
    }

    private static String readQuietly(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public void close() throws IOException {
      try {
        channel.truncate(0);
      } finally {
        try {
          lock.release();
          channel.close();
        } finally {
          local.unlock();
        }
      }
    }
  }
}

package dev.convoy.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a work folder for one reconcile run, held on a sibling file {@code
 * <work>.lock} (the folder itself must stay a plain git work tree). Two runs sharing a work folder
 * would reset each other's checkout mid-render; the second one stops instead. The OS releases the
 * lock when the process dies, so a killed run never leaves a stale lock.
 */
final class WorkDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  /** Another run holds the lock. */
  static final class Busy extends Exception {
    private static final long serialVersionUID = 1L;

    Busy(String message) {
      super(message);
    }
  }

  private WorkDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static WorkDirLock acquire(Path workDir) throws IOException, Busy {
    Path abs = workDir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path file = abs.resolveSibling(abs.getFileName() + ".lock");
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another run in this JVM
    }
    if (lock == null) {
      channel.close();
      throw new Busy("work folder " + abs + " is in use by another convoy reconcile");
    }
    return new WorkDirLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}

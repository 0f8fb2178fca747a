package dev.convoy.engine.output;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds an output folder's lock file from a process of its own, as another {@code convoy render}
 * would: {@code LockHolder FILE SECONDS}. Prints {@code locked} once it holds the lock.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel channel =
            FileChannel.open(
                Path.of(args[0]),
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      channel.write(
          java.nio.ByteBuffer.wrap(
              (ProcessHandle.current().pid() + " holder\n").getBytes(StandardCharsets.UTF_8)));
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[1]) * 1000);
    }
  }
}

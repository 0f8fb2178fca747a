package dev.convoy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code convoy} in a JVM of its own, as a CronJob or a terminal runs it: its own exit code, its
 * own shutdown hooks, and the environment given here (no test's stand-in maps).
 */
final class ConvoyProcess {
  private final List<String> prefix = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private final List<String> jvm = new ArrayList<>();
  private final Map<String, String> environment = new java.util.HashMap<>();
  private Path directory;

  private ConvoyProcess(String... args) {
    this.args.addAll(List.of(args));
  }

  static ConvoyProcess of(String... args) {
    return new ConvoyProcess(args);
  }

  /** Runs the JVM under another command, e.g. {@code strace ... --}. */
  ConvoyProcess under(String... command) {
    prefix.addAll(List.of(command));
    return this;
  }

  /** JVM flags, e.g. {@code -Xmx16m}. */
  ConvoyProcess jvm(String... flags) {
    jvm.addAll(List.of(flags));
    return this;
  }

  ConvoyProcess env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  ConvoyProcess in(Path folder) {
    directory = folder;
    return this;
  }

  /** Starts it; output and errors go to {@code log}. */
  Process start(Path log) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Start-up matters more than peak speed for these short runs.
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvm);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ConvoyCommand.class.getName());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("XDG_CONFIG_HOME");
    pb.environment().putAll(environment);
    if (directory != null) {
      pb.directory(directory.toFile());
    }
    pb.redirectOutput(log.toFile());
    pb.redirectError(
        ProcessBuilder.Redirect.to(log.resolveSibling(log.getFileName() + ".err").toFile()));
    return pb.start();
  }

  /** Runs it to the end (at most {@code seconds}) and returns what it did. */
  Result run(Path logs, long seconds) throws Exception {
    Files.createDirectories(logs);
    Path log = Files.createTempFile(logs, "convoy-", ".out");
    Process process = start(log);
    long t0 = System.nanoTime();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          "convoy "
              + args
              + " did not end within "
              + seconds
              + " s: "
              + read(log)
              + read(err(log)));
    }
    return new Result(
        process.exitValue(),
        read(log),
        read(err(log)),
        java.time.Duration.ofNanos(System.nanoTime() - t0));
  }

  private static Path err(Path log) {
    return log.resolveSibling(log.getFileName() + ".err");
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  record Result(int exitCode, String out, String err, java.time.Duration took) {
    String all() {
      return out + err;
    }

    @Override
    public String toString() {
      return "exit "
          + exitCode
          + " after "
          + took.toMillis()
          + " ms\n--- out\n"
          + out
          + "--- err\n"
          + err;
    }
  }
}

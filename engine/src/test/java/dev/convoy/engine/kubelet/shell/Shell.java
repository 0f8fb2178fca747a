package dev.convoy.engine.kubelet.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code /bin/sh} and the userland around it, as an image has them: Debian's dash with GNU
 * coreutils and GNU wget, or Debian's busybox-static (ash plus its applets, whose {@code wget} has
 * no working {@code -T} and whose {@code nc} has no {@code -z}). Rendered scripts run with {@code
 * PATH} set to a folder that holds only these tools and the test's fake programs.
 */
enum Shell {
  DASH("/usr/bin/dash"),
  BUSYBOX("/usr/bin/busybox", "sh");

  /** What the scripts call, besides shell built-ins; busybox provides all of them. */
  private static final List<String> TOOLS =
      List.of("sleep", "rm", "date", "cat", "touch", "wget", "nc", "mkdir", "ls", "kill", "test");

  private final List<String> argv;

  Shell(String... argv) {
    this.argv = List.of(argv);
  }

  /** The command line that replaces {@code /bin/sh}. */
  List<String> argv() {
    return argv;
  }

  boolean available() {
    return Files.isExecutable(Path.of(argv.get(0)));
  }

  /** Why a test cannot run this shell: what to install. */
  String missing() {
    return argv.get(0)
        + " is not installed (apt-get install "
        + (this == DASH ? "dash" : "busybox-static")
        + ", see .ci/install-test-deps.sh)";
  }

  /**
   * A {@code bin} folder with this shell's userland and the fake programs, each fake program
   * started by this shell (its {@code #!} line), so the fakes' own traps run under it too.
   */
  Path binDir(Path dir, Map<String, String> fakes) {
    try {
      Path bin = Files.createDirectories(dir.resolve("bin"));
      for (String tool : TOOLS) {
        Path target =
            this == BUSYBOX || (tool.equals("nc") && !Files.exists(Path.of("/usr/bin/nc")))
                ? Path.of("/usr/bin/busybox")
                : gnu(tool);
        Files.createSymbolicLink(bin.resolve(tool), target);
      }
      Files.createSymbolicLink(bin.resolve("perl"), Path.of("/usr/bin/perl"));
      for (Map.Entry<String, String> f : fakes.entrySet()) {
        String text = f.getValue();
        if (!text.startsWith("#!")) {
          text = "#!" + String.join(" ", argv) + "\n" + text;
        }
        Path p = bin.resolve(f.getKey());
        Files.writeString(p, text);
        p.toFile().setExecutable(true);
      }
      return bin;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path gnu(String tool) {
    for (String d : List.of("/usr/bin", "/bin")) {
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return Path.of("/usr/bin/busybox");
  }

  /** {@code argv} with a leading {@code /bin/sh} replaced by this shell. */
  List<String> resolve(List<String> words, Path bin) {
    List<String> out = new ArrayList<>();
    if (words.get(0).equals("/bin/sh")) {
      out.addAll(argv);
      out.addAll(words.subList(1, words.size()));
    } else {
      String first = words.get(0);
      out.add(first.contains("/") ? first : bin.resolve(first).toString());
      out.addAll(words.subList(1, words.size()));
    }
    return out;
  }
}

package dev.convoy.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A deterministic stand-in for Convoy's renderer: every file under {@code manifests/} becomes a
 * file of the same relative name with its content upper-cased, written to one output.
 */
final class UppercaseRenderer implements Renderer {
  private final Function<SortedMap<String, byte[]>, Output> output;

  private UppercaseRenderer(Function<SortedMap<String, byte[]>, Output> output) {
    this.output = output;
  }

  static UppercaseRenderer toFolder(String folder) {
    return new UppercaseRenderer(files -> new Output.Folder(folder, files));
  }

  static UppercaseRenderer toBranch(String branch) {
    return new UppercaseRenderer(files -> new Output.Branch(branch, files));
  }

  @Override
  public RenderedChange render(Checkout checkout) throws IOException {
    SortedMap<String, byte[]> files = render(checkout.workTree());
    return new RenderedChange(
        List.of(output.apply(files)),
        "render " + files.size() + " manifests",
        List.of(Trailer.policy("mesh", "3f2a9c1b0d")));
  }

  /** The expected output for a work tree. */
  static SortedMap<String, byte[]> render(Path workTree) throws IOException {
    Path manifests = workTree.resolve("manifests");
    SortedMap<String, byte[]> files = new TreeMap<>();
    if (!Files.isDirectory(manifests)) {
      return files;
    }
    try (Stream<Path> paths = Files.walk(manifests)) {
      for (Path file : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        files.put(
            manifests.relativize(file).toString().replace('\\', '/'),
            text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}

package dev.convoy.engine.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.input.InputLimits;
import dev.convoy.engine.load.ConfigParser;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.engine.load.RepoLoader;
import dev.convoy.engine.model.ConvoyConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzz tests of loading: whatever the bytes, a file loads or is refused as bad input (never another
 * exception, never a hang: the limits are small here so every input stays cheap), and what loads
 * prints to text that loads to the same values and prints to the same bytes again.
 *
 * <p>{@code ./mvnw verify} runs each test over its committed seeds in {@code
 * src/test/resources/dev/convoy/engine/yaml/LoaderFuzzTestInputs/<test>/} (earlier findings
 * included); {@code JAZZER_FUZZ=1} fuzzes one of them (README: Fuzzing).
 */
class LoaderFuzzTest {
  /** Small limits: a fuzzer finds the same bugs in small inputs, many more per second. */
  static final InputLimits LIMITS = new InputLimits(64 * 1024, 50, 2_000, 40, 8_192);

  @FuzzTest(maxDuration = "15m")
  void yamlLoadsOrIsRefused(byte[] data) {
    load("fuzz.yaml", data);
  }

  @FuzzTest(maxDuration = "15m")
  void jsonLoadsOrIsRefused(byte[] data) {
    load("fuzz.json", data);
  }

  @FuzzTest(maxDuration = "15m")
  void yamlLoadPrintLoadKeepsEveryValue(byte[] data) {
    roundTrip("fuzz.yaml", data);
  }

  @FuzzTest(maxDuration = "15m")
  void jsonLoadPrintLoadKeepsEveryValue(byte[] data) {
    roundTrip("fuzz.json", data);
  }

  /**
   * A whole repo: the input is split at NUL bytes into convoy.yaml, a manifest and a policy file,
   * loaded as a render would load them.
   */
  @FuzzTest(maxDuration = "15m")
  void repoLoadsOrIsRefused(byte[] data) {
    String[] parts = new String(data, StandardCharsets.UTF_8).split("\0", 3);
    try {
      ConvoyConfig config =
          ConfigParser.parse(new InputFile(ConvoyConfig.FILE_NAME, bytes(parts, 0)));
      RepoLoader.load(
          new ConfigRepo(
              config,
              List.of(new InputFile("manifests/fuzz.yaml", bytes(parts, 1))),
              List.of(new InputFile("policies/fuzz.yaml", bytes(parts, 2))),
              List.of()));
    } catch (BadInputException e) {
      assertEquals(false, e.errors().isEmpty(), "bad input without an error");
    }
  }

  private static byte[] bytes(String[] parts, int i) {
    return i < parts.length ? parts[i].getBytes(StandardCharsets.UTF_8) : new byte[0];
  }

  private static List<YamlDocument> load(String name, byte[] data) {
    try {
      return ManifestParser.parse(
          new InputFile(name, data), ManifestParser.Positions.KEEP, new SharedStrings(), LIMITS);
    } catch (BadInputException e) {
      assertEquals(1, e.errors().size(), "one error per file");
      return null;
    }
  }

  private static void roundTrip(String name, byte[] data) {
    List<YamlDocument> loaded = load(name, data);
    if (loaded == null) {
      return;
    }
    String printed = print(name, loaded);
    List<YamlDocument> again = reload(name, printed);
    assertEquals(
        kubernetesView(loaded),
        kubernetesView(again),
        "values changed by a round trip:\n" + printed);
    assertEquals(printed, print(name, again), "printing is not stable");
  }

  private static List<YamlDocument> reload(String name, String printed) {
    try {
      // Printing may expand aliases: the reload needs room for that, not the input's limits.
      return ManifestParser.parse(
          InputFile.of(name, printed),
          ManifestParser.Positions.DROP,
          new SharedStrings(),
          new InputLimits(1L << 30, 10_000, Long.MAX_VALUE, 2_000, Integer.MAX_VALUE));
    } catch (BadInputException e) {
      throw new AssertionError("printed output does not load: " + e.getMessage() + "\n" + printed);
    }
  }

  private static String print(String name, List<YamlDocument> documents) {
    List<Object> contents = new ArrayList<>();
    for (YamlDocument d : documents) {
      if (d.content() != null) {
        contents.add(d.content());
      }
    }
    StringBuilder out = new StringBuilder();
    if (ManifestParser.isJson(name)) {
      JsonPrinter.printAll(contents, out);
    } else {
      new ManifestPrinter().printAll(contents, out);
    }
    return out.toString();
  }

  /** The documents as Kubernetes reads them, each value with its type spelled out. */
  private static List<String> kubernetesView(List<YamlDocument> documents) {
    List<String> out = new ArrayList<>();
    for (YamlDocument d : documents) {
      if (d.content() != null) {
        out.add(typed(PlainScalar.asKubernetesReadsIt(d.content())));
      }
    }
    return out;
  }

  private static String typed(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      m.forEach((k, v) -> sb.append(typed(k)).append('=').append(typed(v)).append(','));
      return sb.append('}').toString();
    }
    if (value instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      l.forEach(v -> sb.append(typed(v)).append(','));
      return sb.append(']').toString();
    }
    return value.getClass().getSimpleName() + ":" + value;
  }
}

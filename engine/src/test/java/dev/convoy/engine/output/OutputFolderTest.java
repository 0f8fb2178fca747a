package dev.convoy.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {
  private static SortedMap<String, byte[]> files(String... pathsAndContents) {
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      out.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void replacesTheFolderContentExactlyAndRemovesStaleFiles(@TempDir Path repo) throws Exception {
    OutputFolder folder = new OutputFolder(repo.resolve("rendered/prod"));
    folder.write(files("a.yaml", "a: 1\n", "sub/b.yaml", "b: 1\n"));

    OutputFolder.WriteOutcome outcome = folder.write(files("a.yaml", "a: 2\n"));

    assertThat(outcome).isEqualTo(OutputFolder.WriteOutcome.WRITTEN);
    assertThat(folder.read()).containsOnlyKeys("a.yaml");
    assertThat(Files.readString(repo.resolve("rendered/prod/a.yaml"))).isEqualTo("a: 2\n");
    assertThat(Files.list(repo.resolve("rendered")).map(p -> p.getFileName().toString()))
        .containsExactly("prod");
  }

  @Test
  void leavesAnUnchangedOutputUntouched(@TempDir Path repo) throws Exception {
    OutputFolder folder = new OutputFolder(repo.resolve("out"));
    folder.write(files("a.yaml", "a: 1\n"));
    Path a = repo.resolve("out/a.yaml");
    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(a, old);

    assertThat(folder.write(files("a.yaml", "a: 1\n")))
        .isEqualTo(OutputFolder.WriteOutcome.UNCHANGED);
    assertThat(Files.getLastModifiedTime(a)).isEqualTo(old);
  }

  @Test
  void restoresThePreviousOutputWhenARunDiedBetweenTheTwoRenames(@TempDir Path repo)
      throws Exception {
    // A run killed after moving the old folder aside and before moving the new one in.
    Files.createDirectories(repo.resolve(".prod.convoy-old"));
    Files.writeString(repo.resolve(".prod.convoy-old/a.yaml"), "a: 1\n");
    Files.createDirectories(repo.resolve(".prod.convoy-new"));
    Files.writeString(repo.resolve(".prod.convoy-new/half.yaml"), "half");

    SortedMap<String, byte[]> read = new OutputFolder(repo.resolve("prod")).read();

    assertThat(read).containsOnlyKeys("a.yaml");
    assertThat(Files.exists(repo.resolve(".prod.convoy-new"))).isFalse();
    assertThat(Files.exists(repo.resolve(".prod.convoy-old"))).isFalse();
  }
}

package dev.convoy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convoy diff --exit-code}: 1 when something would change, as {@code git diff} does. */
class DiffExitCodeTest {
  @Test
  void exitsOneWhenSomethingWouldChangeAndZeroOnceRendered(@TempDir Path tmp) throws Exception {
    Path repo = tmp.resolve("repo");
    CliRun.copy(CliRun.sample(), repo);
    Path cart = repo.resolve("manifests/shop/cart.yaml");
    Files.writeString(cart, Files.readString(cart).replace("replicas: 2", "replicas: 4"));

    CliRun plain = CliRun.of("diff", repo.toString());
    CliRun changed = CliRun.of("diff", "--exit-code", repo.toString());
    CliRun.of("render", repo.toString());
    CliRun unchanged = CliRun.of("diff", "--exit-code", repo.toString());

    assertThat(plain.exitCode()).isZero();
    assertThat(changed.exitCode()).isEqualTo(ExitCodes.VIOLATIONS);
    assertThat(changed.out()).isEqualTo(plain.out()).contains("+  replicas: 4");
    assertThat(unchanged.exitCode()).as(unchanged.err()).isZero();
    assertThat(unchanged.out()).isEmpty();
  }
}

package dev.convoy.cli;

import dev.convoy.engine.RenderRun;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.input.Sha256;
import dev.convoy.engine.load.ConfigRepo;
import dev.convoy.rules.DroolsPolicyRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A hash of everything a render depends on: Convoy's own code, the selected targets, and the bytes
 * of every source, policy and rule file. Reconcile records it as a commit trailer when a render had
 * no violations; the next run that computes the same fingerprint knows the output cannot change and
 * skips rendering (the no-op CronJob run).
 */
final class InputFingerprint {
  /** The trailer on Convoy's commits that carries the fingerprint. */
  static final String TRAILER = "Convoy-Input";

  private static final String CODE = codeIdentity();

  private InputFingerprint() {}

  static String of(ConfigRepo repo) {
    MessageDigest digest = Sha256.digest();
    update(digest, CODE);
    update(digest, repo.config().targets().toString());
    for (List<InputFile> files : List.of(repo.sources(), repo.policies(), repo.rules())) {
      update(digest, "files:" + files.size());
      for (InputFile f : files) {
        update(digest, f.path());
        update(digest, Integer.toString(f.bytes().length));
        digest.update(f.bytes());
      }
    }
    // What kustomize and Helm built, per target: a new tool version that prints other bytes
    // renders anew, one that prints the same stays a no-op.
    for (Map.Entry<String, List<InputFile>> built : repo.built().entrySet()) {
      update(digest, "built:" + built.getKey() + ":" + built.getValue().size());
      for (InputFile f : built.getValue()) {
        update(digest, f.path());
        update(digest, Integer.toString(f.bytes().length));
        digest.update(f.bytes());
      }
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, 32);
  }

  /**
   * The jars (or class folders, in tests) of the cli, engine and rules: a new build renders anew.
   */
  private static String codeIdentity() {
    MessageDigest digest = Sha256.digest();
    for (Class<?> type : List.of(ConvoyCommand.class, RenderRun.class, DroolsPolicyRules.class)) {
      try {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(location)) {
          digest.update(Files.readAllBytes(location));
        } else {
          update(digest, location.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (URISyntaxException | RuntimeException e) {
        update(digest, type.getName());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }
}

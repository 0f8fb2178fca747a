package dev.convoy.rules.build;

import dev.convoy.engine.input.Sha256;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.internal.builder.conf.ReproducibleExecutableModelGenerationOption;

/**
 * Build step (rules/pom.xml, phase process-test-classes): generates the executable model of the
 * built-in DRL and writes its compiled classes into target/classes, so the rules jar carries them
 * and {@code DroolsPolicyRules} loads them instead of compiling the DRL on every run.
 *
 * <p>Also writes {@code dev/convoy/rules/builtin/model.properties}: the model classes to load and
 * the SHA-256 of the DRL they were generated from. The run time refuses a model whose hash does not
 * match the DRL in the jar (a stale build), rather than quietly running old rules.
 *
 * <p>Arguments: the classes folder (it holds the DRL resources already). Lives with the tests
 * because drools-model-codegen is needed only here, never at run time.
 */
public final class BuiltinModelGenerator {

  /** Keep in step with DroolsPolicyRules.BUILTIN_FILES (a test checks both lists agree). */
  public static final List<String> FILES =
      List.of(
          "match.drl",
          "exclude.drl",
          "priority.drl",
          "inject.drl",
          "edges.drl",
          "violations.drl",
          "upgrade.drl");

  static final String PACKAGE_DIR = "dev/convoy/rules/builtin/";

  private static final Pattern MODEL_CLASS =
      Pattern.compile("(dev/convoy/rules/builtin/Rules[0-9A-Fa-f]+)\\.class");

  /** Names of what Drools generates into the built-in package: class-name prefixes, P.. folders. */
  private static final Pattern GENERATED =
      Pattern.compile("P[0-9A-F]{2}|(Rules|DomainClassesMetadata)[0-9A-F]+.*\\.class");

  private BuiltinModelGenerator() {}

  public static void main(String[] args) throws Exception {
    Path classes = Path.of(args[0]);
    // The inputs' fingerprint, recorded beside target/classes (not in the jar): when nothing the
    // model is made from changed, a build skips the 10-20 s of code generation.
    Path stamp = classes.resolveSibling("builtin-model.inputs");
    String inputs = inputsFingerprint(classes);
    if (upToDate(classes, stamp, inputs)) {
      System.out.println("BuiltinModelGenerator: up to date (inputs unchanged), nothing written");
      return;
    }
    // Without it Drools generates the rules in parallel and numbers patterns and domain classes
    // in thread order: 14-22 of the 169 classes came out different on every build, so the rules
    // jar, the cli jar and the AppCDS archive were rebuilt on every no-change build.
    System.setProperty(ReproducibleExecutableModelGenerationOption.PROPERTY_NAME, "true");
    KieServices services = KieServices.Factory.get();
    KieFileSystem kfs = services.newKieFileSystem();
    List<byte[]> sources = new ArrayList<>();
    for (String file : FILES) {
      byte[] drl = Files.readAllBytes(classes.resolve(PACKAGE_DIR + file));
      sources.add(drl);
      kfs.write("src/main/resources/" + PACKAGE_DIR + file, drl);
    }
    KieBuilder builder = services.newKieBuilder(kfs);
    builder.buildAll(ExecutableModelProject.class);
    List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "built-in DRL does not compile to the executable model: " + errors);
    }
    InternalKieModule generated = (InternalKieModule) builder.getKieModule();
    TreeSet<String> models = new TreeSet<>();
    java.util.Set<Path> current = new java.util.HashSet<>();
    int written = 0;
    for (String name : generated.getFileNames()) {
      // Only the built-in package's classes: the project-level classes (org/drools/project/...)
      // are for a KieContainer, which the run time does not use.
      if (!name.startsWith(PACKAGE_DIR) || !name.endsWith(".class")) {
        continue;
      }
      Path out = classes.resolve(name);
      current.add(out);
      byte[] bytes = generated.getBytes(name);
      if (writeIfChanged(out, bytes)) {
        written++;
      }
      Matcher model = MODEL_CLASS.matcher(name);
      if (model.matches()) {
        models.add(model.group(1).replace('/', '.'));
      }
    }
    if (models.isEmpty()) {
      throw new IllegalStateException(
          "no model class generated; files: " + generated.getFileNames());
    }
    Properties properties = new Properties();
    properties.setProperty("models", String.join(",", models));
    properties.setProperty("drl.sha256", sha256(sources));
    // Properties.store writes a date comment; write by hand so rebuilds are byte-identical.
    String text =
        "# Generated by BuiltinModelGenerator at build time; do not edit.\n"
            + "models="
            + properties.getProperty("models")
            + "\n"
            + "drl.sha256="
            + properties.getProperty("drl.sha256")
            + "\n";
    Path modelProperties = classes.resolve(PACKAGE_DIR + "model.properties");
    current.add(modelProperties);
    if (writeIfChanged(modelProperties, text.getBytes(StandardCharsets.UTF_8))) {
      written++;
    }
    int deleted = deleteStaleModel(classes.resolve(PACKAGE_DIR), current);
    StringBuilder record = new StringBuilder(inputs).append('\n');
    current.stream()
        .map(f -> classes.relativize(f).toString())
        .sorted()
        .forEach(f -> record.append(f).append('\n'));
    writeIfChanged(stamp, record.toString().getBytes(StandardCharsets.UTF_8));
    System.out.println(
        "BuiltinModelGenerator: "
            + current.size()
            + " files ("
            + written
            + " rewritten, "
            + deleted
            + " stale deleted), models "
            + models);
  }

  /**
   * Rewrites only what changed, so unchanged files keep their time stamps and the jar is not
   * rebuilt; each file atomically, so a build that runs while another process (a test, a second
   * build) reads target/classes never shows a half-written model.
   */
  private static boolean writeIfChanged(Path out, byte[] bytes) throws IOException {
    if (Files.exists(out) && Arrays.equals(Files.readAllBytes(out), bytes)) {
      return false;
    }
    Files.createDirectories(out.getParent());
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(
        tmp,
        out,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  /** True when the stamp records these inputs and every file generated from them still exists. */
  private static boolean upToDate(Path classes, Path stamp, String inputs) throws IOException {
    if (!Files.isRegularFile(stamp)) {
      return false;
    }
    List<String> lines = Files.readAllLines(stamp, StandardCharsets.UTF_8);
    return !lines.isEmpty()
        && lines.get(0).equals(inputs)
        && lines.stream().skip(1).allMatch(f -> Files.isRegularFile(classes.resolve(f)));
  }

  /**
   * A hash of everything the generated model depends on: the JDK, and every class path entry (the
   * DRL and the fact classes, Drools itself, this generator), leaving out the model's own output.
   * Jars are hashed by their entries' names and CRCs, which their central directory holds, so
   * checking the 100-odd jars costs a fraction of a second.
   */
  static String inputsFingerprint(Path classes) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
    Path generatorClasses;
    try {
      generatorClasses =
          Path.of(
              BuiltinModelGenerator.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath().normalize();
      digest.update(path.toString().getBytes(StandardCharsets.UTF_8));
      if (Files.isDirectory(path)) {
        // Of the test classes only this generator matters: editing a test does not regenerate.
        Path root =
            path.equals(generatorClasses.toAbsolutePath().normalize())
                ? path.resolve("dev/convoy/rules/build")
                : path;
        hashFolder(digest, root, path.equals(classes.toAbsolutePath().normalize()));
      } else if (Files.isRegularFile(path)) {
        try (ZipFile jar = new ZipFile(path.toFile())) {
          jar.stream()
              .sorted(Comparator.comparing(ZipEntry::getName))
              .forEach(
                  e -> {
                    digest.update(e.getName().getBytes(StandardCharsets.UTF_8));
                    digest.update(Long.toHexString(e.getCrc()).getBytes(StandardCharsets.UTF_8));
                  });
        }
      }
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  private static void hashFolder(MessageDigest digest, Path root, boolean skipModel)
      throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    Path modelDir = root.resolve(PACKAGE_DIR);
    try (var files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        if (skipModel && file.startsWith(modelDir) && isModelOutput(modelDir.relativize(file))) {
          continue;
        }
        digest.update(root.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
        digest.update(Files.readAllBytes(file));
      }
    }
  }

  /** What this generator writes into the built-in package (relative to it). */
  private static boolean isModelOutput(Path relative) {
    return GENERATED.matcher(relative.getName(0).toString()).matches()
        || relative.toString().equals("model.properties");
  }

  /**
   * Deletes what an earlier run generated and this one did not (class names carry a hash of the
   * DRL), so a changed DRL never leaves a second, stale model next to the new one.
   */
  private static int deleteStaleModel(Path dir, java.util.Set<Path> current) throws IOException {
    int deleted = 0;
    try (var files = Files.list(dir)) {
      for (Path p :
          files.filter(f -> GENERATED.matcher(f.getFileName().toString()).matches()).toList()) {
        try (var tree = Files.walk(p)) {
          for (Path q : tree.sorted(Comparator.reverseOrder()).toList()) {
            if (!current.contains(q) && (Files.isRegularFile(q) || isEmptyDir(q))) {
              Files.delete(q);
              deleted++;
            }
          }
        }
      }
    }
    return deleted;
  }

  private static boolean isEmptyDir(Path p) throws IOException {
    try (var entries = Files.list(p)) {
      return entries.findAny().isEmpty();
    }
  }

  /** The hash the run time recomputes over the DRL in the jar; same algorithm on both sides. */
  static String sha256(List<byte[]> sources) {
    return Sha256.hexOfParts(sources);
  }
}

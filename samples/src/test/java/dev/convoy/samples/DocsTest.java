package dev.convoy.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convoy.cli.ConvoyCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every Markdown file of the checkout (new ones included) stays inside the repository and shows
 * command lines that work as written. One test per file, named by its path; a failure lists every
 * problem as {@code file:line: `command`: what is wrong}. CONTRIBUTING.md (Docs) states the
 * conventions.
 *
 * <p>What "works" means per program: {@code convoy} lines must parse (picocli, without running),
 * and those in a {@code sh} block or after {@code $ } that name only files of the checkout run
 * against a copy of those files (exit 0 or 1). {@code kubectl kustomize} of a checkout folder runs.
 * Maven, the benchmark scripts and the single-file programs take minutes, so their lines are
 * checked against what they name instead: modules, test classes and methods, profiles, {@code
 * -Dconvoy.*} properties, scripts and the options their source reads.
 */
class DocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Text that points at material outside the repository, which users of the docs never see. */
  private static final List<Pattern> OUTSIDE_REFERENCES =
      List.of(
          Pattern.compile("CONTRACT(\\.md| section)"),
          Pattern.compile("(STACK|STYLE|BRIEF)\\.md"),
          Pattern.compile("/work/shared|shared/design|shared/seeds"),
          Pattern.compile("\\bseed \\d{3}\\b"),
          Pattern.compile("\\b[Ii]ssue \\d+\\b"));

  /** Programs a {@code sh} block may use that this test accepts without checking. */
  private static final Set<String> EXTERNAL =
      Set.of(
          "git",
          "grep",
          "cd",
          "cat",
          "ls",
          "jq",
          "export",
          "ssh-keyscan",
          "diff",
          "rm",
          "mkdir",
          "cp",
          "echo",
          "helm",
          "tar",
          "skopeo",
          "dot");

  private static final Pattern LINK =
      Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)\\s*([\\w-]*).*$");

  @TempDir Path scratch;

  @TestFactory
  Stream<DynamicTest> everyDocLinksOnlyInsideTheRepository() throws IOException {
    return docs().stream()
        .map(doc -> DynamicTest.dynamicTest(name(doc), () -> assertNoProblems(links(doc))));
  }

  @TestFactory
  Stream<DynamicTest> everyCommandLineInTheDocsWorksAsWritten() throws IOException {
    return docs().stream()
        .map(doc -> DynamicTest.dynamicTest(name(doc), () -> assertNoProblems(commands(doc))));
  }

  private static void assertNoProblems(List<String> problems) {
    assertThat(problems).as(() -> String.join("\n", problems)).isEmpty();
  }

  // ---- the docs and their lines

  /** Every Markdown file of the checkout, except build output and test fixtures. */
  static List<Path> docs() throws IOException {
    try (Stream<Path> walk = Files.walk(ROOT)) {
      List<Path> docs =
          walk.filter(p -> p.toString().endsWith(".md"))
              .filter(
                  p -> {
                    String rel = ROOT.relativize(p).toString().replace('\\', '/');
                    return !rel.startsWith(".")
                        && !rel.contains("/.")
                        && !rel.contains("target/")
                        && !rel.contains("node_modules/")
                        && !rel.contains("src/test/resources/cases");
                  })
              .sorted()
              .toList();
      assertThat(docs).as("Markdown files under " + ROOT).isNotEmpty();
      return docs;
    }
  }

  private static String name(Path doc) {
    return ROOT.relativize(doc).toString().replace('\\', '/');
  }

  /** A line of a doc: its number, its text and the info string of its fenced block, if any. */
  record Line(int number, String text, String fence) {
    boolean inFence() {
      return fence != null;
    }
  }

  static List<Line> lines(Path doc) throws IOException {
    List<Line> out = new ArrayList<>();
    String fence = null;
    List<String> text = Files.readAllLines(doc, StandardCharsets.UTF_8);
    for (int i = 0; i < text.size(); i++) {
      Matcher m = FENCE.matcher(text.get(i));
      if (m.matches()) {
        fence = fence == null ? m.group(2).toLowerCase(Locale.ROOT) : null;
        continue;
      }
      out.add(new Line(i + 1, text.get(i), fence));
    }
    return out;
  }

  // ---- links and references

  private static List<String> links(Path doc) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Line line : lines(doc)) {
      for (Pattern p : OUTSIDE_REFERENCES) {
        Matcher m = p.matcher(line.text());
        if (m.find()) {
          problems.add(
              at(doc, line)
                  + "refers to '"
                  + m.group()
                  + "', which readers of this repository do not have: say it in the docs' own words");
        }
      }
      if (line.inFence()) {
        continue;
      }
      Matcher m = LINK.matcher(INLINE_CODE.matcher(line.text()).replaceAll(""));
      while (m.find()) {
        String problem = brokenLink(doc, m.group(1));
        if (problem != null) {
          problems.add(at(doc, line) + "link " + m.group(1) + " " + problem);
        }
      }
    }
    return problems;
  }

  /** Why a link target does not resolve inside the repository, or null when it does. */
  private static String brokenLink(Path doc, String target) throws IOException {
    if (target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return null; // https:, mailto:: outside links are fine
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
    if (!file.startsWith(ROOT)) {
      return "leads out of the repository";
    }
    if (!Files.exists(file)) {
      return "names " + name(file) + ", which does not exist";
    }
    if (anchor != null && file.toString().endsWith(".md") && !anchors(file).contains(anchor)) {
      return "names the anchor #" + anchor + ", which " + name(file) + " has no heading for";
    }
    return null;
  }

  /** The anchors GitHub gives a file's headings. */
  static Set<String> anchors(Path doc) throws IOException {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (Line line : lines(doc)) {
      if (line.inFence() || !line.text().startsWith("#")) {
        continue;
      }
      String slug =
          line.text()
              .replaceFirst("^#+\\s*", "")
              .strip()
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return anchors;
  }

  // ---- command lines

  /** Where a command line was shown: runnable in a block, or a synopsis or a mention. */
  enum Shown {
    BLOCK,
    SYNOPSIS,
    INLINE
  }

  record Command(Line line, Shown shown, List<String> words) {
    String text() {
      return String.join(" ", words);
    }
  }

  private List<String> commands(Path doc) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Command c : commandLines(doc)) {
      String problem;
      try {
        problem = check(c);
      } catch (IOException | RuntimeException e) {
        problem = "could not be checked: " + e;
      }
      if (problem != null) {
        problems.add(at(doc, c.line()) + "`" + c.text() + "`: " + problem);
      }
    }
    return problems;
  }

  static List<Command> commandLines(Path doc) throws IOException {
    List<Command> out = new ArrayList<>();
    List<Line> lines = lines(doc);
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      String text = line.text().strip();
      if (!line.inFence()) {
        Matcher m = INLINE_CODE.matcher(line.text());
        while (m.find()) {
          String code = m.group(1).strip();
          if (code.startsWith("convoy ")
              || code.startsWith("bin/convoy ")
              || code.startsWith("./mvnw ")) {
            out.addAll(split(line, Shown.INLINE, code));
          }
        }
        continue;
      }
      boolean script = Set.of("sh", "bash", "shell").contains(line.fence());
      boolean prompt = text.startsWith("$ ");
      if (!script && !prompt && !line.fence().isEmpty() && !line.fence().equals("text")) {
        continue; // yaml, drl, json, ...: not command lines
      }
      if (!script && !prompt) {
        if (knownProgram(text)) {
          out.addAll(split(line, Shown.SYNOPSIS, joinContinued(lines, i)));
        }
        continue;
      }
      if (text.isEmpty() || text.startsWith("#") || continuesTheLineBefore(lines, i)) {
        continue;
      }
      out.addAll(split(line, Shown.BLOCK, joinContinued(lines, i).replaceFirst("^\\$ ", "")));
    }
    return out;
  }

  private static boolean knownProgram(String text) {
    return Stream.of("convoy ", "bin/convoy ", "./mvnw ", "java ", "samples/bench/", "kubectl ")
        .anyMatch(text::startsWith);
  }

  /** Whether the line before ends with a backslash: this one was read as part of it. */
  private static boolean continuesTheLineBefore(List<Line> lines, int i) {
    return i > 0 && lines.get(i - 1).inFence() && lines.get(i - 1).text().strip().endsWith("\\");
  }

  /** The line, with the lines a trailing backslash continues it onto. */
  private static String joinContinued(List<Line> lines, int start) {
    StringBuilder sb = new StringBuilder();
    for (int i = start; i < lines.size(); i++) {
      String t = lines.get(i).text().strip();
      if (t.endsWith("\\")) {
        sb.append(t, 0, t.length() - 1).append(' ');
      } else {
        sb.append(t);
        break;
      }
    }
    return sb.toString();
  }

  /**
   * Splits a shell line into its commands ({@code &&}, {@code ||}, {@code ;}, {@code |}), each as
   * words: quotes removed, comments, redirections and leading variable assignments dropped.
   */
  static List<Command> split(Line line, Shown shown, String text) {
    List<Command> out = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else {
          word.append(ch);
        }
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        word = word == null ? new StringBuilder() : word;
        continue;
      }
      if (ch == '#' && word == null) {
        break;
      }
      if (Character.isWhitespace(ch) || ch == ';' || ch == '|' || ch == '&') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        if (ch == ';'
            || ch == '|'
            || (ch == '&' && i + 1 < text.length() && text.charAt(i + 1) == '&')) {
          add(out, line, shown, words);
          words = new ArrayList<>();
          if (i + 1 < text.length() && text.charAt(i + 1) == ch) {
            i++;
          }
        }
        continue;
      }
      word = word == null ? new StringBuilder() : word;
      word.append(ch);
    }
    if (word != null) {
      words.add(word.toString());
    }
    add(out, line, shown, words);
    return out;
  }

  private static void add(List<Command> out, Line line, Shown shown, List<String> words) {
    List<String> kept = new ArrayList<>();
    for (String w : words) {
      if (kept.isEmpty() && w.matches("[A-Z_][A-Z0-9_]*=.*")) {
        continue; // CONVOY=... before the program
      }
      if (w.matches("[0-9]?>.*|<[^>]*")) {
        continue; // a redirection; <case> is a placeholder
      }
      kept.add(w);
    }
    if (!kept.isEmpty()) {
      out.add(new Command(line, shown, List.copyOf(kept)));
    }
  }

  private String check(Command c) throws IOException {
    String program = c.words().get(0);
    List<String> args = c.words().subList(1, c.words().size());
    if (program.equals("convoy") || program.equals("bin/convoy")) {
      return checkConvoy(c, args);
    }
    if (program.equals("./mvnw")) {
      return Maven.check(args);
    }
    if (program.equals("kubectl")) {
      return c.shown() == Shown.BLOCK ? kubectl(args) : null;
    }
    if (program.equals("java")) {
      return java(args);
    }
    if (program.equals("bash") || program.equals("sh")) {
      return args.isEmpty() || Files.isRegularFile(ROOT.resolve(args.get(0)))
          ? null
          : args.get(0) + " does not exist";
    }
    if (program.contains("/") && !program.startsWith("/")) {
      return script(program, args);
    }
    if (c.shown() == Shown.BLOCK && !EXTERNAL.contains(program)) {
      return "DocsTest does not know how to check " + program + ": add a check for it";
    }
    return null;
  }

  // ---- convoy

  private String checkConvoy(Command c, List<String> args) throws IOException {
    try {
      CommandLine.ParseResult parsed =
          ConvoyCommand.commandLine().parseArgs(args.toArray(String[]::new));
      if (parsed.subcommand() == null
          && !parsed.isUsageHelpRequested()
          && !parsed.isVersionHelpRequested()) {
        return "names no convoy command";
      }
    } catch (CommandLine.MissingParameterException e) {
      if (c.shown() != Shown.INLINE) {
        return "does not parse: " + e.getMessage();
      }
      // `convoy reconcile` in a sentence names the command; its options may come later.
    } catch (CommandLine.ParameterException e) {
      return "does not parse: " + e.getMessage();
    }
    if (c.shown() != Shown.BLOCK || !runnable(args)) {
      return null;
    }
    List<String> copied = new ArrayList<>();
    for (String a : args) {
      Path p = ROOT.resolve(a).normalize();
      if (!a.startsWith("-") && a.contains("/") && p.startsWith(ROOT) && Files.exists(p)) {
        Path copy = scratch.resolve(ROOT.relativize(p).toString());
        if (!Files.exists(copy)) {
          CorpusTest.copyTree(p, copy);
        }
        copied.add(copy.toString());
      } else {
        copied.add(a);
      }
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ConvoyCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(copied.toArray(String[]::new));
    return code == 0 || code == 1 ? null : "exits " + code + " when run: " + err.toString().strip();
  }

  /**
   * True when the command names files of the checkout and nothing else outside it: no placeholder,
   * no remote URL, no current folder (a doc's {@code .} is the reader's repo).
   */
  private static boolean runnable(List<String> args) {
    boolean namesCheckoutFile = false;
    for (String a : args) {
      if (a.equals(".") || a.contains("://") || a.matches(".*[<>\\[\\]].*|[A-Z][A-Z_|-]*")) {
        return false;
      }
      Path p = ROOT.resolve(a).normalize();
      if (!a.startsWith("-") && a.contains("/") && p.startsWith(ROOT) && Files.exists(p)) {
        namesCheckoutFile = true;
      }
    }
    return namesCheckoutFile;
  }

  // ---- kubectl, java, scripts

  private static String kubectl(List<String> args) throws IOException {
    if (args.size() != 2 || !args.get(0).equals("kustomize")) {
      return "only `kubectl kustomize DIR` is checked; add a check for this one";
    }
    if (args.get(1).startsWith("/tmp/")) {
      return null; // a scratch folder the doc's own earlier lines make (they are checked)
    }
    Path dir = ROOT.resolve(args.get(1)).normalize();
    if (!dir.startsWith(ROOT) || !Files.isDirectory(dir)) {
      return args.get(1) + " is not a folder of the checkout";
    }
    try {
      Kubectl.Result r = Kubectl.kustomize(dir);
      return r.exitCode() == 0 ? null : "kubectl kustomize fails: " + r.err().strip();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String java(List<String> args) throws IOException {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-cp") || a.equals("-classpath")) {
        i++;
        continue;
      }
      if (a.startsWith("-")) {
        continue;
      }
      if (a.endsWith(".java")) {
        return script(a, args.subList(i + 1, args.size()));
      }
      String source = a.replace('.', '/') + ".java";
      try (Stream<Path> walk = Files.walk(ROOT, 1)) {
        boolean found =
            walk.filter(Files::isDirectory)
                .anyMatch(
                    m ->
                        Files.exists(m.resolve("src/main/java").resolve(source))
                            || Files.exists(m.resolve("src/test/java").resolve(source)));
        return found ? null : "main class " + a + " has no source in any module";
      }
    }
    return "names no program";
  }

  /** A script or single-file program of the checkout: it exists, and reads every option given. */
  private static String script(String path, List<String> args) throws IOException {
    Path file = ROOT.resolve(path).normalize();
    if (!file.startsWith(ROOT) || !Files.isRegularFile(file)) {
      return path + " does not exist in the checkout";
    }
    if (!path.endsWith(".java") && !Files.isExecutable(file)) {
      return path + " is not executable";
    }
    String source = Files.readString(file);
    for (String a : args) {
      if (a.startsWith("--")) {
        String option = a.split("=", 2)[0];
        if (!source.contains(option)) {
          return path + " does not read the option " + option;
        }
      }
    }
    return null;
  }

  private static String at(Path doc, Line line) {
    return name(doc) + ":" + line.number() + ": ";
  }

  /** What a {@code ./mvnw} line names must exist; Maven itself is not run here. */
  static final class Maven {
    private Maven() {}

    static String check(List<String> args) throws IOException {
      List<String> modules = new ArrayList<>();
      boolean alsoMake = false;
      String tests = null;
      boolean noFailIfNoTests = false;
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if ((a.equals("-pl") || a.equals("--projects")) && i + 1 < args.size()) {
          modules.addAll(List.of(args.get(++i).split(",")));
        } else if (a.equals("-am") || a.equals("--also-make")) {
          alsoMake = true;
        } else if (a.equals("-P") && i + 1 < args.size()) {
          problems.add(profile(args.get(++i)));
        } else if (a.startsWith("-P") && a.length() > 2) {
          problems.add(profile(a.substring(2)));
        } else if (a.startsWith("-Dtest=")) {
          tests = a.substring("-Dtest=".length());
        } else if (a.equals("-Dsurefire.failIfNoSpecifiedTests=false")) {
          noFailIfNoTests = true;
        } else if (a.startsWith("-Dconvoy.")) {
          problems.add(property(a.substring(2).split("=", 2)[0]));
        }
      }
      for (String m : modules) {
        if (!Files.isRegularFile(ROOT.resolve(m).resolve("pom.xml"))) {
          problems.add("-pl names " + m + ", which is not a module");
        } else if (!alsoMake && !m.equals("engine")) {
          problems.add(
              "-pl "
                  + m
                  + " without -am builds against installed jars of the other modules,"
                  + " not this checkout: add -am");
        }
      }
      if (tests != null) {
        if (alsoMake && !noFailIfNoTests) {
          problems.add(
              "-Dtest with -am needs -Dsurefire.failIfNoSpecifiedTests=false, or the modules"
                  + " built first fail for having no such test");
        }
        for (String t : tests.split(",")) {
          problems.add(testClass(t));
        }
      }
      problems.removeIf(p -> p == null);
      return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static String testClass(String pattern) throws IOException {
      if (pattern.contains("<")) {
        return null; // a placeholder
      }
      String[] parts = pattern.split("#", 2);
      Pattern name = Pattern.compile(parts[0].replace(".", "\\.").replace("*", ".*"));
      List<Path> sources;
      try (Stream<Path> walk = Files.walk(ROOT)) {
        sources =
            walk.filter(p -> p.toString().contains("/src/test/java/"))
                .filter(
                    p -> name.matcher(p.getFileName().toString().replace(".java", "")).matches())
                .toList();
      }
      if (sources.isEmpty()) {
        return "-Dtest names " + parts[0] + ", which no test class matches";
      }
      if (parts.length == 2) {
        for (Path s : sources) {
          if (Files.readString(s).contains(" " + parts[1] + "(")) {
            return null;
          }
        }
        return "-Dtest names the method " + parts[1] + ", which " + parts[0] + " does not have";
      }
      return null;
    }

    private static String profile(String ids) throws IOException {
      for (String id : ids.split(",")) {
        if (!anyFile(p -> p.getFileName().toString().equals("pom.xml"), "<id>" + id + "</id>")) {
          return "-P names the profile " + id + ", which no pom.xml defines";
        }
      }
      return null;
    }

    private static String property(String name) throws IOException {
      return anyFile(
              p -> p.toString().endsWith(".java") || p.getFileName().toString().equals("pom.xml"),
              name)
          ? null
          : "-D" + name + " is read by nothing in the checkout";
    }

    private static boolean anyFile(java.util.function.Predicate<Path> which, String text)
        throws IOException {
      try (Stream<Path> walk = Files.walk(ROOT)) {
        return walk.filter(p -> !p.toString().contains("/target/"))
            .filter(Files::isRegularFile)
            .filter(which)
            .anyMatch(
                p -> {
                  try {
                    return Files.readString(p).contains(text);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      }
    }
  }
}

package dev.convoy.engine.output;

import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.load.LoadedRepo;
import dev.convoy.engine.load.LoadedRepo.SourceFile;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.yaml.JsonPrinter;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.ManifestPrinter;
import dev.convoy.engine.yaml.YamlDocument;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Lays out a target's rendered output: one file per source file at the same path, documents in
 * source order under a header naming the source, and a {@code kustomization.yaml} listing them so
 * {@code kubectl kustomize}, Argo CD and Flux can build the folder.
 */
public final class OutputFiles {
  public static final String KUSTOMIZATION = "kustomization.yaml";
  private static final ThreadLocal<ManifestPrinter> PRINTER =
      ThreadLocal.withInitial(ManifestPrinter::new);

  private final LoadedRepo repo;
  private final Map<String, byte[]> previous;

  public OutputFiles(LoadedRepo repo, Map<String, byte[]> previous) {
    this.repo = repo;
    this.previous = previous;
  }

  /**
   * @param rendered for each of the repo's workloads, in order, the object to write
   */
  public SortedMap<String, byte[]> render(List<Map<String, Object>> rendered) {
    Printing printing = printing();
    printing.add(rendered);
    return printing.finish();
  }

  /** Prints the files as the workloads' objects arrive, part by part; see {@link Printing}. */
  public Printing printing() {
    return new Printing();
  }

  /**
   * The output files, printed as soon as every workload of a file has its object, so a run holds
   * the rendered trees of the files still open only (a part of the fleet at a time), not of all.
   */
  public final class Printing {
    private final Map<YamlDocument, Map<Integer, Map<String, Object>>> byDocument =
        new IdentityHashMap<>();
    // Source files by the index of their last workload (-1: none), and how many are printed.
    private final List<SourceFile> files;
    private final int[] lastWorkload;
    private int printed;
    private int received;
    private final SortedMap<String, byte[]> out = new TreeMap<>();

    private Printing() {
      Map<String, Integer> last = new java.util.HashMap<>();
      List<Workload> workloads = repo.workloads();
      for (int i = 0; i < workloads.size(); i++) {
        last.put(workloads.get(i).file(), i);
      }
      files = new ArrayList<>(repo.sourceFiles());
      files.sort(java.util.Comparator.comparingInt(f -> last.getOrDefault(f.path(), -1)));
      lastWorkload = new int[files.size()];
      for (int i = 0; i < files.size(); i++) {
        lastWorkload[i] = last.getOrDefault(files.get(i).path(), -1);
      }
    }

    /** The objects of the next workloads in repo order; prints the files they complete. */
    public void add(List<Map<String, Object>> rendered) {
      List<Workload> workloads = repo.workloads();
      for (Map<String, Object> object : rendered) {
        Workload w = workloads.get(received++);
        byDocument.computeIfAbsent(w.document(), d -> new TreeMap<>()).put(w.item(), object);
      }
      int from = printed;
      while (printed < files.size() && lastWorkload[printed] < received) {
        printed++;
      }
      List<Map.Entry<String, byte[]>> done =
          files.subList(from, printed).parallelStream()
              .map(f -> Map.entry(f.path(), print(f, byDocument)))
              .filter(e -> e.getValue() != null)
              .toList();
      done.forEach(e -> out.put(e.getKey(), e.getValue()));
      for (SourceFile f : files.subList(from, printed)) {
        f.documents().forEach(byDocument::remove);
      }
    }

    /** Every file, with the {@code kustomization.yaml} that lists them. */
    public SortedMap<String, byte[]> finish() {
      if (received != repo.workloads().size()) {
        throw new IllegalStateException(
            "objects for " + received + " of " + repo.workloads().size() + " workloads");
      }
      out.put(KUSTOMIZATION, kustomization(out.keySet()));
      return out;
    }
  }

  private static byte[] print(
      SourceFile file, Map<YamlDocument, Map<Integer, Map<String, Object>>> byDocument) {
    List<Object> documents = new ArrayList<>();
    for (YamlDocument doc : file.documents()) {
      if (doc.content() == null) {
        continue;
      }
      Map<Integer, Map<String, Object>> replaced = byDocument.get(doc);
      if (replaced == null) {
        documents.add(doc.content());
      } else if (replaced.containsKey(-1)) {
        documents.add(replaced.get(-1));
      } else {
        documents.add(withItems(doc.map(), replaced));
      }
    }
    if (documents.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(4096);
    if (ManifestParser.isJson(file.path())) {
      // A .json source renders as JSON at its own path (JSON has no comments for the header).
      JsonPrinter.printAll(documents, sb);
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
    sb.append("# Source: ").append(file.path()).append('\n');
    sb.append("# Rendered by Convoy; edit the source, not this file.\n");
    PRINTER.get().printAll(documents, sb);
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> withItems(
      Map<String, Object> list, Map<Integer, Map<String, Object>> replaced) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(list);
    List<Object> items = new ArrayList<>((List<?>) list.get("items"));
    int mapIndex = 0;
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof Map<?, ?>) {
        Map<String, Object> r = replaced.get(mapIndex);
        if (r != null) {
          items.set(i, r);
        }
        mapIndex++;
      }
    }
    out.put("items", items);
    return out;
  }

  private static byte[] kustomization(Iterable<String> files) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Generated by Convoy: the rendered manifests of this target.\n");
    sb.append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
    sb.append("kind: Kustomization\n");
    sb.append("resources:");
    boolean any = false;
    for (String f : files) {
      sb.append("\n- ").append(f);
      any = true;
    }
    sb.append(any ? "\n" : " []\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The workload's document in the previous output at the same path, or {@code null}. Only the
   * documents whose text names the workload are parsed: a wave run looks up every workload of a
   * fleet, and its files also hold Services, ConfigMaps and ServiceAccounts.
   */
  public static Map<String, Object> previousDocument(Map<String, byte[]> previous, Workload w) {
    byte[] bytes = previous.get(w.file());
    if (bytes == null) {
      return null;
    }
    byte[] name = w.name().getBytes(StandardCharsets.UTF_8);
    for (byte[] document : documents(bytes)) {
      if (!contains(document, name)) {
        continue;
      }
      Map<String, Object> found = find(w, document);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /**
   * The value of an annotation of the workload's pod template in the previous output, as {@link
   * #previousDocument} would give it, read from the printed text where it settles the answer (see
   * {@link PrintedAnnotation}) and parsed where it does not.
   */
  public static java.util.Optional<String> previousTemplateAnnotation(
      Map<String, byte[]> previous, Workload w, String key) {
    byte[] bytes = previous.get(w.file());
    if (bytes == null) {
      return java.util.Optional.empty();
    }
    byte[] name = w.name().getBytes(StandardCharsets.UTF_8);
    for (byte[] document : documents(bytes)) {
      if (!contains(document, name)) {
        continue;
      }
      PrintedAnnotation.Answer answer =
          PrintedAnnotation.read(
              document, w.kind().kind(), w.name(), w.namespace(), w.kind().templatePath(), key);
      if (answer instanceof PrintedAnnotation.Found f) {
        return java.util.Optional.of(f.value());
      }
      if (answer instanceof PrintedAnnotation.Absent) {
        return java.util.Optional.empty();
      }
      if (answer instanceof PrintedAnnotation.Unsure) {
        Map<String, Object> found = find(w, document);
        if (found != null) {
          return java.util.Optional.ofNullable(annotation(w.kind().podTemplateOf(found), key));
        }
      }
    }
    return java.util.Optional.empty();
  }

  private static String annotation(Map<String, Object> template, String key) {
    return Trees.string(Trees.map(Trees.map(template, "metadata"), "annotations"), key);
  }

  private static Map<String, Object> find(Workload w, byte[] bytes) {
    try {
      for (YamlDocument doc :
          ManifestParser.parse(new InputFile(w.file(), bytes), ManifestParser.Positions.DROP)) {
        Map<String, Object> m = doc.map();
        List<Map<String, Object>> candidates = new ArrayList<>();
        if (m != null) {
          candidates.add(m);
          candidates.addAll(Trees.mapList(m, "items"));
        }
        for (Map<String, Object> c : candidates) {
          Map<String, Object> md = Trees.map(c, "metadata");
          if (w.kind().kind().equals(c.get("kind"))
              && w.name().equals(Trees.string(md, "name"))
              && Objects.equals(w.namespace(), Trees.string(md, "namespace"))) {
            return c;
          }
        }
      }
    } catch (dev.convoy.engine.input.BadInputException e) {
      return null;
    }
    return null;
  }

  /**
   * A file's YAML documents as printed, each starting at a line that is exactly {@code ---} (a
   * document marker: YAML allows no such line inside a scalar), so each parses on its own.
   */
  public static List<byte[]> documents(byte[] file) {
    if (file == null) {
      return List.of();
    }
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + 3 <= file.length; i++) {
      if ((i == 0 || file[i - 1] == '\n')
          && file[i] == '-'
          && file[i + 1] == '-'
          && file[i + 2] == '-'
          && (i + 3 == file.length || file[i + 3] == '\n' || file[i + 3] == '\r')
          && i > start) {
        out.add(java.util.Arrays.copyOfRange(file, start, i));
        start = i;
      }
    }
    out.add(java.util.Arrays.copyOfRange(file, start, file.length));
    return out;
  }

  private static boolean contains(byte[] text, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= text.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (text[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}

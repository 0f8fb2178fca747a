package dev.convoy.cli;

import dev.convoy.engine.model.UpdateGate;
import dev.convoy.engine.upgrade.GateAnswer;
import dev.convoy.engine.upgrade.RolloutState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates a policy's {@code spec.update.gate} for the workloads a rollout has moved so far,
 * before the render: the answer goes into the engine as a value ({@link GateAnswer}), so the engine
 * stays a pure function. A gate that cannot answer (a server that does not respond, a command that
 * times out or cannot start) answers "unhealthy": a rollout never moves on a missing answer.
 */
final class GateCheck {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern EXPECT =
      Pattern.compile("\\s*(==|!=|<=|>=|<|>)\\s*(-?\\d{1,15}(?:\\.\\d{1,15})?)\\s*");
  private static final int MAX_OUTPUT = 64 * 1024;

  /** What a gate is asked about: one target's rollout of one policy. */
  record Rollout(
      String target,
      String policy,
      String revision,
      int wave,
      SortedMap<String, RolloutState.Moved> moved) {}

  private final Path repoDir;
  private final Instant now;

  /**
   * @param repoDir the folder a command gate runs in (the config repo's checkout)
   * @param now the time recorded with the answer (the run's {@code --now})
   */
  GateCheck(Path repoDir, Instant now) {
    this.repoDir = repoDir;
    this.now = now;
  }

  /**
   * A gate's answer, and whether the gate could be asked at all: {@code false} when Prometheus was
   * unreachable or answered an HTTP error, or a command could not start or timed out (the answer
   * then holds the rollout, as any failing answer does).
   */
  record Result(GateAnswer answer, boolean asked) {}

  Result evaluate(UpdateGate gate, Rollout rollout) {
    if (gate instanceof UpdateGate.Command c) {
      return command(c, rollout);
    }
    return prometheus((UpdateGate.Prometheus) gate, rollout);
  }

  /** The moved workloads as the command gate's stdin reads them. */
  static byte[] json(Rollout r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("target", r.target());
    root.put("policy", r.policy());
    root.put("revision", r.revision());
    root.put("wave", r.wave());
    List<Map<String, Object>> workloads = new ArrayList<>();
    r.moved()
        .forEach(
            (ref, moved) -> {
              String[] parts = ref.split("/", 3);
              Map<String, Object> w = new LinkedHashMap<>();
              w.put("kind", parts[0]);
              w.put("namespace", parts.length > 2 ? parts[1] : "");
              w.put("name", parts[parts.length - 1]);
              w.put("fromRevision", moved.fromRevision());
              w.put("wave", moved.wave());
              workloads.add(w);
            });
    root.put("workloads", workloads);
    return JSON.writeValueAsBytes(root);
  }

  private Result command(UpdateGate.Command c, Rollout r) {
    String line = String.join(" ", c.command());
    Process p;
    try {
      p =
          new ProcessBuilder(c.command())
              .directory(repoDir.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      return new Result(
          new GateAnswer(false, "command gate could not start: " + e.getMessage(), now, line, null),
          false);
    }
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write(json(r));
      } catch (IOException e) {
        // A command that does not read its stdin is free to exit before we finish writing.
      }
      // Read the output on another thread, so a chatty command cannot block on a full pipe.
      StringBuilder out = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try (InputStream s = p.getInputStream()) {
                  byte[] bytes = s.readNBytes(MAX_OUTPUT);
                  synchronized (out) {
                    out.append(new String(bytes, StandardCharsets.UTF_8));
                  }
                  s.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                  // the process ended
                }
              },
              "gate-output");
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(c.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
        return new Result(
            new GateAnswer(
                false,
                "command gate timed out after "
                    + c.timeout().toString().substring(2).toLowerCase(java.util.Locale.ROOT),
                now,
                line,
                null),
            false);
      }
      reader.join(2000);
      String said;
      synchronized (out) {
        said = lastLine(out.toString());
      }
      int exit = p.exitValue();
      return new Result(
          new GateAnswer(
              exit == 0,
              "command exited " + exit + (said.isEmpty() ? "" : ": " + said),
              now,
              line,
              Integer.toString(exit)),
          true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new Result(new GateAnswer(false, "command gate interrupted", now, line, null), false);
    }
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
    return last.length() > 200 ? last.substring(0, 200) + "..." : last;
  }

  /** The query with {@code {{namespaces}}} and {@code {{names}}} filled in. */
  static String query(String template, SortedMap<String, RolloutState.Moved> moved) {
    TreeSet<String> namespaces = new TreeSet<>();
    TreeSet<String> names = new TreeSet<>();
    moved
        .keySet()
        .forEach(
            ref -> {
              String[] parts = ref.split("/", 3);
              if (parts.length > 2) {
                namespaces.add(parts[1]);
              }
              names.add(parts[parts.length - 1]);
            });
    return template
        .replace("{{namespaces}}", alternation(namespaces))
        .replace("{{names}}", alternation(names));
  }

  /** Kubernetes names need no regular expression escaping: lower case, digits, '-' and '.'. */
  private static String alternation(TreeSet<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(v.replace(".", "\\\\."));
    }
    return String.join("|", out);
  }

  private Result prometheus(UpdateGate.Prometheus g, Rollout r) {
    String query = query(g.query(), r.moved());
    String base = g.url().replaceAll("/+$", "");
    URI uri =
        URI.create(
            base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    HttpClient client = HttpClient.newBuilder().connectTimeout(g.timeout()).build();
    JsonNode body;
    try {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(g.timeout()).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      byte[] bytes = response.body();
      if (bytes.length > 4 * 1024 * 1024) {
        return new Result(
            new GateAnswer(false, "prometheus answered more than 4 MiB", now, query, null), false);
      }
      body = JSON.readTree(bytes);
      if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
        return new Result(
            new GateAnswer(
                false,
                "prometheus at "
                    + base
                    + " answered HTTP "
                    + response.statusCode()
                    + ": "
                    + body.path("error").asString(""),
                now,
                query,
                null),
            false);
      }
    } catch (IOException | RuntimeException e) {
      return new Result(
          new GateAnswer(
              false,
              "prometheus at " + base + " unreachable: " + e.getClass().getSimpleName(),
              now,
              query,
              null),
          false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(
          new GateAnswer(false, "prometheus query interrupted", now, query, null), false);
    }
    JsonNode data = body.path("data");
    List<Double> values = new ArrayList<>();
    String type = data.path("resultType").asString("");
    if (type.equals("scalar")) {
      values.add(Double.parseDouble(data.path("result").get(1).asString()));
    } else if (type.equals("vector")) {
      for (JsonNode sample : data.path("result")) {
        values.add(Double.parseDouble(sample.path("value").get(1).asString()));
      }
    } else {
      return new Result(
          new GateAnswer(
              false, "prometheus answered a " + type + ", not an instant vector", now, query, null),
          true);
    }
    if (values.isEmpty()) {
      return new Result(
          new GateAnswer(
              false,
              "prometheus: no samples (add 'or vector(0)' when none means healthy), expected "
                  + g.expect(),
              now,
              query,
              null),
          true);
    }
    Matcher m = EXPECT.matcher(g.expect());
    m.matches();
    String op = m.group(1);
    double want = Double.parseDouble(m.group(2));
    String shown = values.size() == 1 ? number(values.get(0)) : numbers(values);
    for (double v : values) {
      if (!holds(v, op, want)) {
        return new Result(
            new GateAnswer(
                false,
                "prometheus: value " + shown + ", expected " + g.expect(),
                now,
                query,
                shown),
            true);
      }
    }
    return new Result(
        new GateAnswer(
            true, "prometheus: value " + shown + ", expected " + g.expect(), now, query, shown),
        true);
  }

  private static boolean holds(double v, String op, double want) {
    return switch (op) {
      case "==" -> v == want;
      case "!=" -> v != want;
      case "<" -> v < want;
      case "<=" -> v <= want;
      case ">" -> v > want;
      default -> v >= want;
    };
  }

  private static String numbers(List<Double> values) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < values.size() && i < 5; i++) {
      out.add(number(values.get(i)));
    }
    return "[" + String.join(", ", out) + (values.size() > 5 ? ", ..." : "") + "]";
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}

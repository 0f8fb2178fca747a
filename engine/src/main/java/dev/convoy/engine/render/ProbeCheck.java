package dev.convoy.engine.render;

import dev.convoy.engine.model.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a hook checks to see a corev1 Probe pass from inside a container, and how long it may take:
 * the probe as data, turned into shell text by {@link ShellScripts} only. {@code httpGet} and
 * {@code tcpSocket} reach the pod's network (any container can check them), {@code exec} runs in
 * the probed container; {@code grpc} and a port name the container does not declare have no check.
 */
sealed interface ProbeCheck {

  /** {@code httpGet}: 200-399 counts as passing, as for the kubelet. */
  record Http(String url, List<String> headers, boolean tls) implements ProbeCheck {
    public Http {
      headers = List.copyOf(headers);
    }
  }

  /** {@code tcpSocket}: the port accepts a connection. */
  record Tcp(String host, String port) implements ProbeCheck {}

  /** {@code exec}: the command exits 0. */
  record Exec(List<String> words) implements ProbeCheck {
    public Exec {
      words = List.copyOf(words);
    }
  }

  /** Why there is no check. */
  record Unsupported(String reason) implements ProbeCheck {}

  /** Whether the check can run in another container of the pod (it reaches the pod's network). */
  default boolean network() {
    return this instanceof Http || this instanceof Tcp;
  }

  static ProbeCheck of(Map<String, Object> probe, Map<String, Object> container) {
    Map<String, Object> http = Trees.map(probe, "httpGet");
    if (http != null) {
      String port = port(http.get("port"), container);
      if (port == null) {
        return new Unsupported(
            "httpGet port '" + http.get("port") + "' is not a port of the container");
      }
      boolean tls = "HTTPS".equalsIgnoreCase(Trees.string(http, "scheme"));
      String host = Trees.string(http, "host") != null ? Trees.string(http, "host") : "127.0.0.1";
      String path = Trees.string(http, "path") == null ? "/" : Trees.string(http, "path");
      if (!path.startsWith("/")) {
        path = "/" + path;
      }
      List<String> headers = new ArrayList<>();
      for (Map<String, Object> h : Trees.mapList(http, "httpHeaders")) {
        headers.add(Trees.string(h, "name") + ": " + String.valueOf(h.get("value")));
      }
      return new Http((tls ? "https" : "http") + "://" + host + ":" + port + path, headers, tls);
    }
    Map<String, Object> tcp = Trees.map(probe, "tcpSocket");
    if (tcp != null) {
      String port = port(tcp.get("port"), container);
      if (port == null) {
        return new Unsupported(
            "tcpSocket port '" + tcp.get("port") + "' is not a port of the container");
      }
      String host = Trees.string(tcp, "host") != null ? Trees.string(tcp, "host") : "127.0.0.1";
      return new Tcp(host, port);
    }
    Map<String, Object> exec = Trees.map(probe, "exec");
    if (exec != null && exec.get("command") instanceof List<?> words && !words.isEmpty()) {
      return new Exec(words.stream().map(String::valueOf).toList());
    }
    return new Unsupported("no default check for this probe (only httpGet, tcpSocket and exec)");
  }

  private static String port(Object port, Map<String, Object> container) {
    if (port instanceof Number n) {
      return String.valueOf(n.intValue());
    }
    if (port instanceof String s) {
      if (s.matches("\\d+")) {
        return s;
      }
      for (Map<String, Object> p : Trees.mapList(container, "ports")) {
        if (s.equals(p.get("name")) && p.get("containerPort") instanceof Number n) {
          return String.valueOf(n.intValue());
        }
      }
    }
    return null;
  }
}

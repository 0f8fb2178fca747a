package dev.convoy.engine.render;

import dev.convoy.engine.model.Trees;
import java.util.List;
import java.util.Map;

/**
 * The default shell command that checks a corev1 Probe from inside the probed container, for legacy
 * hooks: {@code httpGet} with {@code wget}, {@code tcpSocket} with {@code nc -z}, {@code exec} as
 * is. A probe it cannot translate ({@code grpc}, a port name the container does not declare) needs
 * an explicit {@code waitCommand}.
 */
sealed interface ProbeCommand {

  /** The command text for {@code sh}. */
  record Command(String text) implements ProbeCommand {}

  /** Why there is no default command. */
  record Unsupported(String reason) implements ProbeCommand {}

  static ProbeCommand of(Map<String, Object> probe, Map<String, Object> container) {
    Map<String, Object> http = Trees.map(probe, "httpGet");
    if (http != null) {
      String port = port(http.get("port"), container);
      if (port == null) {
        return new Unsupported(
            "httpGet port '" + http.get("port") + "' is not a port of the container");
      }
      String scheme = "HTTPS".equalsIgnoreCase(Trees.string(http, "scheme")) ? "https" : "http";
      String host = Trees.string(http, "host") != null ? Trees.string(http, "host") : "127.0.0.1";
      String path = Trees.string(http, "path") == null ? "/" : Trees.string(http, "path");
      if (!path.startsWith("/")) {
        path = "/" + path;
      }
      String tls = scheme.equals("https") ? " --no-check-certificate" : "";
      return new Command(
          "wget -q -T 1"
              + tls
              + " -O /dev/null "
              + HookScripts.quote(scheme + "://" + host + ":" + port + path));
    }
    Map<String, Object> tcp = Trees.map(probe, "tcpSocket");
    if (tcp != null) {
      String port = port(tcp.get("port"), container);
      if (port == null) {
        return new Unsupported(
            "tcpSocket port '" + tcp.get("port") + "' is not a port of the container");
      }
      String host = Trees.string(tcp, "host") != null ? Trees.string(tcp, "host") : "127.0.0.1";
      return new Command("nc -z " + HookScripts.quote(host) + " " + port);
    }
    Map<String, Object> exec = Trees.map(probe, "exec");
    if (exec != null && exec.get("command") instanceof List<?> words && !words.isEmpty()) {
      return new Command(HookScripts.join(words));
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

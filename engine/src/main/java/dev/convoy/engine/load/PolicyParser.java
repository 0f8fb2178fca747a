package dev.convoy.engine.load;

import dev.convoy.engine.input.InputError;
import dev.convoy.engine.model.KubernetesNames;
import dev.convoy.engine.model.PolicyInitContainer;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.Position;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.UpdatePolicy;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.yaml.CanonicalJson;
import dev.convoy.engine.yaml.PlainScalar;
import dev.convoy.engine.yaml.YamlDocument;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns SidecarPolicy documents into {@link SidecarPolicy} values, reporting every schema error.
 */
public final class PolicyParser {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private static final Set<String> SPEC_FIELDS =
      Set.of(
          "selector",
          "namespaceSelector",
          "namespaces",
          "kinds",
          "targets",
          "priority",
          "sidecars",
          "initContainers",
          "volumes",
          "update");
  private static final Set<String> SIDECAR_FIELDS =
      Set.of(
          "position",
          "after",
          "before",
          "ready",
          "container",
          "waitCommand",
          "readyTimeoutSeconds",
          "waitForApp",
          "noShell");
  private static final Set<String> UPDATE_FIELDS =
      Set.of(
          "strategy",
          "maxUnavailable",
          "partition",
          "paused",
          "canary",
          "minWaveInterval",
          "gate",
          "onFailure",
          "perGroup",
          "stopAfterWaves",
          "windows");

  private PolicyParser() {}

  /** True for documents this parser reads. */
  public static boolean isPolicy(YamlDocument doc) {
    return SidecarPolicy.KIND.equals(doc.kind());
  }

  /** Parses one SidecarPolicy document; returns {@code null} after adding errors when invalid. */
  public static SidecarPolicy parse(YamlDocument doc, List<InputError> errors) {
    Map<String, Object> root = doc.map();
    String name =
        root.get("metadata") instanceof Map<?, ?> md && md.get("name") instanceof String n
            ? n
            : null;
    SchemaReader r = new SchemaReader(doc, "SidecarPolicy/" + (name == null ? "?" : name), errors);
    int before = r.errorCount();
    if (!SidecarPolicy.API_VERSION.equals(doc.apiVersion())) {
      r.error(
          "apiVersion",
          "must be " + SidecarPolicy.API_VERSION + ", found '" + doc.apiVersion() + "'");
    }
    if (name == null) {
      r.error("metadata.name", "is required");
    } else if (KubernetesNames.dnsLabelProblem(name) != null) {
      r.error("metadata.name", KubernetesNames.dnsLabelProblem(name));
    }
    Map<String, Object> spec = r.map(root, "", "spec", true);
    if (spec == null) {
      return null;
    }
    r.rejectUnknown(spec, "spec", SPEC_FIELDS);

    LabelSelector selector = typed(r, spec.get("selector"), "spec.selector", LabelSelector.class);
    LabelSelector namespaceSelector =
        typed(r, spec.get("namespaceSelector"), "spec.namespaceSelector", LabelSelector.class);
    checkSelector(r, selector, "spec.selector");
    checkSelector(r, namespaceSelector, "spec.namespaceSelector");
    List<String> namespaces = r.strings(spec, "spec", "namespaces");
    for (int i = 0; i < namespaces.size(); i++) {
      String problem = KubernetesNames.dnsLabelProblem(namespaces.get(i));
      if (problem != null) {
        r.error("spec.namespaces[" + i + "]", problem);
      }
    }
    List<String> kinds = r.strings(spec, "spec", "kinds");
    for (int i = 0; i < kinds.size(); i++) {
      if (WorkloadKind.of(kinds.get(i)) == null) {
        r.error(
            "spec.kinds[" + i + "]",
            "'" + kinds.get(i) + "' is not a workload kind (" + WorkloadKind.names() + ")");
      }
    }
    List<String> targets = r.strings(spec, "spec", "targets");
    Integer priority = r.integer(spec, "spec", "priority");

    Set<String> names = new HashSet<>();
    List<PolicySidecar> sidecars = new ArrayList<>();
    List<Map<String, Object>> sidecarMaps = r.maps(spec, "spec", "sidecars");
    for (int i = 0; i < sidecarMaps.size(); i++) {
      Map<String, Object> s = sidecarMaps.get(i);
      if (s != null) {
        PolicySidecar sidecar = sidecar(r, doc, s, "spec.sidecars[" + i + "]");
        if (sidecar != null) {
          unique(r, names, sidecar.name(), "spec.sidecars[" + i + "].container.name");
          sidecars.add(sidecar);
        }
      }
    }
    List<PolicyInitContainer> inits = new ArrayList<>();
    List<Map<String, Object>> initMaps = r.maps(spec, "spec", "initContainers");
    for (int i = 0; i < initMaps.size(); i++) {
      String path = "spec.initContainers[" + i + "]";
      Map<String, Object> c = initMaps.get(i);
      Container typed = c == null ? null : container(r, c, path);
      if (typed != null) {
        unique(r, names, typed.getName(), path + ".name");
        inits.add(new PolicyInitContainer(typed.getName(), c, doc.lineOf(path)));
      }
    }
    if (spec.get("sidecars") instanceof List<?> l && l.isEmpty()) {
      r.error(
          "spec.sidecars",
          "must list at least one sidecar (leave it out when the policy injects only init"
              + " containers)");
    } else if (sidecars.isEmpty() && inits.isEmpty() && spec.get("sidecars") == null) {
      r.error(
          "spec.sidecars", "is required: a policy injects at least one sidecar or init container");
    }
    List<Map<String, Object>> volumes = r.maps(spec, "spec", "volumes");
    Set<String> volumeNames = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      Volume v =
          volumes.get(i) == null
              ? null
              : typed(r, volumes.get(i), "spec.volumes[" + i + "]", Volume.class);
      if (v != null && (v.getName() == null || !volumeNames.add(v.getName()))) {
        r.error(
            "spec.volumes[" + i + "].name",
            v.getName() == null ? "is required" : "duplicate volume '" + v.getName() + "'");
      }
    }
    UpdatePolicy update = update(r, r.map(spec, "spec", "update", false));

    if (r.errorCount() > before) {
      return null;
    }
    Map<String, Object> injected = new LinkedHashMap<>();
    injected.put("sidecars", spec.get("sidecars"));
    injected.put("initContainers", spec.get("initContainers"));
    injected.put("volumes", spec.get("volumes"));
    return new SidecarPolicy(
        name,
        priority == null ? 0 : priority,
        selector,
        namespaceSelector,
        namespaces,
        kinds,
        targets,
        sidecars,
        inits,
        volumes,
        update,
        CanonicalJson.hash(injected, 10),
        doc.file(),
        doc.line(),
        injected);
  }

  private static PolicySidecar sidecar(
      SchemaReader r, YamlDocument doc, Map<String, Object> s, String path) {
    r.rejectUnknown(s, path, SIDECAR_FIELDS);
    String positionText = r.string(s, path, "position", true);
    Position position = null;
    if (positionText != null) {
      try {
        position = Position.valueOf(positionText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        r.error(path + ".position", "must be pre or post, found '" + positionText + "'");
      }
    }
    List<String> after = r.strings(s, path, "after");
    List<String> before = r.strings(s, path, "before");
    String self =
        s.get("container") instanceof Map<?, ?> c && c.get("name") instanceof String n ? n : null;
    edges(r, path + ".after", after, self);
    edges(r, path + ".before", before, self);
    Map<String, Object> ready = r.map(s, path, "ready", false);
    if (ready != null) {
      probePorts(r, typed(r, ready, path + ".ready", Probe.class), path + ".ready");
    }
    Map<String, Object> containerMap = r.map(s, path, "container", true);
    Container container =
        containerMap == null ? null : container(r, containerMap, path + ".container");
    List<String> waitCommand = r.strings(s, path, "waitCommand");
    if (s.containsKey("waitCommand") && waitCommand.isEmpty()) {
      r.error(path + ".waitCommand", "must not be empty (leave it out for the default)");
    }
    Integer timeout = r.integer(s, path, "readyTimeoutSeconds");
    if (timeout != null && timeout <= 0) {
      r.error(path + ".readyTimeoutSeconds", "must be positive, found " + timeout);
    }
    if (ready == null && (s.containsKey("waitCommand") || timeout != null)) {
      r.error(
          path + (s.containsKey("waitCommand") ? ".waitCommand" : ".readyTimeoutSeconds"),
          "needs ready: it says how legacy mode waits for it");
    }
    String waitText = r.string(s, path, "waitForApp", false);
    PolicySidecar.WaitForApp waitForApp = PolicySidecar.WaitForApp.NONE;
    if (waitText != null) {
      try {
        waitForApp = PolicySidecar.WaitForApp.parse(waitText);
      } catch (IllegalArgumentException e) {
        r.error(path + ".waitForApp", "must be none, hook or wrapper, found '" + waitText + "'");
      }
      if (position == Position.PRE && waitForApp != PolicySidecar.WaitForApp.NONE) {
        r.error(path + ".waitForApp", "only a post sidecar waits for the app (this one is pre)");
      }
    }
    boolean noShell = Boolean.TRUE.equals(r.bool(s, path, "noShell"));
    if (container == null || position == null) {
      return null;
    }
    if (waitForApp == PolicySidecar.WaitForApp.WRAPPER
        && (container.getCommand() == null || container.getCommand().isEmpty())) {
      r.error(
          path + ".waitForApp",
          "wrapper wraps the sidecar's command: set container.command (the image's entrypoint is unknown)");
    }
    return new PolicySidecar(
        container.getName(),
        position,
        after,
        before,
        ready,
        containerMap,
        doc.lineOf(path),
        waitCommand,
        timeout == null ? PolicySidecar.FOLLOW_PROBE : timeout,
        waitForApp,
        noShell);
  }

  private static Container container(SchemaReader r, Map<String, Object> map, String path) {
    Container c = typed(r, map, path, Container.class);
    if (c == null) {
      return null;
    }
    if (c.getName() == null) {
      r.error(path + ".name", "is required");
      return null;
    }
    String nameProblem = KubernetesNames.dnsLabelProblem(c.getName());
    if (nameProblem != null) {
      r.error(
          path + ".name",
          nameProblem.replace(
              "is not a DNS-1123 label", "is not a valid container name: not a DNS-1123 label"));
    }
    ports(r, c, path);
    probePorts(r, c.getLivenessProbe(), path + ".livenessProbe");
    probePorts(r, c.getReadinessProbe(), path + ".readinessProbe");
    probePorts(r, c.getStartupProbe(), path + ".startupProbe");
    if (c.getImage() == null) {
      r.error(path + ".image", "is required");
    }
    if (!c.getAdditionalProperties().isEmpty()) {
      r.error(
          path,
          "unknown container field(s) "
              + c.getAdditionalProperties().keySet().stream().sorted().toList());
    }
    return c;
  }

  private static UpdatePolicy update(SchemaReader r, Map<String, Object> u) {
    if (u == null) {
      return UpdatePolicy.DEFAULT;
    }
    String path = "spec.update";
    r.rejectUnknown(u, path, UPDATE_FIELDS);
    String strategy = r.string(u, path, "strategy", false);
    if (strategy != null && !strategy.equals("RollingUpdate") && !strategy.equals("OnDelete")) {
      r.error(path + ".strategy", "must be RollingUpdate or OnDelete, found '" + strategy + "'");
    }
    String maxUnavailable = r.string(u, path, "maxUnavailable", false);
    if (maxUnavailable != null && maxUnavailable.matches("\\d{11,}%?")) {
      r.error(
          path + ".maxUnavailable",
          "must be at most "
              + (maxUnavailable.endsWith("%") ? "100%" : Integer.MAX_VALUE)
              + ", found '"
              + maxUnavailable
              + "'");
      maxUnavailable = null;
    } else if (maxUnavailable != null && !maxUnavailable.matches("\\d{1,10}%?")) {
      r.error(
          path + ".maxUnavailable",
          "must be a count or a percentage, found '" + maxUnavailable + "'");
      maxUnavailable = null;
    } else if (maxUnavailable != null) {
      boolean percent = maxUnavailable.endsWith("%");
      long n =
          Long.parseLong(
              percent ? maxUnavailable.substring(0, maxUnavailable.length() - 1) : maxUnavailable);
      if (percent ? n > 100 : n > Integer.MAX_VALUE) {
        r.error(
            path + ".maxUnavailable",
            (percent ? "must be at most 100%" : "must be at most " + Integer.MAX_VALUE)
                + ", found '"
                + maxUnavailable
                + "'");
        maxUnavailable = null;
      }
    }
    Long partitionValue = r.longValue(u, path, "partition", 0, Integer.MAX_VALUE);
    Integer partition = partitionValue == null ? null : partitionValue.intValue();
    Boolean paused = r.bool(u, path, "paused");
    LabelSelector canary = typed(r, u.get("canary"), path + ".canary", LabelSelector.class);
    checkSelector(r, canary, path + ".canary");
    Duration minWaveInterval = r.duration(u, path, "minWaveInterval", "30m, 1h or 2d");
    String onFailure = r.string(u, path, "onFailure", false);
    if (onFailure != null
        && !onFailure.equals(UpdatePolicy.HOLD)
        && !onFailure.equals(UpdatePolicy.ROLLBACK)) {
      r.error(path + ".onFailure", "must be hold or rollback, found '" + onFailure + "'");
    }
    Long stopAfter = r.longValue(u, path, "stopAfterWaves", 1, 1_000_000);
    return new UpdatePolicy(
        strategy == null ? "RollingUpdate" : strategy,
        maxUnavailable == null ? "25%" : maxUnavailable,
        partition == null ? 0 : partition,
        paused != null && paused,
        canary,
        minWaveInterval,
        UpdateSchema.gate(r, r.map(u, path, "gate", false), path + ".gate"),
        onFailure,
        UpdateSchema.perGroup(r, r.map(u, path, "perGroup", false), path + ".perGroup"),
        stopAfter == null ? 0 : stopAfter.intValue(),
        UpdateSchema.windows(r, u, path));
  }

  /** The API server's rules for a LabelSelector: keys, values and operators. */
  private static void checkSelector(SchemaReader r, LabelSelector selector, String path) {
    if (selector == null) {
      return;
    }
    if (selector.getMatchLabels() != null) {
      selector
          .getMatchLabels()
          .forEach(
              (k, v) -> {
                String keyProblem = KubernetesNames.labelKeyProblem(k);
                if (keyProblem != null) {
                  r.error(path + ".matchLabels." + k, keyProblem);
                } else if (KubernetesNames.labelValueProblem(v) != null) {
                  r.error(path + ".matchLabels." + k, KubernetesNames.labelValueProblem(v));
                }
              });
    }
    if (selector.getMatchExpressions() == null) {
      return;
    }
    for (int i = 0; i < selector.getMatchExpressions().size(); i++) {
      var e = selector.getMatchExpressions().get(i);
      String op = e.getOperator();
      String at = path + ".matchExpressions[" + i + "]";
      List<String> values = e.getValues() == null ? List.of() : e.getValues();
      if (op == null || !Set.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
        r.error(at + ".operator", "must be In, NotIn, Exists or DoesNotExist, found '" + op + "'");
      } else if ((op.equals("In") || op.equals("NotIn")) && values.isEmpty()) {
        r.error(at + ".values", "must not be empty for " + op);
      } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && !values.isEmpty()) {
        r.error(at + ".values", "must be empty for " + op + ", found " + values);
      }
      for (int j = 0; j < values.size(); j++) {
        String problem = KubernetesNames.labelValueProblem(values.get(j));
        if (problem != null) {
          r.error(at + ".values[" + j + "]", problem);
        }
      }
      if (e.getKey() == null) {
        r.error(at + ".key", "is required");
      } else if (KubernetesNames.labelKeyProblem(e.getKey()) != null) {
        r.error(at + ".key", KubernetesNames.labelKeyProblem(e.getKey()));
      }
    }
  }

  /** Names of containers to start after or before: container names, never the sidecar itself. */
  private static void edges(SchemaReader r, String path, List<String> names, String self) {
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      String problem = KubernetesNames.dnsLabelProblem(n);
      if (problem != null) {
        r.error(path + "[" + i + "]", problem);
      } else if (n.equals(self)) {
        r.error(
            path + "[" + i + "]",
            "'"
                + n
                + "' is the sidecar itself: a container cannot start "
                + (path.endsWith(".after") ? "after" : "before")
                + " itself");
      }
    }
  }

  /** Port names and numbers as the API server checks them; names unique in the container. */
  private static void ports(SchemaReader r, Container c, String path) {
    if (c.getPorts() == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.getPorts().size(); i++) {
      ContainerPort p = c.getPorts().get(i);
      String at = path + ".ports[" + i + "]";
      if (p == null) {
        r.error(at, "must be a mapping");
        continue;
      }
      if (p.getName() != null) {
        String problem = KubernetesNames.portNameProblem(p.getName());
        if (problem != null) {
          r.error(at + ".name", problem);
        } else if (!names.add(p.getName())) {
          r.error(at + ".name", "port name '" + p.getName() + "' is used twice in this container");
        }
      }
      if (p.getContainerPort() == null) {
        r.error(at + ".containerPort", "is required");
      } else if (!KubernetesNames.isPortNumber(p.getContainerPort())) {
        r.error(at + ".containerPort", "must be from 1 to 65535, found " + p.getContainerPort());
      }
      if (p.getHostPort() != null
          && p.getHostPort() != 0
          && !KubernetesNames.isPortNumber(p.getHostPort())) {
        r.error(at + ".hostPort", "must be from 1 to 65535, found " + p.getHostPort());
      }
      if (p.getProtocol() != null && !Set.of("TCP", "UDP", "SCTP").contains(p.getProtocol())) {
        r.error(at + ".protocol", "must be TCP, UDP or SCTP, found '" + p.getProtocol() + "'");
      }
    }
  }

  /** A probe's port: a number from 1 to 65535, or a port name. */
  private static void probePorts(SchemaReader r, Probe probe, String path) {
    if (probe == null) {
      return;
    }
    if (probe.getHttpGet() != null) {
      port(r, probe.getHttpGet().getPort(), path + ".httpGet.port");
    }
    if (probe.getTcpSocket() != null) {
      port(r, probe.getTcpSocket().getPort(), path + ".tcpSocket.port");
    }
    if (probe.getGrpc() != null
        && probe.getGrpc().getPort() != null
        && !KubernetesNames.isPortNumber(probe.getGrpc().getPort())) {
      r.error(path + ".grpc.port", "must be from 1 to 65535, found " + probe.getGrpc().getPort());
    }
  }

  private static void port(SchemaReader r, IntOrString port, String path) {
    if (port == null) {
      r.error(path, "is required");
    } else if (port.getIntVal() != null) {
      if (!KubernetesNames.isPortNumber(port.getIntVal())) {
        r.error(path, "must be from 1 to 65535, found " + port.getIntVal());
      }
    } else if (port.getStrVal() != null && !port.getStrVal().matches("\\d+")) {
      String problem = KubernetesNames.portNameProblem(port.getStrVal());
      if (problem != null) {
        r.error(path, problem);
      }
    } else if (port.getStrVal() != null
        && (port.getStrVal().length() > 5
            || !KubernetesNames.isPortNumber(Long.parseLong(port.getStrVal())))) {
      r.error(path, "must be from 1 to 65535, found " + port.getStrVal());
    }
  }

  private static void unique(SchemaReader r, Set<String> names, String name, String path) {
    if (!names.add(name)) {
      r.error(path, "container '" + name + "' is injected twice by this policy");
    }
  }

  /** Reads a corev1 value through the fabric8 model, so type errors are caught at load time. */
  private static <T> T typed(SchemaReader r, Object value, String path, Class<T> type) {
    if (value == null) {
      return null;
    }
    try {
      return MAPPER.convertValue(PlainScalar.asKubernetesReadsIt(value), type);
    } catch (RuntimeException e) {
      String message =
          e.getMessage() == null
              ? "unreadable"
              : e.getMessage()
                  .lines()
                  .findFirst()
                  .orElse("")
                  // Users write YAML, not Java: `io.fabric8...IntOrString` reads IntOrString.
                  .replaceAll("`?(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)`?", "$1");
      r.error(path, "is not a valid " + type.getSimpleName() + ": " + message);
      return null;
    }
  }
}

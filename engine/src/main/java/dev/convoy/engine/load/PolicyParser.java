package dev.convoy.engine.load;

import dev.convoy.engine.input.InputError;
import dev.convoy.engine.model.PolicyInitContainer;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.Position;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.UpdatePolicy;
import dev.convoy.engine.model.WorkloadKind;
import dev.convoy.engine.yaml.CanonicalJson;
import dev.convoy.engine.yaml.YamlDocument;
import io.fabric8.kubernetes.api.model.Container;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns SidecarPolicy documents into {@link SidecarPolicy} values, reporting every schema error.
 */
public final class PolicyParser {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h|d)");

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
          "waitForApp");
  private static final Set<String> UPDATE_FIELDS =
      Set.of("strategy", "maxUnavailable", "partition", "paused", "canary", "minWaveInterval");

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
    } else if (!DNS_LABEL.matcher(name).matches()) {
      r.error(
          "metadata.name",
          "'" + name + "' is not a valid name (lowercase letters, digits and '-')");
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
    if (sidecars.isEmpty() && inits.isEmpty() && spec.get("sidecars") == null) {
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
    Map<String, Object> ready = r.map(s, path, "ready", false);
    if (ready != null) {
      typed(r, ready, path + ".ready", Probe.class);
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
        timeout == null ? PolicySidecar.DEFAULT_READY_TIMEOUT_SECONDS : timeout,
        waitForApp);
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
    if (!DNS_LABEL.matcher(c.getName()).matches()) {
      r.error(path + ".name", "'" + c.getName() + "' is not a valid container name");
    }
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
    if (maxUnavailable != null && !maxUnavailable.matches("\\d+%?")) {
      r.error(
          path + ".maxUnavailable",
          "must be a count or a percentage, found '" + maxUnavailable + "'");
    }
    Integer partition = r.integer(u, path, "partition");
    Boolean paused = r.bool(u, path, "paused");
    LabelSelector canary = typed(r, u.get("canary"), path + ".canary", LabelSelector.class);
    String interval = r.string(u, path, "minWaveInterval", false);
    Duration minWaveInterval = Duration.ZERO;
    if (interval != null) {
      Matcher m = DURATION.matcher(interval);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        minWaveInterval =
            switch (m.group(2)) {
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
      } else {
        r.error(
            path + ".minWaveInterval",
            "must be a duration like 30m, 1h or 2d, found '" + interval + "'");
      }
    }
    return new UpdatePolicy(
        strategy == null ? "RollingUpdate" : strategy,
        maxUnavailable == null ? "25%" : maxUnavailable,
        partition == null ? 0 : partition,
        paused != null && paused,
        canary,
        minWaveInterval);
  }

  private static void checkSelector(SchemaReader r, LabelSelector selector, String path) {
    if (selector == null || selector.getMatchExpressions() == null) {
      return;
    }
    for (int i = 0; i < selector.getMatchExpressions().size(); i++) {
      var e = selector.getMatchExpressions().get(i);
      String op = e.getOperator();
      String at = path + ".matchExpressions[" + i + "]";
      if (op == null || !Set.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
        r.error(at + ".operator", "must be In, NotIn, Exists or DoesNotExist, found '" + op + "'");
      } else if ((op.equals("In") || op.equals("NotIn"))
          && (e.getValues() == null || e.getValues().isEmpty())) {
        r.error(at + ".values", "must not be empty for " + op);
      }
      if (e.getKey() == null) {
        r.error(at + ".key", "is required");
      }
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
      return MAPPER.convertValue(value, type);
    } catch (RuntimeException e) {
      String message =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      r.error(path, "is not a valid " + type.getSimpleName() + ": " + message);
      return null;
    }
  }
}

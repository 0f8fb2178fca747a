package dev.convoy.engine.check;

import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.model.KubernetesNames;
import dev.convoy.engine.model.PolicyInitContainer;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.ServicePorts;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.model.Workload;
import dev.convoy.engine.yaml.PlainScalar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the API server would refuse, or what would break traffic, in a pod Convoy writes: container
 * and port names of the workload itself, and the ports an injection adds. Violation codes:
 *
 * <ul>
 *   <li>{@code invalid-name}: a container name that is not a DNS-1123 label of at most 63
 *       characters, or a port name that is not an IANA service name of at most 15.
 *   <li>{@code invalid-port}: a container port outside 1..65535.
 *   <li>{@code port-clash}: an injected container's port has the name or the number (and protocol)
 *       of a port of the workload's own containers, or the number of another injected one (both
 *       cannot bind it).
 *   <li>{@code port-capture}: an injected container names a port that a Service selecting the pod
 *       targets by name: where the sidecar comes first (legacy and universal modes) it would take
 *       that Service's traffic.
 *   <li>{@code host-port-clash} (a warning): injected containers of two pods on {@code hostNetwork}
 *       bind the same port, so they cannot run on the same node.
 * </ul>
 */
public final class FindPodProblems {
  private FindPodProblems() {}

  /** One port of one container. */
  private record Port(
      String container, String policy, String name, Object number, String protocol) {
    String numberText() {
      return number + "/" + protocol;
    }
  }

  /**
   * The problems of one workload's pod with the policies applied to it ({@code applied} may be
   * empty: the workload's own names are checked either way); {@code services} are those of the
   * workload's namespace.
   */
  public static List<Violation> in(
      String id,
      Workload w,
      Map<String, Object> template,
      List<SidecarPolicy> applied,
      List<ServicePorts> services) {
    List<Violation> out = new ArrayList<>();
    Map<String, Object> spec = Trees.map(template, "spec");
    List<Port> own = new ArrayList<>();
    for (String list : List.of("initContainers", "containers")) {
      for (Map<String, Object> c : Trees.mapList(spec, list)) {
        String name = Trees.string(c, "name");
        String problem = name == null ? null : KubernetesNames.dnsLabelProblem(name);
        if (problem != null) {
          out.add(
              Violation.error(
                  "invalid-name",
                  "container name " + problem + " (the API server refuses the pod)",
                  id,
                  null,
                  w.file(),
                  w.line()));
        }
        own.addAll(ports(c, name, null, id, w, out));
      }
    }
    List<Port> injected = new ArrayList<>();
    Map<String, String[]> where = new HashMap<>(); // policy/container -> file, line
    for (SidecarPolicy p : applied) {
      for (PolicySidecar s : p.sidecars()) {
        injected.addAll(ports(s.container(), s.name(), p.name(), id, w, null));
        where.put(p.name() + "/" + s.name(), new String[] {p.file(), String.valueOf(s.line())});
      }
      for (PolicyInitContainer c : p.initContainers()) {
        injected.addAll(ports(c.container(), c.name(), p.name(), id, w, null));
        where.put(p.name() + "/" + c.name(), new String[] {p.file(), String.valueOf(c.line())});
      }
    }
    if (injected.isEmpty()) {
      return out;
    }
    Map<String, String> labels = Trees.stringMap(Trees.map(template, "metadata"), "labels");
    List<Port> seen = new ArrayList<>(own);
    for (Port p : injected) {
      String[] at = where.get(p.policy + "/" + p.container);
      String clash = clash(p, seen);
      if (clash != null) {
        out.add(Violation.error("port-clash", clash, id, p.policy, at[0], Integer.parseInt(at[1])));
      } else if (p.name != null) {
        // The port name first: few Services target a given name, and selects() reads labels.
        for (ServicePorts s : services) {
          if (s.targetPortNames().contains(p.name) && s.selects(w.effectiveNamespace(), labels)) {
            out.add(
                Violation.error(
                    "port-capture",
                    "injected container '"
                        + p.container
                        + "' names a port '"
                        + p.name
                        + "', which Service "
                        + s.namespace()
                        + "/"
                        + s.name()
                        + " ("
                        + s.file()
                        + ":"
                        + s.line()
                        + ") targets by name: with the sidecar first in the pod (legacy and"
                        + " universal modes) it would take that Service's traffic; rename the"
                        + " sidecar's port",
                    id,
                    p.policy,
                    at[0],
                    Integer.parseInt(at[1])));
            break;
          }
        }
      }
      seen.add(p);
    }
    return out;
  }

  private static String clash(Port p, List<Port> seen) {
    for (Port other : seen) {
      String owner =
          other.policy == null
              ? "container '" + other.container + "' of the workload"
              : "container '" + other.container + "' (policy " + other.policy + ")";
      // Names must be unique against the workload's own ports (the API server reads a Service's
      // targetPort by name from there); two sidecars binding one number fail at run time.
      if (other.policy == null && p.name != null && p.name.equals(other.name)) {
        return "injected container '"
            + p.container
            + "' names a port '"
            + p.name
            + "', as "
            + owner
            + " does: port names must be unique in a pod, and a Service's targetPort would pick"
            + " either";
      }
      if (p.number != null && p.numberText().equals(other.numberText())) {
        return "injected container '"
            + p.container
            + "' uses port "
            + p.numberText()
            + ", as "
            + owner
            + " does: the second one cannot bind it";
      }
    }
    return null;
  }

  /**
   * The ports of a container; for the workload's own ({@code problems} not null), invalid names and
   * numbers are reported there.
   */
  private static List<Port> ports(
      Map<String, Object> c,
      String container,
      String policy,
      String id,
      Workload w,
      List<Violation> problems) {
    List<Port> out = new ArrayList<>();
    for (Map<String, Object> p : Trees.mapList(c, "ports")) {
      Object nameValue = p.get("name");
      String name = nameValue == null ? null : String.valueOf(nameValue);
      Object number = p.get("containerPort");
      String protocol = p.get("protocol") instanceof String s ? s : "TCP";
      if (problems != null) {
        String problem = name == null ? null : KubernetesNames.portNameProblem(name);
        if (problem != null) {
          problems.add(
              Violation.error(
                  "invalid-name",
                  "container '" + container + "': port name " + problem,
                  id,
                  null,
                  w.file(),
                  w.line()));
        }
        if (number != null && !(number instanceof Integer n && KubernetesNames.isPortNumber(n))) {
          problems.add(
              Violation.error(
                  "invalid-port",
                  "container '"
                      + container
                      + "': containerPort must be a number from 1 to 65535, found '"
                      + number
                      + "'",
                  id,
                  null,
                  w.file(),
                  w.line()));
        }
      }
      out.add(new Port(container, policy, name, PlainScalar.asKubernetesReadsIt(number), protocol));
    }
    return out;
  }

  /**
   * Warnings for the pods on {@code hostNetwork} of one target whose injected containers bind the
   * same port: their containerPort is a port of the node, and two such pods never share a node.
   *
   * @param applied the policies applied to each workload, by workload
   * @param ids each workload's id in this target
   */
  public static List<Violation> hostPortClashes(
      List<Workload> workloads,
      Function<Workload, List<SidecarPolicy>> applied,
      Function<Workload, String> ids) {
    Map<String, String> firstByPort = new LinkedHashMap<>();
    List<Violation> out = new ArrayList<>();
    for (Workload w : workloads) {
      Map<String, Object> spec = w.podSpec();
      if (spec == null || !Boolean.TRUE.equals(spec.get("hostNetwork"))) {
        continue;
      }
      for (SidecarPolicy p : applied.apply(w)) {
        List<Map<String, Object>> containers = new ArrayList<>();
        p.sidecars().forEach(s -> containers.add(s.container()));
        p.initContainers().forEach(c -> containers.add(c.container()));
        for (Map<String, Object> c : containers) {
          for (Port port : ports(c, Trees.string(c, "name"), p.name(), null, w, null)) {
            if (port.number == null) {
              continue;
            }
            String first = firstByPort.putIfAbsent(port.numberText(), w.ref());
            if (first != null && !first.equals(w.ref())) {
              out.add(
                  Violation.warning(
                      "host-port-clash",
                      "injected container '"
                          + port.container
                          + "' binds node port "
                          + port.numberText()
                          + " on hostNetwork, as the one injected into "
                          + first
                          + " does: the two pods cannot run on the same node",
                      ids.apply(w),
                      p.name(),
                      w.file(),
                      w.line()));
            }
          }
        }
      }
    }
    return out;
  }
}

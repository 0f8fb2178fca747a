package dev.convoy.engine;

import dev.convoy.engine.decide.Injection;
import dev.convoy.engine.facts.Role;
import dev.convoy.engine.model.PolicyInitContainer;
import dev.convoy.engine.model.PolicySidecar;
import dev.convoy.engine.model.SidecarPolicy;
import dev.convoy.engine.model.Trees;
import dev.convoy.engine.order.PodContainer;
import dev.convoy.engine.upgrade.Revisions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A pod's own containers plus what the decided injections add, highest priority policy first: the
 * nodes {@code StartOrder} sorts.
 *
 * @param containers the pod's init containers (its native sidecars as pre sidecars) and app
 *     containers in source order, then the injected ones
 * @param revisions applied policy name to revision, sorted by name
 * @param names the injected containers' names
 * @param sidecars the policy sidecar behind each injected pre or post container, by name
 * @param volumes the policies' volumes, to merge by name
 * @param policies the applied policy revisions, highest priority first
 */
record InjectedContainers(
    List<PodContainer> containers,
    SortedMap<String, String> revisions,
    Set<String> names,
    Map<String, PolicySidecar> sidecars,
    List<Map<String, Object>> volumes,
    List<SidecarPolicy> policies) {

  static InjectedContainers of(
      Map<String, Object> spec, List<Injection> decided, Revisions revisions) {
    List<PodContainer> containers = new ArrayList<>();
    List<Map<String, Object>> inits = Trees.mapList(spec, "initContainers");
    for (int i = 0; i < inits.size(); i++) {
      Map<String, Object> c = inits.get(i);
      String name = Trees.string(c, "name");
      // A native sidecar the source already has is a pre sidecar; its startupProbe its gate.
      containers.add(
          nativeSidecar(c)
              ? new PodContainer(name, Role.PRE, i, null, 0, c, Trees.map(c, "startupProbe"))
              : new PodContainer(name, Role.INIT, i, null, 0, c, null));
    }
    List<Map<String, Object>> apps = Trees.mapList(spec, "containers");
    for (int i = 0; i < apps.size(); i++) {
      String name = Trees.string(apps.get(i), "name");
      containers.add(new PodContainer(name, Role.APP, i, null, 0, apps.get(i), null));
    }
    List<SidecarPolicy> applied =
        decided.stream()
            .map(i -> revisions.at(i.policy(), i.revision()))
            .sorted(
                Comparator.comparingInt(SidecarPolicy::priority)
                    .reversed()
                    .thenComparing(SidecarPolicy::name))
            .toList();
    InjectedContainers out =
        new InjectedContainers(
            containers,
            new TreeMap<>(),
            new LinkedHashSet<>(),
            new HashMap<>(),
            new ArrayList<>(),
            applied);
    decided.forEach(i -> out.revisions.put(i.policy(), i.revision()));
    for (SidecarPolicy p : applied) {
      for (PolicyInitContainer c : p.initContainers()) {
        containers.add(
            new PodContainer(c.name(), Role.INIT, -1, p.name(), p.priority(), c.container(), null));
        out.names.add(c.name());
      }
      for (PolicySidecar s : p.sidecars()) {
        Role role = Role.of(s.position());
        containers.add(
            new PodContainer(s.name(), role, -1, p.name(), p.priority(), s.container(), s.ready()));
        out.names.add(s.name());
        out.sidecars.put(s.name(), s);
      }
      out.volumes.addAll(p.volumes());
    }
    return out;
  }

  /**
   * Whether an {@code initContainers} entry is a native sidecar ({@code restartPolicy: Always}).
   */
  static boolean nativeSidecar(Map<String, Object> initContainer) {
    return "Always".equals(Trees.string(initContainer, "restartPolicy"));
  }

  /** Names of the policy volumes the pod does not already have (its own volume of a name wins). */
  Set<String> volumesNotIn(Map<String, Object> spec) {
    Set<String> own = new java.util.HashSet<>();
    Trees.mapList(spec, "volumes").forEach(v -> own.add(Trees.string(v, "name")));
    Set<String> out = new java.util.TreeSet<>();
    for (Map<String, Object> v : volumes) {
      if (!own.contains(Trees.string(v, "name"))) {
        out.add(Trees.string(v, "name"));
      }
    }
    return out;
  }
}

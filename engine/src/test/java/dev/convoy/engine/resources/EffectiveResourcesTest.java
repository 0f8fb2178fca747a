package dev.convoy.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

class EffectiveResourcesTest {

  /**
   * Requests, KEP-753 formula. Containers are written {@code cpu/memory}; init containers marked
   * {@code S} are native sidecars ({@code restartPolicy: Always}), the others regular.
   */
  @ParameterizedTest(name = "[{index}] init [{0}] app [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # init containers, in order           | app containers        | effective requests
          -                                     | 100m/64Mi, 150m/128Mi | cpu: 250m, memory: 192Mi
          S 100m/64Mi                           | 250m/128Mi            | cpu: 350m, memory: 192Mi
          2/1Gi                                 | 500m/256Mi            | cpu: 2, memory: 1Gi
          1/64Mi                                | 500m/256Mi            | cpu: 1, memory: 256Mi
          # a sidecar before a regular init container runs alongside it ...
          S 500m/128Mi, 1/512Mi                 | 200m/64Mi             | cpu: 1500m, memory: 640Mi
          # ... a sidecar after it does not
          1/512Mi, S 500m/128Mi                 | 200m/64Mi             | cpu: 1, memory: 512Mi
          S 100m/0, 1/0, S 300m/0, 800m/0       | 100m/0                | cpu: 1200m, memory: 0
          S 2/0, S 1/0                          | 100m/0                | cpu: 3100m, memory: 0
          # steady state wins when the sidecars plus the apps need more than any init phase
          S 1/1Gi, 500m/512Mi                   | 1/1Gi                 | cpu: 2, memory: 2Gi
          """)
  void computesRequestsLikeKubernetes(String init, String app, String expected) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("initContainers", containers(init));
    spec.put("containers", containers(app));

    assertThat(EffectiveResources.of(spec).requests()).hasToString(expected);
  }

  @Test
  void seedExampleWithoutResourcesHasNone() {
    // seed 001: a Deployment with a logshipper native sidecar; neither container declares resources
    EffectiveResources resources =
        of(
            """
            containers:
              - name: myapp
                image: alpine:latest
                command: ['sh', '-c', 'while true; do echo "logging" >> /opt/logs.txt; sleep 1; done']
            initContainers:
              - name: logshipper
                image: alpine:latest
                restartPolicy: Always
                command: ['sh', '-c', 'tail -F /opt/logs.txt']
            """);

    assertThat(resources.requests()).isEqualTo(ResourceFigures.NONE);
    assertThat(resources.limits()).isEqualTo(ResourceFigures.NONE);
    assertThat(resources).hasToString("requests {none}, limits {none}");
  }

  @Test
  void seedExampleWithResourcesCountsTheSidecarInTheSteadyState() {
    EffectiveResources resources =
        of(
            """
            containers:
              - name: myapp
                resources: {requests: {cpu: 250m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}
            initContainers:
              - name: logshipper
                restartPolicy: Always
                resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 64Mi}}
            """);

    assertThat(resources)
        .hasToString("requests {cpu: 350m, memory: 192Mi}, limits {cpu: 700m, memory: 320Mi}");
  }

  @Test
  void addsOverheadToRequestsAndToLimitsThatAreSet() {
    EffectiveResources resources =
        of(
            """
            overhead: {cpu: 250m, memory: 120Mi, ephemeral-storage: 1Gi}
            containers:
              - name: app
                resources: {requests: {cpu: 100m, memory: 8Mi}, limits: {memory: 136Mi}}
            """);

    assertThat(resources.requests())
        .hasToString("cpu: 350m, memory: 128Mi, ephemeral-storage: 1Gi");
    // No container sets a cpu or ephemeral-storage limit: overhead does not create one.
    assertThat(resources.limits()).hasToString("memory: 256Mi");
  }

  @Test
  void anAppContainerWithoutALimitLeavesCpuAndMemoryUnbounded() {
    EffectiveResources resources =
        of(
            """
            initContainers:
              - name: proxy
                restartPolicy: Always
                resources: {limits: {cpu: "1", memory: 256Mi}}
            containers:
              - name: app
                resources: {limits: {cpu: "2"}}
              - name: worker
                resources: {limits: {cpu: 500m, memory: 0}}
            """);

    assertThat(resources.limits().cpu())
        .isEqualTo(ResourceFigure.of(ResourceQuantity.parse("3500m")));
    assertThat(resources.limits().memory()).isEqualTo(ResourceFigure.UNBOUNDED);
    assertThat(resources.limits()).hasToString("cpu: 3500m, memory: unbounded");
  }

  @Test
  void onlyInitContainersDeclaringALimitIsStillUnbounded() {
    EffectiveResources resources =
        of(
            """
            initContainers:
              - name: migrate
                resources: {limits: {memory: 1Gi}}
            containers:
              - name: app
            """);

    assertThat(resources.limits().memory()).isEqualTo(ResourceFigure.UNBOUNDED);
  }

  @Test
  void aRegularInitContainerWithoutALimitRunsUnderThePodCap() {
    EffectiveResources resources =
        of(
            """
            initContainers:
              - name: setup
                resources: {requests: {memory: 2Gi}}
            containers:
              - name: app
                resources: {limits: {memory: 512Mi}}
            """);

    assertThat(resources.requests()).hasToString("memory: 2Gi");
    assertThat(resources.limits()).hasToString("memory: 512Mi");
  }

  @Test
  void ephemeralStorageLimitIsTheSumOfDeclaredLimits() {
    // The kubelet evicts on the sum of declared ephemeral-storage limits; there is no cgroup.
    EffectiveResources resources =
        of(
            """
            containers:
              - name: app
                resources: {limits: {ephemeral-storage: 1Gi}}
              - name: cache
            """);

    assertThat(resources.limits()).hasToString("ephemeral-storage: 1Gi");
  }

  @Test
  void limitsUseTheSameInitPhaseFormula() {
    EffectiveResources resources =
        of(
            """
            initContainers:
              - {name: proxy, restartPolicy: Always, resources: {limits: {cpu: 500m, memory: 128Mi}}}
              - {name: migrate, resources: {limits: {cpu: "2", memory: 1Gi}}}
            containers:
              - {name: app, resources: {limits: {cpu: "1", memory: 256Mi}}}
            """);

    assertThat(resources.limits()).hasToString("cpu: 2500m, memory: 1152Mi");
  }

  @Test
  void podLevelResourcesReplaceCpuAndMemory() {
    EffectiveResources resources =
        of(
            """
            resources: {requests: {cpu: "1"}, limits: {memory: 1Gi}}
            overhead: {cpu: 100m}
            containers:
              - name: app
                resources: {requests: {cpu: 200m, memory: 64Mi, ephemeral-storage: 1Gi}}
            """);

    assertThat(resources.requests())
        .hasToString("cpu: 1100m, memory: 64Mi, ephemeral-storage: 1Gi");
    assertThat(resources.limits()).hasToString("memory: 1Gi");
  }

  @Test
  void acceptsYamlNumbersAndIgnoresOtherResources() {
    EffectiveResources resources =
        of(
            """
            containers:
              - name: app
                resources: {requests: {cpu: 0.5, memory: 1e3, nvidia.com/gpu: 1}, limits: {cpu: 1}}
            """);

    assertThat(resources.requests()).hasToString("cpu: 500m, memory: 1k");
    assertThat(resources.limits()).hasToString("cpu: 1");
  }

  @Test
  void fabric8PodSpecGivesTheSameResultAsTheMap() {
    PodSpec spec =
        new PodSpecBuilder()
            .addToOverhead("cpu", new Quantity("50m"))
            .addNewInitContainer()
            .withName("proxy")
            .withRestartPolicy("Always")
            .withNewResources()
            .addToRequests("cpu", new Quantity("100m"))
            .addToRequests("memory", new Quantity("64", "Mi"))
            .endResources()
            .endInitContainer()
            .addToContainers(
                new ContainerBuilder()
                    .withName("app")
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("0.25"))
                    .addToRequests("memory", new Quantity("128Mi"))
                    .addToLimits("memory", new Quantity("256Mi"))
                    .endResources()
                    .build())
            .build();

    assertThat(EffectiveResources.of(spec))
        .isEqualTo(
            of(
                """
                overhead: {cpu: 50m}
                initContainers:
                  - {name: proxy, restartPolicy: Always, resources: {requests: {cpu: 100m, memory: 64Mi}}}
                containers:
                  - {name: app, resources: {requests: {cpu: 250m, memory: 128Mi}, limits: {memory: 256Mi}}}
                """))
        .hasToString("requests {cpu: 400m, memory: 192Mi}, limits {memory: 256Mi}");
  }

  @Test
  void namesTheContainerAndFieldOfAnInvalidQuantity() {
    assertThatThrownBy(
            () ->
                of(
                    """
                    containers:
                      - name: app
                        resources: {requests: {cpu: 10x}}
                    """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("containers[0] (app): resources.requests.cpu: invalid quantity '10x'");
  }

  @Test
  void reportsTheChangeInjectionMakes() {
    Map<String, Object> before =
        yaml(
            """
            containers:
              - {name: app, resources: {requests: {cpu: 250m, memory: 128Mi}, limits: {memory: 256Mi}}}
            """);
    Map<String, Object> after =
        yaml(
            """
            initContainers:
              - {name: proxy, restartPolicy: Always, resources: {requests: {cpu: 100m, memory: 64Mi}}}
            containers:
              - {name: app, resources: {requests: {cpu: 250m, memory: 128Mi}, limits: {memory: 256Mi}}}
            """);

    ResourceChange change = ResourceChange.of(before, after);

    assertThat(change.changed()).isTrue();
    assertThat(change).hasToString("requests cpu 250m -> 350m, memory 128Mi -> 192Mi");
    assertThat(ResourceChange.of(before, before).changed()).isFalse();
    assertThat(ResourceChange.of(before, before)).hasToString("unchanged");
  }

  @Test
  void doesNotModifyItsInput() {
    Map<String, Object> spec =
        yaml(
            """
            overhead: {cpu: 10m}
            initContainers: [{name: proxy, restartPolicy: Always, resources: {requests: {cpu: 100m}}}]
            containers: [{name: app, resources: {requests: {cpu: 1}}}]
            """);
    String before = spec.toString();

    EffectiveResources.of(spec);

    assertThat(spec).hasToString(before);
  }

  private static EffectiveResources of(String podSpecYaml) {
    return EffectiveResources.of(yaml(podSpecYaml));
  }

  private static Map<String, Object> yaml(String text) {
    return new Yaml().load(text);
  }

  /**
   * {@code "S 100m/64Mi, 1/512Mi"}: comma-separated {@code cpu/memory} requests, {@code S} marking
   * a sidecar.
   */
  private static List<Map<String, Object>> containers(String table) {
    List<Map<String, Object>> result = new ArrayList<>();
    if (table == null) {
      return result;
    }
    int i = 0;
    for (String entry : table.split(",")) {
      String text = entry.trim();
      Map<String, Object> container = new LinkedHashMap<>();
      container.put("name", "c" + i++);
      if (text.startsWith("S ")) {
        container.put("restartPolicy", "Always");
        text = text.substring(2).trim();
      }
      String[] cpuMemory = text.split("/");
      container.put(
          "resources", Map.of("requests", Map.of("cpu", cpuMemory[0], "memory", cpuMemory[1])));
      result.add(container);
    }
    return result;
  }
}

package dev.convoy.engine.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convoy.engine.kubelet.KubeletModel.Nodes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class KubeletModelTest {

  @Test
  void nativeSidecarWithStartupProbeIsReadyBeforeTheNextContainerStarts() {
    Map<String, Object> pod =
        yaml(
            """
            initContainers:
              - name: cert-init
                command: [sh, -c, fetch-certs]
              - name: proxy
                restartPolicy: Always
                startupProbe: {httpGet: {path: /ready, port: 15021}}
              - name: migrate
            containers:
              - name: app
              - name: metrics
            """);

    StartTrace trace = KubeletModel.start(pod);

    assertThat(trace.completed()).isTrue();
    assertThat(trace.startOrder())
        .containsExactly("cert-init", "proxy", "migrate", "app", "metrics");
    assertThat(trace)
        .hasToString(
            "cert-init started, cert-init completed, proxy started, proxy ready, migrate started,"
                + " migrate completed, app started, metrics started");
    assertThat(trace.readyBefore("proxy", "migrate")).isTrue();
    assertThat(trace.readyBefore("proxy", "app")).isTrue();
    assertThat(trace.readyBefore("cert-init", "proxy")).isTrue();
    assertThat(trace.startedBefore("app", "metrics")).isTrue();
    assertThat(trace.startedBefore("app", "proxy")).isFalse();
  }

  @Test
  void legacySidecarWithBlockingPostStartHoldsTheAppBack() {
    Map<String, Object> pod =
        yaml(
            """
            containers:
              - name: proxy
                lifecycle:
                  postStart:
                    exec:
                      command:
                        - sh
                        - -c
                        - until wget -qO- http://127.0.0.1:15021/ready; do sleep 1; done; touch /convoy/run/proxy.ready
              - name: app
            """);

    StartTrace trace = KubeletModel.start(pod);

    assertThat(trace).hasToString("proxy started, proxy ready, app started");
    assertThat(trace.readyBefore("proxy", "app")).isTrue();
  }

  @Test
  void legacySidecarWithoutAReadyMarkerIsOnlyStartedFirst() {
    // Without a blocking hook the kubelet starts app right after proxy's process: not a ready gate.
    StartTrace trace = KubeletModel.start(yaml("containers: [{name: proxy}, {name: app}]"));

    assertThat(trace.startedBefore("proxy", "app")).isTrue();
    assertThat(trace.readyBefore("proxy", "app")).isFalse();
  }

  @Test
  void aHookWaitingOnAContainerThatStartsLaterStalls() {
    Map<String, Object> pod =
        yaml(
            """
            containers:
              - name: app
                lifecycle:
                  postStart:
                    exec: {command: [sh, -c, 'until [ -f /convoy/run/proxy.ready ]; do sleep 1; done']}
              - name: proxy
                command: [sh, -c, 'touch /convoy/run/proxy.ready; exec envoy']
              - name: metrics
            """);

    StartTrace trace = KubeletModel.start(pod);

    assertThat(trace.completed()).isFalse();
    assertThat(trace.stall())
        .hasValue(
            new Stall("app", "postStart", List.of("/convoy/run/proxy.ready"), List.of("proxy")));
    assertThat(trace.started("proxy")).isFalse();
    assertThat(trace.started("metrics")).isFalse();
    assertThat(trace)
        .hasToString(
            "app started; STALLED: app postStart waits for /convoy/run/proxy.ready; not started: proxy");
  }

  @Test
  void aHookWaitingOnAContainerStartedEarlierCompletes() {
    Map<String, Object> pod =
        yaml(
            """
            containers:
              - name: proxy
                command: [sh, -c, 'touch /convoy/run/proxy.ready; exec envoy']
              - name: app
                lifecycle:
                  postStart:
                    exec: {command: [sh, -c, 'test -f /convoy/run/proxy.ready']}
            """);

    StartTrace trace = KubeletModel.start(pod);

    assertThat(trace).hasToString("proxy started, proxy ready, app started");
  }

  @Test
  void aNativeSidecarStartupProbeWaitingOnALaterContainerStalls() {
    Map<String, Object> pod =
        yaml(
            """
            initContainers:
              - name: proxy
                restartPolicy: Always
                startupProbe: {exec: {command: [test, -f, /convoy/run/app.ready]}}
            containers:
              - name: app
            """);

    assertThat(KubeletModel.start(pod).stall())
        .hasValueSatisfying(s -> assertThat(s.step()).isEqualTo("startupProbe"));
  }

  @Test
  void nativeSidecarsStopAfterTheAppsInReverseOrder() {
    Map<String, Object> pod =
        yaml(
            """
            initContainers:
              - {name: proxy, restartPolicy: Always}
              - {name: setup}
              - {name: log-shipper, restartPolicy: Always}
            containers:
              - {name: app}
              - {name: worker}
            """);

    StopTrace trace = KubeletModel.stop(pod);

    assertThat(trace).hasToString("app@0, worker@0, log-shipper@1, proxy@2");
    assertThat(trace.stoppedAfter("log-shipper", "app")).isTrue();
    assertThat(trace.stoppedAfter("proxy", "log-shipper")).isTrue();
    // app and worker are stopped concurrently: neither is after the other
    assertThat(trace.stoppedAfter("app", "worker")).isFalse();
    assertThat(trace.stoppedAfter("worker", "app")).isFalse();
    assertThat(trace.exit("setup")).isEmpty();
    assertThat(trace.graceExpired()).isFalse();
  }

  @Test
  void legacySidecarPreStopWaitsForTheAppsExitMarker() {
    // seed 000's pattern under the convention: the app's TERM trap writes its marker
    Map<String, Object> pod =
        yaml(
            """
            containers:
              - name: proxy
                lifecycle:
                  preStop:
                    exec: {command: [sh, -c, 'until [ -f /convoy/run/app.exited ]; do sleep 1; done']}
              - name: app
                command: [sh, -c, 'trap "touch /convoy/run/app.exited" TERM; run-app & wait']
            """);

    StopTrace trace = KubeletModel.stop(pod);

    assertThat(trace).hasToString("app@0, proxy@1");
    assertThat(trace.stoppedAfter("proxy", "app")).isTrue();
  }

  @Test
  void aPreStopWaitingForAMarkerNobodyWritesIsCutByTheGracePeriod() {
    Map<String, Object> pod =
        yaml(
            """
            terminationGracePeriodSeconds: 10
            initContainers:
              - {name: proxy, restartPolicy: Always}
            containers:
              - name: log-flusher
                lifecycle:
                  preStop:
                    exec: {command: [sh, -c, 'until [ -f /convoy/run/app.exited ]; do sleep 1; done']}
              - name: app
                command: [run-app]
            """);

    StopTrace trace = KubeletModel.stop(pod);

    assertThat(trace.graceExpired()).isTrue();
    assertThat(trace.gracePeriodSeconds()).isEqualTo(10);
    assertThat(trace.killed()).containsExactly("log-flusher", "proxy");
    assertThat(trace)
        .hasToString(
            "app@0, log-flusher@1 killed (waiting for /convoy/run/app.exited), proxy@2 killed (grace period over)");
  }

  @Test
  void aKilledContainerWritesNoExitMarker() {
    Map<String, Object> pod =
        yaml(
            """
            terminationGracePeriodSeconds: 0
            containers:
              - name: proxy
                lifecycle:
                  preStop:
                    exec: {command: [sh, -c, 'until [ -f /convoy/run/app.exited ]; do sleep 1; done']}
              - name: app
                command: [sh, -c, 'trap "touch /convoy/run/app.exited" TERM; run-app & wait']
            """);

    StopTrace trace = KubeletModel.stop(pod);

    assertThat(trace.killed()).containsExactly("proxy", "app");
    assertThat(trace.stoppedAfter("proxy", "app")).isFalse();
  }

  @Test
  void stoppingAPodThatNeverStartsIsAnError() {
    Map<String, Object> pod =
        yaml(
            """
            initContainers:
              - {name: wait-db, command: [sh, -c, 'until [ -f /convoy/run/db.ready ]; do sleep 1; done']}
            containers: [{name: db}]
            """);

    assertThat(KubeletModel.start(pod).stall())
        .hasValueSatisfying(s -> assertThat(s.notStarted()).containsExactly("db"));
    assertThatThrownBy(() -> KubeletModel.stop(pod))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("wait-db command waits for /convoy/run/db.ready");
  }

  @Test
  void queriesRejectUnknownContainers() {
    StartTrace trace = KubeletModel.start(yaml("containers: [{name: app}]"));

    assertThatThrownBy(() -> trace.startedBefore("app", "ap"))
        .hasMessageContaining("no container ap");
  }

  // ---- restarts and failures (the wrapper convention of ShellScripts, written out small) ----

  private static final String APP =
      """
      - name: app
        command:
          - /bin/sh
          - -c
          - |-
            rm -f /convoy/run/app.done
            : >/convoy/run/app.running
            "$@" &
            p=$!
            while kill -0 $p 2>/dev/null; do
              echo $((b = b + 1)) >/convoy/run/app.beat
              sleep 1 & wait $!
            done
            wait $p
            st=$?
            rm -f /convoy/run/app.running
            [ "$st" -ne 0 ] || : >/convoy/run/app.done
            exit $st
          - convoy-wrap
          - /app
      """;

  private static final String PROXY_WATCHING_APP =
      """
      - name: proxy
        command:
          - /bin/sh
          - -c
          - |-
            finished() {
              f=0
              ended app 0 || f=1
              return $f
            }
            : >/convoy/run/proxy.running
            "$@" &
            p=$!
            while kill -0 $p 2>/dev/null; do
              if finished; then
                kill -TERM $p
                exit 0
              fi
              sleep 1 & wait $!
            done
          - convoy-wrap
          - envoy
        lifecycle:
          preStop:
            exec:
              command:
                - /bin/sh
                - -c
                - |-
                  end=$(($(date +%s) + 28))
                  while [ -f /convoy/run/app.running ]; do
                    if [ "$(date +%s)" -ge "$end" ]; then exit 0; fi
                    sleep 1
                  done
      """;

  @Test
  void aRestartedAppStillHoldsThePreStopOfTheProxy() {
    KubeletModel pod =
        KubeletModel.of(
            yaml("containers:\n" + indent(PROXY_WATCHING_APP + APP)), Nodes.NO_NATIVE_SIDECARS);
    assertThat(pod.start().completed()).isTrue();

    pod.exit("app", 1);

    assertThat(pod.runs("app")).isEqualTo(2);
    assertThat(pod.exists(Marker.Event.RUNNING, "app")).isTrue();
    StopTrace stop = pod.delete();
    assertThat(stop).hasToString("app@0, proxy@1");
    assertThat(stop.timedOut()).isEmpty();
  }

  @Test
  void onFailureRetriesTheAppInPlaceWhileTheSidecarWaitsForItsSuccess() {
    // Under OnFailure the watch is for the app's .done, written only when it exits 0.
    String proxy =
        PROXY_WATCHING_APP.replace("ended app 0 || f=1", "[ -f /convoy/run/app.done ] || f=1");
    KubeletModel pod =
        KubeletModel.of(
            yaml("restartPolicy: OnFailure\ncontainers:\n" + indent(proxy + APP)),
            Nodes.NO_NATIVE_SIDECARS);
    pod.start();

    pod.exit("app", 1);
    assertThat(pod.phase("proxy")).isEqualTo(KubeletModel.Phase.RUNNING);
    assertThat(pod.runs("app")).isEqualTo(2);

    pod.exit("app", 0);
    assertThat(pod.running()).isEmpty();
    assertThat(pod.runs("proxy")).isEqualTo(1);
  }

  @Test
  void aGroupOomKillUnderNeverEndsTheSidecarThroughTheHeartbeat() {
    KubeletModel pod =
        KubeletModel.of(
            yaml("restartPolicy: Never\ncontainers:\n" + indent(PROXY_WATCHING_APP + APP)),
            Nodes.NO_NATIVE_SIDECARS);
    pod.start();

    pod.oomKill("app");

    assertThat(pod.exists(Marker.Event.DONE, "app")).isFalse();
    assertThat(pod.running()).isEmpty();
  }

  @Test
  void aNativeCopyWithoutStartupProbeRestartsInALoopAndWithOneStartsOnce() {
    String copy =
        """
        initContainers:
          - name: agent
            restartPolicy: Always
            command:
              - /bin/sh
              - -c
              - |-
                if [ -f /convoy/run/agent.legacy ]; then exit 0; fi
                if [ -f /convoy/run/agent.probe ]; then
                  : >/convoy/run/agent.native
                  exec "$@"
                fi
                : >/convoy/run/agent.probe
                exit 0
              - convoy-handshake
              - /agent
        %s
        containers:
          - name: agent-legacy
            command:
              - /bin/sh
              - -c
              - |-
                if [ -f /convoy/run/agent.native ]; then
                  while :; do sleep 3600 & wait $!; done
                fi
                : >/convoy/run/agent.legacy
                "$@" &
                p=$!
                wait $p
              - convoy-wrap
              - /agent
          - {name: app}
        """;
    KubeletModel without = KubeletModel.of(yaml(copy.formatted("")), Nodes.NATIVE_SIDECARS);
    without.start();
    assertThat(without.phase("agent-legacy")).isEqualTo(KubeletModel.Phase.RUNNING);
    assertThat(without.runs("agent")).isGreaterThan(2);

    KubeletModel with =
        KubeletModel.of(
            yaml(
                copy.formatted(
                    "    startupProbe: {exec: {command: [/bin/sh, -c, '[ -f /convoy/run/agent.native ]']}}")),
            Nodes.NATIVE_SIDECARS);
    assertThat(with.start().readyBefore("agent", "agent-legacy")).isTrue();
    assertThat(with.runs("agent")).isEqualTo(2);
    assertThat(with.phase("agent-legacy")).isEqualTo(KubeletModel.Phase.IDLE);
  }

  @Test
  void aBoundedPreStopWaitingForAMarkerNobodyRemovesGivesUp() {
    KubeletModel pod =
        KubeletModel.of(
            yaml(
                """
                restartPolicy: Never
                containers:
                  - name: proxy
                    lifecycle:
                      preStop:
                        exec:
                          command:
                            - /bin/sh
                            - -c
                            - |-
                              end=$(($(date +%s) + 8))
                              while [ -f /convoy/run/app.running ]; do sleep 1; done
                  - name: app
                    command:
                      - /bin/sh
                      - -c
                      - |-
                        : >/convoy/run/app.running
                        "$@" &
                        p=$!
                        wait $p
                      - convoy-wrap
                      - /app
                """),
            Nodes.NO_NATIVE_SIDECARS);
    pod.start();
    pod.oomKill("app");
    StopTrace stop = pod.delete();
    // The OOM kill left app.running behind: the preStop waits out its bound, then the kubelet
    // stops the proxy (the grace period is not needed).
    assertThat(stop.timedOut()).containsExactly("proxy");
    assertThat(stop.graceExpired()).isFalse();
  }

  private static String indent(String text) {
    return text.indent(2);
  }

  private static Map<String, Object> yaml(String text) {
    return new Yaml().load(text);
  }
}

/*
 * Convoy benchmark: generates a realistic, seeded, reproducible Convoy config repo.
 *
 *   java samples/bench/GenerateRepo.java --workloads N --policies P --seed S --out DIR
 *        [--violations K] [--custom-rules true|false] [--force]
 *
 * Single file, JDK 17 only, no build. The same arguments always produce byte-identical output
 * (one java.util.Random drives every choice, iteration orders are fixed, no timestamps, LF line
 * endings, UTF-8). See samples/bench/README.md for what the repo contains.
 */

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

public class GenerateRepo {

  // ---------------------------------------------------------------- vocabulary

  static final String[] NAMESPACES = {
    "payments",
    "billing",
    "checkout",
    "cart",
    "catalog",
    "search",
    "inventory",
    "pricing",
    "shipping",
    "orders",
    "accounts",
    "identity",
    "auth",
    "notifications",
    "email",
    "sms",
    "recommendations",
    "reviews",
    "media",
    "edge",
    "analytics",
    "reporting",
    "ml-serving",
    "feature-store",
    "ingest",
    "etl",
    "warehouse",
    "crm",
    "support",
    "chat",
    "loyalty",
    "promotions",
    "ads",
    "fraud",
    "risk",
    "ledger",
    "invoicing",
    "tax",
    "partners",
    "marketplace",
    "sellers",
    "logistics",
    "returns",
    "gateway",
    "platform-tools",
    "observability",
    "ci-runners",
    "batch",
    "backoffice",
    "admin"
  };

  static final String[] TEAMS = {
    "commerce", "fintech", "growth", "platform", "data", "identity",
    "fulfilment", "marketing", "ml", "support", "risk", "core"
  };

  /** Namespaces allowed for the vault policy (its `namespaces` allow-list). */
  static final String[] VAULT_NAMESPACES = {
    "payments",
    "billing",
    "ledger",
    "invoicing",
    "tax",
    "fraud",
    "risk",
    "accounts",
    "identity",
    "auth"
  };

  static final String[] PREFIXES = {
    "orders",
    "cart",
    "checkout",
    "catalog",
    "search",
    "inventory",
    "pricing",
    "quote",
    "invoice",
    "ledger",
    "user",
    "profile",
    "session",
    "token",
    "notify",
    "mailer",
    "sms",
    "recs",
    "review",
    "media",
    "thumb",
    "upload",
    "events",
    "metrics",
    "report",
    "ingest",
    "stream",
    "export",
    "import",
    "audit",
    "fraud",
    "score",
    "rules",
    "tax",
    "refund",
    "return",
    "ship",
    "track",
    "label",
    "partner",
    "seller",
    "offer",
    "promo",
    "coupon",
    "loyalty",
    "points",
    "chat",
    "ticket",
    "crm",
    "admin"
  };

  static final String[] DEPLOYMENT_SUFFIXES = {
    "api",
    "api",
    "service",
    "service",
    "worker",
    "consumer",
    "web",
    "frontend",
    "gateway",
    "backend",
    "grpc"
  };
  static final String[] STATEFULSET_SUFFIXES = {
    "db", "cache", "redis", "postgres", "queue", "store", "kafka", "zk"
  };
  static final String[] DAEMONSET_SUFFIXES = {
    "node-agent", "node-exporter", "log-collector", "csi-node"
  };
  static final String[] JOB_SUFFIXES = {"migrate", "backfill", "reindex", "import", "seed"};
  static final String[] CRONJOB_SUFFIXES = {
    "cleanup", "report", "sync", "rotate", "compact", "digest"
  };
  static final String[] POD_SUFFIXES = {"debug", "toolbox", "smoke-test"};

  static final String[] CRON_SCHEDULES = {
    "*/5 * * * *",
    "*/15 * * * *",
    "0 * * * *",
    "30 2 * * *",
    "0 3 * * *",
    "0 4 * * 0",
    "15 */6 * * *"
  };

  // ---------------------------------------------------------------- model

  static final class Ns {
    final String name;
    final String team;
    final Map<String, String> labels = new LinkedHashMap<>();
    final Set<String> usedNames = new HashSet<>();

    Ns(String name, String team) {
      this.name = name;
      this.team = team;
    }

    boolean meshEnabled() {
      return "enabled".equals(labels.get("mesh"));
    }
  }

  static final class Container {
    String name;
    String image;
    List<String> command; // null: image default
    List<String> args;
    List<String[]> ports = new ArrayList<>(); // {name, port}
    List<String[]> env = new ArrayList<>(); // {name, kind, a, b}: kind value|field|cm
    String cpuReq, memReq, cpuLim, memLim;
    String readiness; // "http:/healthz:http" | "tcp:port" | "grpc:port" | null
    String liveness;
    String startup;
    boolean hardened;
    List<String[]> mounts = new ArrayList<>(); // {name, path, readOnly}
  }

  static final class Workload {
    int index;
    String kind;
    Ns ns;
    String app;
    String tier;
    String file;
    int line; // 1-based line where the workload document starts
    int replicas;
    Map<String, String> podLabels = new LinkedHashMap<>();
    Map<String, String> objectAnnotations = new LinkedHashMap<>();
    Map<String, String> templateAnnotations = new LinkedHashMap<>();
    List<Container> inits = new ArrayList<>();
    List<Container> apps = new ArrayList<>();
    boolean configMap;
    boolean serviceAccount;
    String restartPolicy = "Always";
    String schedule;
    int httpPort;
    String violation; // null or the violation code planted here
    String violationDetail;

    String ref() {
      return kind + "/" + ns.name + "/" + app;
    }

    boolean hasLabel(String k, String v) {
      return v.equals(podLabels.get(k));
    }
  }

  static final class Policy {
    String name;
    String file;
    String text;
  }

  // ---------------------------------------------------------------- arguments

  int workloads = 1000;
  int policies = 8;
  long seed = 42;
  int violations = 3;
  boolean customRules = true;
  boolean force;
  Path out;

  Random rnd;
  final List<Ns> namespaces = new ArrayList<>();
  final List<Workload> all = new ArrayList<>();
  final List<Policy> policyDocs = new ArrayList<>();
  final List<String> expected = new ArrayList<>();
  final Map<String, byte[]> files = new TreeMap<>(); // relative path -> content, written at the end

  public static void main(String[] argv) throws IOException {
    GenerateRepo g = new GenerateRepo();
    try {
      g.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("GenerateRepo: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
    g.run();
  }

  static final String USAGE =
      """
      usage: java samples/bench/GenerateRepo.java --out DIR [--workloads N] [--policies P] [--seed S]
                                                  [--violations K] [--custom-rules true|false] [--force]
        --workloads N      pod-bearing workloads to generate (default 1000)
        --policies P       SidecarPolicy documents (default 8; the first 6 are the fixed catalogue)
        --seed S           random seed (default 42); same arguments => byte-identical output
        --violations K     deliberate violations to plant (default 3); listed in expected-violations.tsv
        --custom-rules B   write rules/*.drl (default true); --no-custom-rules is the same as false
        --force            empty DIR first if it is not empty""";

  void parse(String[] a) {
    for (int i = 0; i < a.length; i++) {
      String k = a[i];
      switch (k) {
        case "--workloads" -> workloads = Integer.parseInt(value(a, ++i, k));
        case "--policies" -> policies = Integer.parseInt(value(a, ++i, k));
        case "--seed" -> seed = Long.parseLong(value(a, ++i, k));
        case "--violations" -> violations = Integer.parseInt(value(a, ++i, k));
        case "--custom-rules" -> customRules = Boolean.parseBoolean(value(a, ++i, k));
        case "--no-custom-rules" -> customRules = false;
        case "--out" -> out = Path.of(value(a, ++i, k));
        case "--force" -> force = true;
        case "-h", "--help" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown argument " + k);
      }
    }
    if (out == null) throw new IllegalArgumentException("--out DIR is required");
    if (workloads < 1) throw new IllegalArgumentException("--workloads must be >= 1");
    if (policies < 1) throw new IllegalArgumentException("--policies must be >= 1");
    if (violations < 0) throw new IllegalArgumentException("--violations must be >= 0");
  }

  static String value(String[] a, int i, String k) {
    if (i >= a.length) throw new IllegalArgumentException(k + " needs a value");
    return a[i];
  }

  // ---------------------------------------------------------------- main flow

  void run() throws IOException {
    rnd = new Random(seed);
    makeNamespaces();
    for (int i = 0; i < workloads; i++) all.add(makeWorkload(i));
    addStartOrderAndExcludes();
    List<Workload> victims = plantViolations();
    makePolicies(victims);
    writeConvoyYaml();
    writeNamespaces();
    writeManifests();
    writePolicies();
    if (customRules) writeRules();
    writeExpected();
    writeSummary();
    flush();
  }

  // ---------------------------------------------------------------- namespaces

  void makeNamespaces() {
    Set<String> vault = Set.of(VAULT_NAMESPACES);
    for (int i = 0; i < NAMESPACES.length; i++) {
      Ns ns = new Ns(NAMESPACES[i], TEAMS[(i * 7 + rnd.nextInt(3)) % TEAMS.length]);
      ns.labels.put("kubernetes.io/metadata.name", ns.name);
      ns.labels.put("team", ns.team);
      ns.labels.put("env", "prod");
      // 45 of 50 namespaces are in the mesh; the rest opt out at namespace level.
      ns.labels.put("mesh", i % 10 == 7 ? "disabled" : "enabled");
      if (rnd.nextInt(100) < 60) ns.labels.put("monitoring", "otel");
      if (vault.contains(ns.name)) ns.labels.put("compliance", "pci");
      if (ns.name.equals("observability")
          || ns.name.equals("platform-tools")
          || ns.name.equals("ci-runners")) {
        ns.labels.put("tier", "system");
      }
      namespaces.add(ns);
    }
  }

  Ns pickNamespace() {
    // Skewed like real clusters: the first namespaces hold more workloads than the last.
    int total = 0;
    for (int i = 0; i < namespaces.size(); i++) total += weight(i);
    int r = rnd.nextInt(total);
    for (int i = 0; i < namespaces.size(); i++) {
      r -= weight(i);
      if (r < 0) return namespaces.get(i);
    }
    return namespaces.get(namespaces.size() - 1);
  }

  static int weight(int i) {
    return 70 - i;
  }

  // ---------------------------------------------------------------- workloads

  Workload makeWorkload(int index) {
    Workload w = new Workload();
    w.index = index;
    int r = rnd.nextInt(100);
    w.kind =
        r < 74
            ? "Deployment"
            : r < 84
                ? "StatefulSet"
                : r < 88 ? "DaemonSet" : r < 93 ? "Job" : r < 98 ? "CronJob" : "Pod";
    w.ns = pickNamespace();
    String[] suffixes =
        switch (w.kind) {
          case "Deployment" -> DEPLOYMENT_SUFFIXES;
          case "StatefulSet" -> STATEFULSET_SUFFIXES;
          case "DaemonSet" -> DAEMONSET_SUFFIXES;
          case "Job" -> JOB_SUFFIXES;
          case "CronJob" -> CRONJOB_SUFFIXES;
          default -> POD_SUFFIXES;
        };
    String base = pick(PREFIXES) + "-" + pick(suffixes);
    String name = base;
    for (int n = 2; !w.ns.usedNames.add(name); n++) name = base + "-" + n;
    w.app = name;
    w.file = "manifests/" + w.ns.name + "/" + w.app + ".yaml";
    w.tier =
        switch (w.kind) {
          case "Deployment" ->
              name.contains("web") || name.contains("frontend") || name.contains("gateway")
                  ? "frontend"
                  : "backend";
          case "StatefulSet" -> "data";
          case "DaemonSet" -> "system";
          case "Job", "CronJob" -> "batch";
          default -> chance(50) ? "backend" : "system";
        };
    if ("system".equals(w.ns.labels.get("tier"))) w.tier = "system";
    w.replicas =
        switch (w.kind) {
          case "Deployment" -> 1 + rnd.nextInt(6);
          case "StatefulSet" -> 1 + 2 * rnd.nextInt(3);
          default -> 1;
        };
    w.httpPort = chance(70) ? 8080 : chance(50) ? 3000 : 9000;

    Map<String, String> l = w.podLabels;
    l.put("app", w.app);
    l.put("app.kubernetes.io/name", w.app);
    l.put("app.kubernetes.io/part-of", w.ns.name);
    l.put("team", w.ns.team);
    l.put("tier", w.tier);
    l.put("version", "v" + (1 + rnd.nextInt(4)));
    boolean meshable = !w.tier.equals("system");
    if (meshable && chance(76)) l.put("mesh", "enabled");
    if (chance(60)) l.put("logging", "enabled");
    if ((w.tier.equals("backend") || w.tier.equals("batch")) && chance(22))
      l.put("db", chance(60) ? "postgres" : "mysql");
    if (chance(18)) l.put("secrets", "vault");
    if ((w.kind.equals("Job") || w.kind.equals("CronJob")) && chance(50))
      l.put("reporting", "enabled");
    if (w.kind.equals("Deployment") && chance(5)) l.put("canary", "true");
    if (chance(8)) l.put("observability", "custom");

    w.configMap = !w.kind.equals("Pod") && chance(35);
    w.serviceAccount = chance(60);
    if (w.kind.equals("Job") || w.kind.equals("CronJob"))
      w.restartPolicy = chance(70) ? "OnFailure" : "Never";
    if (w.kind.equals("Pod")) w.restartPolicy = w.app.endsWith("smoke-test") ? "Never" : "Always";
    if (w.kind.equals("CronJob")) w.schedule = pick(CRON_SCHEDULES);

    if (chance(40)) w.objectAnnotations.put("owner", w.ns.team + "@example.com");
    if (chance(25))
      w.objectAnnotations.put("docs", "https://wiki.example.com/" + w.ns.name + "/" + w.app);
    if (!w.tier.equals("batch") && chance(55)) {
      w.templateAnnotations.put("prometheus.io/scrape", "true");
      w.templateAnnotations.put("prometheus.io/port", "9090");
    }

    // Existing init containers (~15%).
    if (chance(15)) {
      int kind = rnd.nextInt(3);
      Container c = new Container();
      if (kind == 0) {
        c.name = "wait-for-db";
        c.image = "busybox:1.36";
        c.command = List.of("sh", "-c", "until nc -z " + w.app + "-db 5432; do sleep 2; done");
        c.cpuReq = "10m";
        c.memReq = "16Mi";
        c.cpuLim = "50m";
        c.memLim = "32Mi";
      } else if (kind == 1) {
        c.name = "migrate";
        c.image = appImage(w);
        c.command = List.of("/app/migrate", "up");
        c.env.add(
            new String[] {
              "DATABASE_URL", "value", "postgres://" + w.app + "-db:5432/" + w.app.replace('-', '_')
            });
        c.cpuReq = "100m";
        c.memReq = "128Mi";
        c.cpuLim = "500m";
        c.memLim = "256Mi";
      } else {
        c.name = "fetch-config";
        c.image = "curlimages/curl:8.8.0";
        c.command =
            List.of(
                "sh",
                "-c",
                "curl -fsS http://config-server.platform-tools/" + w.app + " -o /config/app.json");
        c.cpuReq = "10m";
        c.memReq = "16Mi";
        c.cpuLim = "100m";
        c.memLim = "64Mi";
        c.mounts.add(new String[] {"config-cache", "/config", "false"});
      }
      c.hardened = chance(70);
      w.inits.add(c);
    }

    // App containers.
    Container main = new Container();
    main.name =
        switch (w.kind) {
          case "StatefulSet" ->
              w.app.endsWith("postgres") ? "postgres" : w.app.endsWith("redis") ? "redis" : w.app;
          case "Job", "CronJob" -> "task";
          default -> chance(30) ? "app" : chance(30) ? "server" : w.app;
        };
    main.image = mainImage(w);
    main.hardened = chance(80);
    boolean batch =
        w.kind.equals("Job") || w.kind.equals("CronJob") || "Never".equals(w.restartPolicy);
    if (batch) {
      main.command =
          chance(50)
              ? List.of("/app/" + w.app, "run", "--once")
              : List.of("/bin/sh", "-c", "exec /app/run.sh");
      if (chance(40))
        main.args = List.of("--batch-size=" + (100 * (1 + rnd.nextInt(10))), "--dry-run=false");
    } else if (w.kind.equals("StatefulSet")) {
      main.ports.add(
          new String[] {
            "tcp", String.valueOf(w.app.endsWith("redis") || w.app.endsWith("cache") ? 6379 : 5432)
          });
      main.readiness = "tcp:" + main.ports.get(0)[1];
      main.liveness = "tcp:" + main.ports.get(0)[1];
    } else {
      main.ports.add(new String[] {"http", String.valueOf(w.httpPort)});
      if (chance(20)) main.ports.add(new String[] {"grpc", "50051"});
      if (w.templateAnnotations.containsKey("prometheus.io/port"))
        main.ports.add(new String[] {"metrics", "9090"});
      if (chance(15)) {
        main.readiness = "grpc:50051";
        if (main.ports.stream().noneMatch(p -> p[0].equals("grpc")))
          main.ports.add(new String[] {"grpc", "50051"});
      } else {
        main.readiness = "http:/healthz:http";
      }
      main.liveness = chance(80) ? "http:/livez:http" : null;
      if (chance(20)) main.startup = "http:/healthz:http";
    }
    main.env.add(new String[] {"POD_NAME", "field", "metadata.name"});
    main.env.add(new String[] {"POD_NAMESPACE", "field", "metadata.namespace"});
    main.env.add(new String[] {"LOG_LEVEL", "value", chance(80) ? "info" : "debug"});
    if (!batch && !w.kind.equals("StatefulSet"))
      main.env.add(new String[] {"PORT", "value", String.valueOf(w.httpPort)});
    if (w.podLabels.containsKey("db")) main.env.add(new String[] {"DB_HOST", "value", "127.0.0.1"});
    if (w.configMap)
      main.env.add(new String[] {"FEATURE_FLAGS", "cm", w.app + "-config", "feature-flags"});
    if (chance(30))
      main.env.add(
          new String[] {
            "JAVA_TOOL_OPTIONS", "value", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
          });
    if (chance(25)) main.env.add(new String[] {"OTEL_SERVICE_NAME", "value", w.app});
    String[] size =
        pick(
            new String[][] {
              {"50m", "64Mi", "200m", "128Mi"},
              {"100m", "128Mi", "500m", "256Mi"},
              {"250m", "256Mi", "1", "512Mi"},
              {"500m", "512Mi", "2", "1Gi"},
              {"1", "2Gi", "2", "4Gi"}
            });
    main.cpuReq = size[0];
    main.memReq = size[1];
    main.cpuLim = chance(70) ? size[2] : null;
    main.memLim = size[3];
    if (main.hardened) main.mounts.add(new String[] {"tmp", "/tmp", "false"});
    if (w.configMap) main.mounts.add(new String[] {"config", "/etc/" + w.app, "true"});
    if (w.kind.equals("StatefulSet"))
      main.mounts.add(
          new String[] {
            "data", main.name.equals("postgres") ? "/var/lib/postgresql/data" : "/data", "false"
          });
    if (w.kind.equals("DaemonSet"))
      main.mounts.add(new String[] {"host-proc", "/host/proc", "true"});
    if (!w.inits.isEmpty() && w.inits.get(0).name.equals("fetch-config"))
      main.mounts.add(new String[] {"config-cache", "/config", "true"});
    w.apps.add(main);

    if (!batch && !w.kind.equals("DaemonSet") && chance(25)) {
      Container second = new Container();
      if (chance(60)) {
        second.name = "metrics-exporter";
        second.image = "prom/statsd-exporter:v0.26.1";
        second.ports.add(new String[] {"statsd", "9125"});
        second.readiness = "http:/metrics:9102";
        second.cpuReq = "10m";
        second.memReq = "32Mi";
        second.cpuLim = "100m";
        second.memLim = "64Mi";
      } else {
        second.name = "worker";
        second.image = appImage(w);
        second.command = List.of("/app/" + w.app, "worker");
        second.env.add(new String[] {"QUEUE", "value", w.app + "-jobs"});
        second.cpuReq = "100m";
        second.memReq = "128Mi";
        second.cpuLim = "500m";
        second.memLim = "256Mi";
      }
      second.hardened = main.hardened;
      if (second.hardened) second.mounts.add(new String[] {"tmp", "/tmp", "false"});
      w.apps.add(second);
    }
    return w;
  }

  String appImage(Workload w) {
    return "registry.example.com/"
        + w.ns.team
        + "/"
        + w.app
        + ":"
        + (1 + rnd.nextInt(3))
        + "."
        + rnd.nextInt(20)
        + "."
        + rnd.nextInt(10);
  }

  String mainImage(Workload w) {
    if (w.kind.equals("StatefulSet")) {
      if (w.app.endsWith("postgres") || w.app.endsWith("db")) return "postgres:16.3-alpine";
      if (w.app.endsWith("redis") || w.app.endsWith("cache")) return "redis:7.2.5-alpine";
      if (w.app.endsWith("kafka")) return "bitnami/kafka:3.7.0";
      if (w.app.endsWith("zk")) return "bitnami/zookeeper:3.9.2";
    }
    if (w.kind.equals("DaemonSet") && w.app.endsWith("node-exporter"))
      return "quay.io/prometheus/node-exporter:v1.8.1";
    return appImage(w);
  }

  /** True when the mesh policy of the fixed catalogue selects this workload. */
  boolean meshSelected(Workload w) {
    return w.hasLabel("mesh", "enabled")
        && !w.tier.equals("system")
        && w.ns.meshEnabled()
        && !w.kind.equals("DaemonSet")
        && !excludes(w, "mesh");
  }

  static boolean excludes(Workload w, String policy) {
    String v = w.objectAnnotations.get("convoy.dev/exclude");
    if (v == null) v = w.templateAnnotations.get("convoy.dev/exclude");
    if (v == null) return false;
    for (String s : v.split(",")) if (s.trim().equals(policy)) return true;
    return false;
  }

  void addStartOrderAndExcludes() {
    for (Workload w : all) {
      int r = rnd.nextInt(1000);
      if (r < 20) {
        // ~2%: opt out of a policy; alternately on the object and on the pod template.
        String v = r < 10 ? "mesh" : r < 16 ? "logging" : "mesh,logging";
        (r % 2 == 0 ? w.objectAnnotations : w.templateAnnotations).put("convoy.dev/exclude", v);
      } else if (r < 60 && meshSelected(w)) {
        // ~4% of meshed workloads: explicit start order that agrees with the policies.
        String app = w.apps.get(0).name;
        String v;
        if (!w.inits.isEmpty() && r < 30) v = "proxy < " + w.inits.get(0).name;
        else if (r < 45) v = "proxy < " + app;
        else v = "cert-fetcher < proxy < " + app;
        w.objectAnnotations.put("convoy.dev/start-order", v);
      } else if (r < 70) {
        // ~1%: the previous injector's opt-out, which the custom rule legacy-opt-outs.drl honours.
        w.templateAnnotations.put("sidecar.example.com/inject", "false");
      }
    }
  }

  // ---------------------------------------------------------------- violations

  static final String[] VIOLATION_CODES = {
    "unknown-container", "impossible-edge", "cycle", "name-clash", "duplicate-container"
  };

  List<Workload> plantViolations() {
    List<Workload> candidates = new ArrayList<>();
    for (Workload w : all) {
      if (w.kind.equals("Deployment")
          && meshSelected(w)
          && w.hasLabel("logging", "enabled")
          && !excludes(w, "logging")
          && !w.objectAnnotations.containsKey("convoy.dev/start-order")
          && w.apps.size() == 1
          && !w.app.contains("node")) {
        candidates.add(w);
      }
    }
    List<Workload> victims = new ArrayList<>();
    for (int k = 0; k < violations && !candidates.isEmpty(); k++) {
      Workload w = candidates.remove(rnd.nextInt(candidates.size()));
      String code = VIOLATION_CODES[k % VIOLATION_CODES.length];
      String app = w.apps.get(0).name;
      w.violation = code;
      switch (code) {
        case "unknown-container" -> {
          w.objectAnnotations.put("convoy.dev/start-order", "proxy < " + app + "-sidecar");
          w.violationDetail = "annotation edge proxy -> " + app + "-sidecar: no such container";
        }
        case "impossible-edge" -> {
          w.objectAnnotations.put("convoy.dev/start-order", app + " < proxy");
          w.violationDetail =
              "annotation edge "
                  + app
                  + " -> proxy: pre sidecar proxy cannot start after app container "
                  + app;
        }
        case "cycle" -> {
          w.objectAnnotations.put("convoy.dev/start-order", "proxy < cert-fetcher");
          w.violationDetail =
              "cycle cert-fetcher -> proxy (policy mesh: after) -> cert-fetcher (annotation)";
        }
        case "name-clash" -> {
          Container c = new Container();
          c.name = "log-shipper";
          c.image = "fluent/fluent-bit:3.0.7";
          c.cpuReq = "20m";
          c.memReq = "32Mi";
          c.cpuLim = "100m";
          c.memLim = "64Mi";
          w.apps.add(c);
          w.violationDetail =
              "app container log-shipper clashes with the sidecar of policy logging";
        }
        default ->
            w.violationDetail =
                "policies logging and "
                    + dupPolicyName(k)
                    + " both inject log-shipper with priority 50";
      }
      victims.add(w);
    }
    if (victims.size() < violations) {
      System.err.println(
          "GenerateRepo: only "
              + victims.size()
              + " of "
              + violations
              + " violations planted (not enough candidate Deployments; raise --workloads)");
    }
    return victims;
  }

  static String dupPolicyName(int k) {
    return "log-shipper-legacy"
        + (k / VIOLATION_CODES.length == 0 ? "" : "-" + (k / VIOLATION_CODES.length + 1));
  }

  // ---------------------------------------------------------------- policies

  void makePolicies(List<Workload> victims) {
    List<String> catalogue =
        List.of("mesh", "logging", "vault", "db-proxy", "otel", "job-reporter");
    for (int i = 0; i < policies; i++) {
      Policy p = new Policy();
      if (i < catalogue.size()) {
        p.name = catalogue.get(i);
        p.text =
            switch (p.name) {
              case "mesh" -> meshPolicy();
              case "logging" -> loggingPolicy();
              case "vault" -> vaultPolicy();
              case "db-proxy" -> dbProxyPolicy();
              case "otel" -> otelPolicy();
              default -> jobReporterPolicy();
            };
        p.file = "policies/" + p.name + ".yaml";
      } else {
        p = extraPolicy(i);
      }
      policyDocs.add(p);
    }
    // The duplicate-injection violations need their own policy document each.
    for (int k = 0; k < victims.size(); k++) {
      Workload w = victims.get(k);
      if (!"duplicate-container".equals(w.violation)) continue;
      Policy p = new Policy();
      p.name = dupPolicyName(k);
      p.file = "policies/legacy/" + p.name + ".yaml";
      p.text =
          header(
                  "Left over from the pre-Convoy sidecar injector; collides with the logging policy.")
              + "apiVersion: convoy.dev/v1alpha1\n"
              + "kind: SidecarPolicy\n"
              + "metadata:\n"
              + "  name: "
              + p.name
              + "\n"
              + "spec:\n"
              + "  selector:\n"
              + "    matchLabels:\n"
              + "      app: "
              + q(w.app)
              + "\n"
              + "  namespaces: ["
              + w.ns.name
              + "]\n"
              + "  priority: 50\n"
              + "  sidecars:\n"
              + "    - position: post\n"
              + "      container:\n"
              + "        name: log-shipper\n"
              + "        image: fluent/fluent-bit:2.2.3\n"
              + "        command: [\"/fluent-bit/bin/fluent-bit\"]\n"
              + "        resources:\n"
              + "          requests: {cpu: 20m, memory: 32Mi}\n";
      policyDocs.add(p);
      if (!policyDocs.stream().anyMatch(x -> x.name.equals("logging"))) {
        w.violationDetail +=
            " (but --policies < 2: logging is not generated, so this one does not fire)";
      }
    }
  }

  static String header(String text) {
    return "# " + text + "\n# Generated by samples/bench/GenerateRepo.java.\n";
  }

  String meshPolicy() {
    return header(
            "Service mesh: a native proxy sidecar, gated on its readiness, after a cert fetcher.")
        + """
        apiVersion: convoy.dev/v1alpha1
        kind: SidecarPolicy
        metadata:
          name: mesh
          annotations:
            owner: platform@example.com
        spec:
          selector:
            matchLabels:
              mesh: enabled
            matchExpressions:
              - {key: tier, operator: NotIn, values: [system]}
          namespaceSelector:
            matchExpressions:
              - {key: mesh, operator: NotIn, values: [disabled]}
          kinds: [Deployment, StatefulSet, Job, CronJob, Pod]
          priority: 100
          sidecars:
            - position: pre
              ready:
                httpGet: {path: /healthz, port: 8443}
                periodSeconds: 1
                failureThreshold: 30
              container:
                name: cert-fetcher
                image: ghcr.io/example/cert-fetcher:0.9.4
                args: ["--out=/var/run/mesh/certs", "--rotate=1h"]
                resources:
                  requests: {cpu: 10m, memory: 16Mi}
                  limits: {cpu: 50m, memory: 32Mi}
                volumeMounts:
                  - {name: mesh-certs, mountPath: /var/run/mesh/certs}
            - position: pre
              after: [cert-fetcher]
              ready:
                httpGet: {path: /ready, port: 15021}
                periodSeconds: 1
                failureThreshold: 60
              container:
                name: proxy
                image: envoyproxy/envoy:v1.31.0
                args: ["-c", "/etc/envoy/envoy.yaml", "--drain-time-s", "20"]
                ports:
                  - {name: http-envoy-prom, containerPort: 15090}
                  - {name: status, containerPort: 15021}
                resources:
                  requests: {cpu: 100m, memory: 64Mi}
                  limits: {cpu: "1", memory: 256Mi}
                securityContext:
                  runAsUser: 1337
                  runAsNonRoot: true
                  allowPrivilegeEscalation: false
                  readOnlyRootFilesystem: true
                  capabilities: {drop: [ALL]}
                volumeMounts:
                  - {name: mesh-certs, mountPath: /var/run/mesh/certs, readOnly: true}
                  - {name: envoy-config, mountPath: /etc/envoy, readOnly: true}
          initContainers:
            - name: proxy-init
              image: ghcr.io/example/proxy-init:1.31.0
              args: ["--redirect-port=15001", "--proxy-uid=1337"]
              securityContext:
                capabilities: {add: [NET_ADMIN, NET_RAW], drop: [ALL]}
              resources:
                requests: {cpu: 10m, memory: 10Mi}
                limits: {cpu: 100m, memory: 50Mi}
          volumes:
            - name: mesh-certs
              emptyDir: {medium: Memory}
            - name: envoy-config
              configMap: {name: envoy-bootstrap}
          update:
            strategy: RollingUpdate
            maxUnavailable: 10%
            partition: 0
            paused: false
            canary: {matchLabels: {canary: "true"}}
            minWaveInterval: 1h
        """;
  }

  String loggingPolicy() {
    return header("Log shipping: a fluent-bit post sidecar tailing the pod's log volume.")
        + """
        apiVersion: convoy.dev/v1alpha1
        kind: SidecarPolicy
        metadata:
          name: logging
        spec:
          selector:
            matchLabels:
              logging: enabled
          priority: 50
          sidecars:
            - position: post
              container:
                name: log-shipper
                image: fluent/fluent-bit:3.0.7
                # An explicit command lets Convoy wrap it so it exits with a Job's app containers.
                command: ["/fluent-bit/bin/fluent-bit"]
                args: ["-c", "/fluent-bit/etc/fluent-bit.conf"]
                env:
                  - name: POD_NAME
                    valueFrom: {fieldRef: {fieldPath: metadata.name}}
                resources:
                  requests: {cpu: 20m, memory: 32Mi}
                  limits: {cpu: 200m, memory: 128Mi}
                volumeMounts:
                  - {name: app-logs, mountPath: /var/log/app, readOnly: true}
          volumes:
            - name: app-logs
              emptyDir: {sizeLimit: 512Mi}
          update:
            strategy: RollingUpdate
            maxUnavailable: 25%
            minWaveInterval: 30m
        """;
  }

  String vaultPolicy() {
    return header("Secrets: a vault agent that must be ready before anything reads /vault/secrets.")
        + "apiVersion: convoy.dev/v1alpha1\n"
        + "kind: SidecarPolicy\n"
        + "metadata:\n"
        + "  name: vault\n"
        + "spec:\n"
        + "  selector:\n"
        + "    matchLabels:\n"
        + "      secrets: vault\n"
        + "  namespaces: ["
        + String.join(", ", VAULT_NAMESPACES)
        + "]\n"
        + """
          priority: 90
          sidecars:
            - position: pre
              ready:
                httpGet: {path: /agent/v1/ready, port: 8200}
                periodSeconds: 2
              container:
                name: vault-agent
                image: hashicorp/vault:1.17.2
                args: ["agent", "-config=/vault/config/agent.hcl"]
                resources:
                  requests: {cpu: 25m, memory: 64Mi}
                  limits: {cpu: 250m, memory: 128Mi}
                volumeMounts:
                  - {name: vault-secrets, mountPath: /vault/secrets}
          initContainers:
            - name: vault-agent-init
              image: hashicorp/vault:1.17.2
              args: ["agent", "-config=/vault/config/agent.hcl", "-exit-after-auth"]
              resources:
                requests: {cpu: 25m, memory: 64Mi}
              volumeMounts:
                - {name: vault-secrets, mountPath: /vault/secrets}
          volumes:
            - name: vault-secrets
              emptyDir: {medium: Memory}
          update:
            strategy: OnDelete
        """;
  }

  String dbProxyPolicy() {
    return header("Database access through a local proxy, ready before the app connects.")
        + """
        apiVersion: convoy.dev/v1alpha1
        kind: SidecarPolicy
        metadata:
          name: db-proxy
        spec:
          selector:
            matchExpressions:
              - {key: db, operator: In, values: [postgres, mysql]}
              - {key: tier, operator: NotIn, values: [data, system]}
          kinds: [Deployment, StatefulSet, Job, CronJob]
          targets: [prod]
          priority: 70
          sidecars:
            - position: pre
              ready:
                httpGet: {path: /readiness, port: 9090}
              container:
                name: cloudsql-proxy
                image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.4
                args: ["--health-check", "--http-address=0.0.0.0", "--port=5432", "example:europe-west1:main"]
                resources:
                  requests: {cpu: 50m, memory: 64Mi}
                  limits: {cpu: 500m, memory: 256Mi}
                securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false}
          update:
            strategy: RollingUpdate
            maxUnavailable: 5
            minWaveInterval: 2h
        """;
  }

  String otelPolicy() {
    return header(
            "Tracing: an OpenTelemetry agent for frontend and backend services in monitored namespaces.")
        + """
        apiVersion: convoy.dev/v1alpha1
        kind: SidecarPolicy
        metadata:
          name: otel
        spec:
          selector:
            matchExpressions:
              - {key: tier, operator: In, values: [frontend, backend]}
              - {key: observability, operator: DoesNotExist}
          namespaceSelector:
            matchLabels:
              monitoring: otel
          kinds: [Deployment, StatefulSet]
          priority: 60
          sidecars:
            - position: pre
              before: []
              container:
                name: otel-agent
                image: otel/opentelemetry-collector-contrib:0.104.0
                args: ["--config=/conf/agent.yaml"]
                ports:
                  - {name: otlp-grpc, containerPort: 4317}
                resources:
                  requests: {cpu: 20m, memory: 48Mi}
                  limits: {cpu: 200m, memory: 192Mi}
          update:
            strategy: RollingUpdate
            maxUnavailable: 20%
            canary: {matchExpressions: [{key: canary, operator: In, values: ["true"]}]}
        """;
  }

  String jobReporterPolicy() {
    return header("Batch: report the outcome of every Job run after the task finished.")
        + """
        apiVersion: convoy.dev/v1alpha1
        kind: SidecarPolicy
        metadata:
          name: job-reporter
        spec:
          selector:
            matchLabels:
              reporting: enabled
          kinds: [Job, CronJob]
          priority: 40
          sidecars:
            - position: post
              container:
                name: job-reporter
                image: ghcr.io/example/job-reporter:2.3.1
                command: ["/usr/local/bin/job-reporter"]
                env:
                  - {name: REPORT_URL, value: "http://job-reports.platform-tools/api/v1/runs"}
                resources:
                  requests: {cpu: 5m, memory: 16Mi}
                  limits: {cpu: 50m, memory: 32Mi}
          update:
            strategy: RollingUpdate
            maxUnavailable: 50%
        """;
  }

  static final String[] AGENTS = {
    "profiler",
    "secrets-sync",
    "audit",
    "dns-cache",
    "gc-monitor",
    "config-reloader",
    "waf",
    "ratelimit"
  };

  Policy extraPolicy(int i) {
    String agent = AGENTS[(i - 6) % AGENTS.length];
    String team = TEAMS[(i - 6) % TEAMS.length];
    Policy p = new Policy();
    p.name = String.format(Locale.ROOT, "%s-%s-%02d", team, agent, i);
    p.file = "policies/teams/" + team + "/" + p.name + ".yaml";
    String container = String.format(Locale.ROOT, "%s-%02d", agent, i);
    boolean pre = (i % 3) != 0;
    boolean nsSel = (i % 4) == 1;
    StringBuilder s = new StringBuilder();
    s.append(header("Team " + team + ": " + agent + " sidecar."));
    s.append("apiVersion: convoy.dev/v1alpha1\n");
    s.append("kind: SidecarPolicy\n");
    s.append("metadata:\n");
    s.append("  name: ").append(p.name).append('\n');
    s.append("spec:\n");
    s.append("  selector:\n");
    s.append("    matchLabels:\n");
    s.append("      team: ").append(team).append('\n');
    s.append("    matchExpressions:\n");
    s.append("      - {key: tier, operator: In, values: [")
        .append(i % 2 == 0 ? "frontend, backend" : "backend, data, batch")
        .append("]}\n");
    if (nsSel) {
      s.append("  namespaceSelector:\n");
      s.append("    matchLabels:\n");
      s.append("      env: prod\n");
    }
    s.append("  priority: ").append(200 + i).append('\n');
    s.append("  sidecars:\n");
    s.append("    - position: ").append(pre ? "pre" : "post").append('\n');
    if (pre && i % 2 == 0) {
      s.append("      ready:\n");
      s.append("        httpGet: {path: /ready, port: ").append(17000 + i).append("}\n");
    }
    s.append("      container:\n");
    s.append("        name: ").append(container).append('\n');
    s.append("        image: ghcr.io/example/")
        .append(agent)
        .append(":1.")
        .append(i % 9)
        .append(".0\n");
    // Explicit, as platform teams write them: a post sidecar in a Job needs one to be wrapped.
    s.append("        command: [\"/usr/local/bin/").append(agent).append("\"]\n");
    s.append("        ports:\n");
    s.append("          - {name: admin, containerPort: ").append(17000 + i).append("}\n");
    s.append("        resources:\n");
    s.append("          requests: {cpu: 10m, memory: 24Mi}\n");
    s.append("          limits: {cpu: 100m, memory: 64Mi}\n");
    s.append("  update:\n");
    s.append("    strategy: RollingUpdate\n");
    s.append("    maxUnavailable: 25%\n");
    p.text = s.toString();
    return p;
  }

  // ---------------------------------------------------------------- writers

  void writeConvoyYaml() {
    put(
        "convoy.yaml",
        """
        # Convoy benchmark repo, generated by samples/bench/GenerateRepo.java.
        apiVersion: convoy.dev/v1alpha1
        kind: ConvoyConfig
        sources: [manifests]
        policies: [policies]
        rules: [rules]
        targets:
          - name: prod
            kubernetesVersion: "1.31"
            sidecarMode: auto
            output: rendered/prod
        commit:
          author: {name: convoy, email: convoy@example.invalid}
          message: "convoy: {summary}"
        """);
  }

  void writeNamespaces() {
    StringBuilder s = new StringBuilder();
    s.append("# The fleet's namespaces. Policies select on these labels with namespaceSelector.\n");
    boolean first = true;
    for (Ns ns : namespaces) {
      if (!first) s.append("---\n");
      first = false;
      s.append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(ns.name).append('\n');
      s.append("  labels:\n");
      for (var e : ns.labels.entrySet())
        s.append("    ").append(e.getKey()).append(": ").append(q(e.getValue())).append('\n');
      s.append("  annotations:\n    owner: ").append(ns.team).append("@example.com\n");
    }
    put("manifests/namespaces.yaml", s.toString());
  }

  void writeManifests() {
    for (Workload w : all) {
      StringBuilder s = new StringBuilder();
      if (chance(20)) {
        s.append("# ")
            .append(w.app)
            .append(" (")
            .append(w.ns.name)
            .append(", team ")
            .append(w.ns.team)
            .append(")\n");
        s.append("# Managed in git; changes go through review.\n");
      }
      if (w.configMap) {
        configMap(s, w);
        s.append("---\n");
      }
      if (w.serviceAccount) {
        s.append("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ")
            .append(w.app)
            .append("\n  namespace: ")
            .append(w.ns.name)
            .append("\n---\n");
      }
      w.line = lines(s) + 1;
      workload(s, w);
      String svc = service(w);
      if (svc != null) s.append("---\n").append(svc);
      put(w.file, s.toString());
    }
  }

  static int lines(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '\n') n++;
    return n;
  }

  void configMap(StringBuilder s, Workload w) {
    s.append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ")
        .append(w.app)
        .append("-config\n");
    s.append("  namespace: ").append(w.ns.name).append('\n');
    s.append("  labels:\n    app: ").append(w.app).append('\n');
    s.append("data:\n");
    s.append("  feature-flags: \"")
        .append(chance(50) ? "new-checkout,fast-search" : "none")
        .append("\"\n");
    s.append("  application.yaml: |\n");
    s.append("    server:\n      port: ").append(w.httpPort).append('\n');
    s.append("    cache:\n      ttl: ").append(30 + rnd.nextInt(300)).append("s\n");
    s.append("    upstreams:\n");
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      s.append("      - http://")
          .append(pick(PREFIXES))
          .append("-api.")
          .append(namespaces.get(rnd.nextInt(namespaces.size())).name)
          .append(".svc.cluster.local\n");
    }
  }

  String service(Workload w) {
    if (w.kind.equals("Job") || w.kind.equals("CronJob") || w.kind.equals("Pod")) return null;
    if (w.kind.equals("DaemonSet") && !w.app.contains("exporter")) return null;
    StringBuilder s = new StringBuilder();
    s.append("apiVersion: v1\nkind: Service\nmetadata:\n  name: ").append(w.app).append('\n');
    s.append("  namespace: ").append(w.ns.name).append('\n');
    s.append("  labels:\n    app: ").append(w.app).append('\n');
    s.append("spec:\n");
    if (w.kind.equals("StatefulSet")) s.append("  clusterIP: None\n");
    else s.append("  type: ClusterIP\n");
    s.append("  selector:\n    app: ").append(w.app).append('\n');
    s.append("  ports:\n");
    for (String[] p : w.apps.get(0).ports) {
      int port = Integer.parseInt(p[1]);
      s.append("  - name: ").append(p[0]).append('\n');
      s.append("    port: ").append(p[0].equals("http") ? 80 : port).append('\n');
      s.append("    targetPort: ").append(p[0]).append('\n');
    }
    if (w.apps.get(0).ports.isEmpty())
      s.append("  - name: metrics\n    port: 9100\n    targetPort: 9100\n");
    return s.toString();
  }

  void workload(StringBuilder s, Workload w) {
    String api =
        switch (w.kind) {
          case "Deployment", "StatefulSet", "DaemonSet" -> "apps/v1";
          case "Job", "CronJob" -> "batch/v1";
          default -> "v1";
        };
    s.append("apiVersion: ").append(api).append('\n');
    s.append("kind: ").append(w.kind).append('\n');
    s.append("metadata:\n");
    s.append("  name: ").append(w.app).append('\n');
    s.append("  namespace: ").append(w.ns.name).append('\n');
    s.append("  labels:\n");
    s.append("    app.kubernetes.io/name: ").append(w.app).append('\n');
    s.append("    app.kubernetes.io/part-of: ").append(w.ns.name).append('\n');
    s.append("    app.kubernetes.io/managed-by: argocd\n");
    if (w.kind.equals("Pod")) {
      // A bare Pod's own labels are what policies select.
      for (var e : w.podLabels.entrySet()) {
        if (!e.getKey().startsWith("app.kubernetes.io/"))
          s.append("    ").append(e.getKey()).append(": ").append(q(e.getValue())).append('\n');
      }
    }
    Map<String, String> objAnn = new LinkedHashMap<>(w.objectAnnotations);
    if (w.kind.equals("Pod")) objAnn.putAll(w.templateAnnotations);
    annotations(s, "  ", objAnn);
    s.append("spec:\n");
    switch (w.kind) {
      case "Pod" -> podSpec(s, "  ", w);
      case "Job" -> {
        s.append("  backoffLimit: ").append(1 + rnd.nextInt(5)).append('\n');
        if (chance(60)) s.append("  ttlSecondsAfterFinished: 86400\n");
        template(s, "  ", w);
      }
      case "CronJob" -> {
        s.append("  schedule: \"").append(w.schedule).append("\"\n");
        s.append("  concurrencyPolicy: ").append(chance(70) ? "Forbid" : "Replace").append('\n');
        s.append("  successfulJobsHistoryLimit: 3\n");
        s.append("  failedJobsHistoryLimit: 1\n");
        s.append("  jobTemplate:\n");
        s.append("    spec:\n");
        s.append("      backoffLimit: ").append(1 + rnd.nextInt(3)).append('\n');
        if (chance(50))
          s.append("      activeDeadlineSeconds: ").append(600 * (1 + rnd.nextInt(6))).append('\n');
        template(s, "      ", w);
      }
      default -> {
        if (!w.kind.equals("DaemonSet")) s.append("  replicas: ").append(w.replicas).append('\n');
        if (w.kind.equals("StatefulSet")) s.append("  serviceName: ").append(w.app).append('\n');
        if (w.kind.equals("Deployment") && chance(50)) s.append("  revisionHistoryLimit: 5\n");
        s.append("  selector:\n    matchLabels:\n      app: ").append(w.app).append('\n');
        if (w.kind.equals("Deployment") && chance(40)) {
          s.append(
              "  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 25%\n      maxUnavailable: 0\n");
        }
        if (w.kind.equals("DaemonSet"))
          s.append(
              "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 1\n");
        template(s, "  ", w);
        if (w.kind.equals("StatefulSet")) {
          s.append("  volumeClaimTemplates:\n");
          s.append("  - metadata:\n      name: data\n");
          s.append(
              "    spec:\n      accessModes: [ReadWriteOnce]\n      storageClassName: standard-rwo\n");
          s.append("      resources:\n        requests:\n          storage: ")
              .append(pick(new String[] {"10Gi", "20Gi", "50Gi", "100Gi"}))
              .append('\n');
        }
      }
    }
  }

  void template(StringBuilder s, String ind, Workload w) {
    s.append(ind).append("template:\n");
    s.append(ind).append("  metadata:\n");
    s.append(ind).append("    labels:\n");
    for (var e : w.podLabels.entrySet())
      s.append(ind)
          .append("      ")
          .append(e.getKey())
          .append(": ")
          .append(q(e.getValue()))
          .append('\n');
    annotations(s, ind + "    ", w.templateAnnotations);
    s.append(ind).append("  spec:\n");
    podSpec(s, ind + "    ", w);
  }

  static void annotations(StringBuilder s, String ind, Map<String, String> a) {
    if (a.isEmpty()) return;
    s.append(ind).append("annotations:\n");
    for (var e : a.entrySet())
      s.append(ind)
          .append("  ")
          .append(e.getKey())
          .append(": ")
          .append(q(e.getValue()))
          .append('\n');
  }

  void podSpec(StringBuilder s, String ind, Workload w) {
    if (w.serviceAccount) s.append(ind).append("serviceAccountName: ").append(w.app).append('\n');
    if (!"Always".equals(w.restartPolicy) || w.kind.equals("Pod"))
      s.append(ind).append("restartPolicy: ").append(w.restartPolicy).append('\n');
    s.append(ind)
        .append("terminationGracePeriodSeconds: ")
        .append(pick(new String[] {"5", "30", "30", "60"}))
        .append('\n');
    if (w.kind.equals("DaemonSet")) {
      s.append(ind).append("hostPID: false\n");
      s.append(ind).append("tolerations:\n");
      s.append(ind).append("- operator: Exists\n");
      s.append(ind).append("  effect: NoSchedule\n");
      s.append(ind).append("nodeSelector:\n").append(ind).append("  kubernetes.io/os: linux\n");
    } else if (chance(15)) {
      s.append(ind)
          .append("nodeSelector:\n")
          .append(ind)
          .append("  cloud.google.com/gke-nodepool: ")
          .append(chance(50) ? "general" : "highmem")
          .append('\n');
    }
    if (w.apps.get(0).hardened) {
      s.append(ind).append("securityContext:\n");
      s.append(ind).append("  runAsNonRoot: true\n");
      s.append(ind).append("  runAsUser: 1000\n");
      s.append(ind).append("  runAsGroup: 1000\n");
      s.append(ind).append("  fsGroup: 1000\n");
      if (chance(50))
        s.append(ind)
            .append("  seccompProfile:\n")
            .append(ind)
            .append("    type: RuntimeDefault\n");
    }
    if (!w.inits.isEmpty()) {
      s.append(ind).append("initContainers:\n");
      for (Container c : w.inits) container(s, ind, c);
    }
    s.append(ind).append("containers:\n");
    for (Container c : w.apps) container(s, ind, c);
    // Volumes referenced by mounts, in first-use order.
    Map<String, String> vols = new LinkedHashMap<>();
    Stream.concat(w.inits.stream(), w.apps.stream())
        .flatMap(c -> c.mounts.stream())
        .forEach(m -> vols.putIfAbsent(m[0], m[0]));
    vols.remove("data"); // from volumeClaimTemplates
    if (!vols.isEmpty()) {
      s.append(ind).append("volumes:\n");
      for (String v : vols.keySet()) {
        s.append(ind).append("- name: ").append(v).append('\n');
        switch (v) {
          case "config" ->
              s.append(ind)
                  .append("  configMap:\n")
                  .append(ind)
                  .append("    name: ")
                  .append(w.app)
                  .append("-config\n");
          case "host-proc" ->
              s.append(ind).append("  hostPath:\n").append(ind).append("    path: /proc\n");
          default -> s.append(ind).append("  emptyDir: {}\n");
        }
      }
    }
  }

  static void container(StringBuilder s, String ind, Container c) {
    String i2 = ind + "  ";
    s.append(ind).append("- name: ").append(c.name).append('\n');
    s.append(i2).append("image: ").append(c.image).append('\n');
    if (c.command != null) list(s, i2, "command", c.command);
    if (c.args != null) list(s, i2, "args", c.args);
    if (!c.ports.isEmpty()) {
      s.append(i2).append("ports:\n");
      for (String[] p : c.ports) {
        s.append(i2).append("- name: ").append(p[0]).append('\n');
        s.append(i2).append("  containerPort: ").append(p[1]).append('\n');
      }
    }
    if (!c.env.isEmpty()) {
      s.append(i2).append("env:\n");
      for (String[] e : c.env) {
        s.append(i2).append("- name: ").append(e[0]).append('\n');
        switch (e[1]) {
          case "field" ->
              s.append(i2)
                  .append("  valueFrom:\n")
                  .append(i2)
                  .append("    fieldRef:\n")
                  .append(i2)
                  .append("      fieldPath: ")
                  .append(e[2])
                  .append('\n');
          case "cm" ->
              s.append(i2)
                  .append("  valueFrom:\n")
                  .append(i2)
                  .append("    configMapKeyRef:\n")
                  .append(i2)
                  .append("      name: ")
                  .append(e[2])
                  .append('\n')
                  .append(i2)
                  .append("      key: ")
                  .append(e[3])
                  .append('\n');
          default -> s.append(i2).append("  value: ").append(q(e[2])).append('\n');
        }
      }
    }
    s.append(i2).append("resources:\n");
    s.append(i2).append("  requests:\n");
    s.append(i2).append("    cpu: ").append(q(c.cpuReq)).append('\n');
    s.append(i2).append("    memory: ").append(c.memReq).append('\n');
    s.append(i2).append("  limits:\n");
    if (c.cpuLim != null) s.append(i2).append("    cpu: ").append(q(c.cpuLim)).append('\n');
    s.append(i2).append("    memory: ").append(c.memLim).append('\n');
    probe(s, i2, "startupProbe", c.startup);
    probe(s, i2, "readinessProbe", c.readiness);
    probe(s, i2, "livenessProbe", c.liveness);
    if (c.hardened) {
      s.append(i2).append("securityContext:\n");
      s.append(i2).append("  allowPrivilegeEscalation: false\n");
      s.append(i2).append("  readOnlyRootFilesystem: true\n");
      s.append(i2).append("  privileged: false\n");
      s.append(i2)
          .append("  capabilities:\n")
          .append(i2)
          .append("    drop:\n")
          .append(i2)
          .append("    - ALL\n");
    }
    if (!c.mounts.isEmpty()) {
      s.append(i2).append("volumeMounts:\n");
      for (String[] m : c.mounts) {
        s.append(i2).append("- name: ").append(m[0]).append('\n');
        s.append(i2).append("  mountPath: ").append(m[1]).append('\n');
        if (m[2].equals("true")) s.append(i2).append("  readOnly: true\n");
      }
    }
  }

  static void list(StringBuilder s, String ind, String key, List<String> items) {
    s.append(ind).append(key).append(":\n");
    for (String it : items) s.append(ind).append("- ").append(q(it)).append('\n');
  }

  static void probe(StringBuilder s, String ind, String key, String spec) {
    if (spec == null) return;
    String[] p = spec.split(":");
    s.append(ind).append(key).append(":\n");
    switch (p[0]) {
      case "http" ->
          s.append(ind)
              .append("  httpGet:\n")
              .append(ind)
              .append("    path: ")
              .append(p[1])
              .append('\n')
              .append(ind)
              .append("    port: ")
              .append(p[2])
              .append('\n');
      case "tcp" ->
          s.append(ind)
              .append("  tcpSocket:\n")
              .append(ind)
              .append("    port: ")
              .append(p[1])
              .append('\n');
      default ->
          s.append(ind)
              .append("  grpc:\n")
              .append(ind)
              .append("    port: ")
              .append(p[1])
              .append('\n');
    }
    if (key.equals("startupProbe"))
      s.append(ind).append("  failureThreshold: 30\n").append(ind).append("  periodSeconds: 2\n");
    else
      s.append(ind)
          .append("  periodSeconds: ")
          .append(key.equals("livenessProbe") ? 20 : 5)
          .append('\n');
  }

  void writePolicies() {
    for (Policy p : policyDocs) put(p.file, p.text);
  }

  // ---------------------------------------------------------------- custom rules

  /*
   * The repo's own DRL. Kept as separate files and as plain text blocks so they are easy to
   * adjust once rules/README.md documents the fact API. Today they use, from package
   * dev.convoy.engine.facts: WorkloadFact (record accessors), ContainerFact, Veto and
   * Edge.required(workload, first, then, origin, policy, file, line).
   */
  void writeRules() {
    put(
        "rules/daemonsets-no-log-shipper.drl",
        """
        // Node agents ship their own logs: never put the log shipper into a DaemonSet.
        package rules;

        import dev.convoy.engine.facts.WorkloadFact;
        import dev.convoy.engine.facts.Veto;

        rule "daemonsets: no log shipper"
        when
            $w : WorkloadFact( kind == "DaemonSet" )
        then
            insert(new Veto($w.id(), "logging", "rules/daemonsets-no-log-shipper.drl: node agents ship their own logs"));
        end
        """);
    put(
        "rules/vault-before-proxy.drl",
        """
        // In the PCI namespaces the proxy reads its certificates from vault: when a workload
        // gets both, the vault agent must be started before the proxy.
        package rules;

        import dev.convoy.engine.facts.WorkloadFact;
        import dev.convoy.engine.facts.ContainerFact;
        import dev.convoy.engine.decide.Edge;

        rule "pci: vault-agent before proxy"
        when
            $w : WorkloadFact( namespace in ("payments", "billing", "ledger"), $id : id )
            ContainerFact( workload == $id, name == "vault-agent" )
            ContainerFact( workload == $id, name == "proxy" )
        then
            insert(Edge.required($id, "vault-agent", "proxy", "rule \\"pci: vault-agent before proxy\\"", null,
                "rules/vault-before-proxy.drl", 9));
        end
        """);
    put(
        "rules/legacy-opt-outs.drl",
        """
        // Workloads that still carry the old injector's opt-out annotation, and smoke-test pods,
        // get no tracing agent.
        package rules;

        import dev.convoy.engine.facts.WorkloadFact;
        import dev.convoy.engine.facts.Veto;

        rule "legacy: sidecar.example.com/inject=false vetoes otel"
        when
            $w : WorkloadFact( annotations["sidecar.example.com/inject"] == "false" )
        then
            insert(new Veto($w.id(), "otel", "legacy annotation sidecar.example.com/inject=false"));
        end

        rule "smoke tests: no otel"
        when
            $w : WorkloadFact( kind == "Pod", name str[endsWith] "smoke-test" )
        then
            insert(new Veto($w.id(), "otel", "smoke-test pods are short-lived"));
        end
        """);
  }

  // ---------------------------------------------------------------- bookkeeping

  void writeExpected() {
    StringBuilder s = new StringBuilder("# code\tworkload\tfile\tline\tdetail\n");
    all.stream()
        .filter(w -> w.violation != null)
        .sorted(Comparator.comparing(Workload::ref))
        .forEach(
            w ->
                s.append(w.violation)
                    .append('\t')
                    .append(w.ref())
                    .append('\t')
                    .append(w.file)
                    .append('\t')
                    .append(w.line)
                    .append('\t')
                    .append(w.violationDetail)
                    .append('\n'));
    put("expected-violations.tsv", s.toString());
  }

  void writeSummary() {
    Map<String, Integer> kinds = new TreeMap<>();
    int mesh = 0,
        meshSel = 0,
        logging = 0,
        withInit = 0,
        twoApps = 0,
        cm = 0,
        startOrder = 0,
        exclude = 0;
    for (Workload w : all) {
      kinds.merge(w.kind, 1, Integer::sum);
      if (w.hasLabel("mesh", "enabled")) mesh++;
      if (meshSelected(w)) meshSel++;
      if (w.hasLabel("logging", "enabled")) logging++;
      if (!w.inits.isEmpty()) withInit++;
      if (w.apps.size() > 1) twoApps++;
      if (w.configMap) cm++;
      if (w.objectAnnotations.containsKey("convoy.dev/start-order")) startOrder++;
      if (w.objectAnnotations.containsKey("convoy.dev/exclude")
          || w.templateAnnotations.containsKey("convoy.dev/exclude")) exclude++;
    }
    long bytes = files.values().stream().mapToLong(b -> b.length).sum();
    StringBuilder s = new StringBuilder();
    s.append("# Generated benchmark repo\n\n");
    s.append("`java samples/bench/GenerateRepo.java --workloads ")
        .append(workloads)
        .append(" --policies ")
        .append(policies)
        .append(" --seed ")
        .append(seed)
        .append(" --violations ")
        .append(violations)
        .append(" --custom-rules ")
        .append(customRules)
        .append("`\n\n");
    s.append("| what | count |\n|---|---|\n");
    s.append("| workloads | ").append(workloads).append(" |\n");
    for (var e : kinds.entrySet())
      s.append("| - ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
    s.append("| namespaces | ").append(namespaces.size()).append(" |\n");
    s.append("| label mesh=enabled | ").append(mesh).append(" |\n");
    s.append("| selected by policy mesh (expected) | ").append(meshSel).append(" |\n");
    s.append("| label logging=enabled | ").append(logging).append(" |\n");
    s.append("| with existing init containers | ").append(withInit).append(" |\n");
    s.append("| with two app containers | ").append(twoApps).append(" |\n");
    s.append("| with a ConfigMap | ").append(cm).append(" |\n");
    s.append("| convoy.dev/start-order annotations | ").append(startOrder).append(" |\n");
    s.append("| convoy.dev/exclude annotations | ").append(exclude).append(" |\n");
    s.append("| SidecarPolicy documents | ").append(policyDocs.size()).append(" |\n");
    s.append("| planted violations (expected-violations.tsv) | ")
        .append(all.stream().filter(w -> w.violation != null).count())
        .append(" |\n");
    s.append("| files (without this one) | ").append(files.size()).append(" |\n");
    s.append("| bytes (without this one) | ").append(bytes).append(" |\n");
    put("GENERATED.md", s.toString());
  }

  void put(String rel, String content) {
    if (files.put(rel, content.getBytes(StandardCharsets.UTF_8)) != null) {
      throw new IllegalStateException("generated twice: " + rel);
    }
  }

  void flush() throws IOException {
    if (Files.exists(out)) {
      boolean empty;
      try (Stream<Path> l = Files.list(out)) {
        empty = l.findAny().isEmpty();
      }
      if (!empty) {
        if (!force) {
          System.err.println(
              "GenerateRepo: " + out + " is not empty (use --force to replace its contents)");
          System.exit(2);
        }
        try (Stream<Path> walk = Files.walk(out)) {
          walk.sorted(Comparator.reverseOrder())
              .filter(p -> !p.equals(out))
              .forEach(
                  p -> {
                    try {
                      Files.delete(p);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
        }
      }
    }
    Files.createDirectories(out);
    for (var e : files.entrySet()) {
      Path p = out.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    long bytes = files.values().stream().mapToLong(b -> b.length).sum();
    System.err.printf(
        Locale.ROOT,
        "GenerateRepo: %d workloads, %d policies, %d files, %d bytes -> %s%n",
        workloads,
        policyDocs.size(),
        files.size(),
        bytes,
        out);
  }

  // ---------------------------------------------------------------- helpers

  boolean chance(int percent) {
    return rnd.nextInt(100) < percent;
  }

  <T> T pick(T[] a) {
    return a[rnd.nextInt(a.length)];
  }

  static final Set<String> YAML_WORDS =
      Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null", "~");

  /** Quotes a scalar when plain YAML would read it as something other than a string. */
  static final java.util.regex.Pattern NUMBERISH =
      java.util.regex.Pattern.compile("[-+]?[0-9][0-9._eE+:-]*");

  static final java.util.regex.Pattern PLAIN =
      java.util.regex.Pattern.compile("[A-Za-z0-9/][A-Za-z0-9._/@-]*");

  static String q(String v) {
    if (v.isEmpty()
        || YAML_WORDS.contains(v.toLowerCase(Locale.ROOT))
        || NUMBERISH.matcher(v).matches()
        || !PLAIN.matcher(v).matches()) {
      return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    return v;
  }
}

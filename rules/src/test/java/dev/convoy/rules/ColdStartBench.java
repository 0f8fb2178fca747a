package dev.convoy.rules;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Cold-start measurement of {@link DroolsPolicyRules.Builder#build()}, one mode per fresh JVM
 * (rules/README.md, Performance): {@code drl} compiles the built-in DRL at run time, {@code model}
 * loads the precompiled model; with a folder, that folder's *.drl are added as custom rules. Prints
 * {@code mode custom wall_ms cpu_ms}. Not a test: run with java -cp.
 */
public final class ColdStartBench {
  private ColdStartBench() {}

  /** Prototype of a disk cache: custom packages serialized after a KnowledgeBuilder compile. */
  static void cache(String[] args) throws Exception {
    Path bin = Path.of("/tmp/rb/pkgs.bin");
    java.util.Collection<org.kie.api.definition.KiePackage> packages;
    if (args[0].equals("save")) {
      org.kie.internal.builder.KnowledgeBuilder kb =
          org.kie.internal.builder.KnowledgeBuilderFactory.newKnowledgeBuilder();
      try (Stream<Path> files = Files.list(Path.of(args[1]))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".drl")).sorted().toList()) {
          org.kie.api.io.Resource r =
              org.kie.internal.io.ResourceFactory.newByteArrayResource(Files.readAllBytes(f));
          r.setSourcePath("rules/" + f.getFileName());
          kb.add(r, org.kie.api.io.ResourceType.DRL);
        }
      }
      packages = kb.getKnowledgePackages();
      try (var out =
          new org.drools.base.common.DroolsObjectOutputStream(Files.newOutputStream(bin))) {
        out.writeObject(new java.util.ArrayList<>(packages));
      }
    } else {
      try (var in =
          new org.drools.base.common.DroolsObjectInputStream(
              Files.newInputStream(bin), ColdStartBench.class.getClassLoader())) {
        packages = (java.util.Collection<org.kie.api.definition.KiePackage>) in.readObject();
      }
    }
    org.kie.api.KieBaseConfiguration conf =
        org.kie.api.KieServices.Factory.get().newKieBaseConfiguration();
    conf.setOption(org.kie.api.conf.EqualityBehaviorOption.EQUALITY);
    java.util.Map<String, java.util.Map<String, Integer>> lines = new java.util.LinkedHashMap<>();
    builtinDrl()
        .forEach(
            (f, drl) ->
                lines.put(
                    DroolsPolicyRules.BUILTIN_PREFIX + f,
                    DroolsPolicyRules.Builder.ruleLines(drl)));
    var kieBase = BuiltinModel.load(builtinDrl()).newKieBase(conf, lines);
    kieBase.addPackages(packages);
    System.out.println(
        "rules: " + kieBase.getKiePackages().stream().mapToInt(p -> p.getRules().size()).sum());
  }

  static java.util.Map<String, byte[]> builtinDrl() throws Exception {
    java.util.Map<String, byte[]> drl = new java.util.LinkedHashMap<>();
    for (String f : DroolsPolicyRules.BUILTIN_FILES) {
      try (var in = DroolsPolicyRules.class.getResourceAsStream("builtin/" + f)) {
        drl.put(f, in.readAllBytes());
      }
    }
    return drl;
  }

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    if (args[0].equals("execmodel")) {
      // The custom DRL compiled to the executable model at run time (generate, compile, load),
      // then one KieBase from both models: what a run would pay without a DRL compiler.
      org.kie.api.KieServices services = org.kie.api.KieServices.Factory.get();
      org.kie.api.builder.KieFileSystem kfs = services.newKieFileSystem();
      try (Stream<Path> files = Files.list(Path.of(args[1]))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".drl")).sorted().toList()) {
          kfs.write("src/main/resources/rules/" + f.getFileName(), Files.readAllBytes(f));
        }
      }
      org.kie.api.builder.KieBuilder kb =
          services
              .newKieBuilder(kfs)
              .buildAll(org.drools.model.codegen.ExecutableModelProject.class);
      if (kb.getResults().hasMessages(org.kie.api.builder.Message.Level.ERROR)) {
        throw new IllegalStateException(kb.getResults().toString());
      }
      var container = services.newKieContainer(kb.getKieModule().getReleaseId());
      System.out.println(
          "rules: "
              + container.getKieBase().getKiePackages().stream()
                  .mapToInt(p -> p.getRules().size())
                  .sum());
      long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
      System.out.printf(
          "%s wall_ms=%d cpu_ms=%d%n",
          args[0], (System.nanoTime() - start) / 1_000_000, cpu / 1_000_000);
      return;
    }
    if (args[0].equals("save") || args[0].equals("cached")) {
      cache(args);
      long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
      System.out.printf(
          "%s wall_ms=%d cpu_ms=%d%n",
          args[0], (System.nanoTime() - start) / 1_000_000, cpu / 1_000_000);
      return;
    }
    DroolsPolicyRules.Builder builder = DroolsPolicyRules.builder();
    if (args[0].equals("drl")) {
      builder.compileBuiltinRulesFromDrl();
    }
    if (args.length > 1) {
      try (Stream<Path> files = Files.list(Path.of(args[1]))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".drl")).sorted().toList()) {
          builder.addRuleFile("rules/" + f.getFileName(), Files.readAllBytes(f));
        }
      }
    }
    builder.build();
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
    long wall = System.nanoTime() - start;
    System.out.printf(
        "%s %s wall_ms=%d cpu_ms=%d%n",
        args[0], args.length > 1 ? "custom" : "builtin", wall / 1_000_000, cpu / 1_000_000);
  }
}

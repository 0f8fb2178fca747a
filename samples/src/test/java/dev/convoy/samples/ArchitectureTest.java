package dev.convoy.samples;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.regex.Pattern;

/**
 * The module table and package rules of docs/architecture.md, checked against the compiled classes
 * of every module (this module's tests see them all through the cli). When a rule here and the
 * document disagree, one of them is wrong: change both in the same commit.
 */
@AnalyzeClasses(
    packages = "dev.convoy",
    importOptions = {
      ImportOption.DoNotIncludeTests.class,
      ArchitectureTest.NoTestJars.class,
      ArchitectureTest.NoGeneratedRuleModel.class
    })
class ArchitectureTest {
  private static final String ENGINE = "dev.convoy.engine..";
  private static final String RULES = "dev.convoy.rules..";
  private static final String GIT_SYNC = "dev.convoy.git..";
  private static final String CLI = "dev.convoy.cli..";

  /** The JDK. */
  private static final String[] JDK = {"java.."};

  /** fabric8 kubernetes-model-core and its Jackson 3, which the engine uses to validate types. */
  private static final String[] KUBERNETES_MODEL = {"io.fabric8.kubernetes..", "tools.jackson.."};

  /** Packages of the engine meant for callers (docs/architecture.md, "The engine's API"). */
  static final String[] ENGINE_API = {
    "dev.convoy.engine",
    "dev.convoy.engine.input",
    "dev.convoy.engine.load",
    "dev.convoy.engine.model",
    "dev.convoy.engine.facts",
    "dev.convoy.engine.decide",
    "dev.convoy.engine.resources",
    "dev.convoy.engine.upgrade",
    "dev.convoy.engine.output",
    "dev.convoy.engine.review",
    "dev.convoy.engine.yaml"
  };

  @ArchTest
  static final ArchRule engineDependsOnYamlTheKubernetesModelAndDiffsOnly =
      classes()
          .that()
          .resideInAPackage(ENGINE)
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage(JDK)
                  .or(resideInAPackage(ENGINE))
                  .or(resideInAPackage("org.yaml.snakeyaml.."))
                  .or(resideInAnyPackage(KUBERNETES_MODEL))
                  .or(resideInAPackage("com.github.difflib..")))
          .because("engine | SnakeYAML, fabric8 kubernetes-model-core, java-diff-utils");

  @ArchTest
  static final ArchRule rulesDependOnTheEngineAndDroolsOnly =
      classes()
          .that()
          .resideInAPackage(RULES)
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage(JDK)
                  .or(resideInAnyPackage(RULES, ENGINE))
                  .or(resideInAnyPackage("org.drools..", "org.kie..")))
          .because("rules | engine, Drools (engine, mvel, tms)");

  @ArchTest
  static final ArchRule gitSyncDependsOnJGitOnly =
      classes()
          .that()
          .resideInAPackage(GIT_SYNC)
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage(JDK)
                  .or(resideInAPackage(GIT_SYNC))
                  .or(
                      resideInAnyPackage(
                          "org.eclipse.jgit..",
                          "org.apache.sshd..",
                          "org.slf4j..",
                          "org.bouncycastle..")))
          .because(
              "git-sync | JGit (+ ssh.apache), BouncyCastle (signed commits), slf4j-api: bytes, not"
                  + " Kubernetes");

  @ArchTest
  static final ArchRule nothingDependsOnTheCli =
      noClasses()
          .that()
          .resideOutsideOfPackage(CLI)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(CLI)
          .because("dependencies point inward: cli -> {engine, rules, git-sync}");

  @ArchTest
  static final ArchRule picocliStaysInTheCli =
      noClasses()
          .that()
          .resideOutsideOfPackage(CLI)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("picocli..")
          .because("only cli knows the terminal");

  @ArchTest
  static final ArchRule nothingBelowTheCliPrints =
      noClasses()
          .that()
          .resideOutsideOfPackage(CLI)
          .should()
          .accessField(System.class, "out")
          .orShould()
          .accessField(System.class, "err")
          .orShould()
          .callMethod(Throwable.class, "printStackTrace")
          .because(
              "nothing below cli prints: the engine reports through listeners and result values");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices()
          .matching("dev.convoy.(**)")
          .should()
          .beFreeOfCycles()
          // Known today, to be untangled (docs/architecture.md, "Known debts"): the rules' fact of
          // the kubelet's order holds the order package's record, and built sources print their
          // documents with the output printer.
          .ignoreDependency(
              JavaClass.Predicates.simpleName("KubeletOrderFact"),
              JavaClass.Predicates.resideInAPackage("dev.convoy.engine.order"))
          .ignoreDependency(
              JavaClass.Predicates.simpleName("BuildOutput"),
              JavaClass.Predicates.resideInAPackage("dev.convoy.engine.output"))
          .because("each package can be read, tested and changed from the bottom up");

  @ArchTest
  static final ArchRule callersUseTheEnginesApiPackagesOnly =
      classes()
          .that()
          .resideOutsideOfPackage(ENGINE)
          .should(useOnlyTheEnginesApi())
          .because(
              "order and render are the engine's own; callers go through RenderRun and its"
                  + " results (docs/architecture.md, \"The engine's API\")");

  @ArchTest
  static final ArchRule engineSignaturesShowNoSnakeYaml =
      noCodeUnits()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage(ENGINE)
          .and()
          .areDeclaredInClassesThat()
          .arePublic()
          .and()
          .arePublic()
          .should()
          .haveRawReturnType(resideInAPackage("org.yaml.snakeyaml.."))
          .orShould()
          .haveRawParameterTypes(
              DescribedPredicate.anyElementThat(resideInAPackage("org.yaml.snakeyaml..")))
          .because("the engine's public signatures show JDK, Convoy and fabric8 types only");

  @ArchTest
  static final ArchRule engineFieldsShowNoSnakeYaml =
      noFields()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage(ENGINE)
          .and()
          .areDeclaredInClassesThat()
          .arePublic()
          .and()
          .arePublic()
          .should()
          .haveRawType(resideInAPackage("org.yaml.snakeyaml.."))
          .because("the engine's public signatures show JDK, Convoy and fabric8 types only");

  private static ArchCondition<JavaClass> useOnlyTheEnginesApi() {
    DescribedPredicate<JavaClass> api = resideInAnyPackage(ENGINE_API);
    return new ArchCondition<>("use only the engine's API packages") {
      @Override
      public void check(JavaClass caller, ConditionEvents events) {
        for (Dependency d : caller.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass();
          if (target.getPackageName().startsWith("dev.convoy.engine")
              && !api.test(target)
              && !allowedToday(caller, target)) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  /**
   * Uses of engine internals that exist today, each with its reason. {@code InjectionRecord} reads
   * the {@code convoy.dev/injected} annotations of a rendered pod template (reconcile's change
   * summary and explain read rendered output with it); explain still rebuilds the start order with
   * {@code order} instead of reading what was rendered, and explain and {@code render --report}
   * print the kubelet's order ({@code order.KubeletOrder}) that rendering reported.
   */
  private static boolean allowedToday(JavaClass caller, JavaClass target) {
    return target.getName().startsWith("dev.convoy.engine.render.InjectionRecord")
        || ((caller.getName().startsWith("dev.convoy.cli.WorkloadExplanation")
                || caller.getName().startsWith("dev.convoy.cli.ExplainCommand")
                || caller.getName().startsWith("dev.convoy.cli.RenderCommand"))
            && target.getPackageName().equals("dev.convoy.engine.order"));
  }

  /** Leaves out test jars on the classpath (git-sync's test servers), as their test classes are. */
  static final class NoTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }

  /**
   * Leaves out the built-in rules' executable model, which Drools generates from the DRL at build
   * time (its lambda classes sit in sub-packages that call back into the rules' helpers).
   */
  static final class NoGeneratedRuleModel implements ImportOption {
    private static final Pattern GENERATED =
        Pattern.compile(
            ".*/dev/convoy/rules/builtin/(P[0-9A-F]{2}/|Rules[0-9A-F]+|DomainClassesMetadata).*");

    @Override
    public boolean includes(Location location) {
      return !location.matches(GENERATED);
    }
  }
}

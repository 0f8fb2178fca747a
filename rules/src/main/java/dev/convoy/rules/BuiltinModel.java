package dev.convoy.rules;

import dev.convoy.engine.input.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.model.Model;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBaseConfiguration;

/**
 * The built-in rules' executable model, generated from their DRL at build time (rules/pom.xml runs
 * {@code BuiltinModelGenerator}) and shipped in the rules jar. Loading it skips parsing and
 * compiling the DRL, the bulk of a cold start's rule compilation.
 *
 * <p>{@code model.properties} names the generated model classes and the SHA-256 of the DRL they
 * came from; a jar whose DRL does not hash to that value (a build that skipped the generator after
 * a DRL change) fails loudly instead of running stale rules.
 */
final class BuiltinModel {

  static final String PROPERTIES = "builtin/model.properties";

  private final List<Model> models;

  private BuiltinModel(List<Model> models) {
    this.models = models;
  }

  /**
   * Loads the model and checks it against the built-in DRL read from the jar.
   *
   * @param drl the built-in files' content, in {@link DroolsPolicyRules#BUILTIN_FILES} order
   */
  static BuiltinModel load(Map<String, byte[]> drl) {
    Properties properties = new Properties();
    try (InputStream in = BuiltinModel.class.getResourceAsStream(PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException(
            "the built-in rules' precompiled model is missing from the rules jar ("
                + PROPERTIES
                + "); rebuild from the checkout root with ./mvnw -q -B package -DskipTests"
                + " (phase process-test-classes of the rules module generates it)");
      }
      properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String expected = properties.getProperty("drl.sha256", "");
    String actual = sha256(drl.values());
    if (!expected.equals(actual)) {
      throw new IllegalStateException(
          "the built-in rules' precompiled model is stale: generated from DRL "
              + "sha256:"
              + expected
              + ", the jar's DRL is sha256:"
              + actual
              + "; rebuild from the checkout root with ./mvnw -q -B package -DskipTests");
    }
    List<Model> models = new ArrayList<>();
    for (String name : properties.getProperty("models", "").split(",")) {
      try {
        Class<?> type = Class.forName(name.strip(), true, BuiltinModel.class.getClassLoader());
        models.add((Model) type.getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IllegalStateException(
            "cannot load the built-in rules' model class " + name + ": " + e, e);
      }
    }
    return new BuiltinModel(List.copyOf(models));
  }

  /**
   * A new KieBase holding the built-in rules; add compiled packages to it for custom rules.
   *
   * <p>The rules are added in DRL order (file by file as in {@link
   * DroolsPolicyRules#BUILTIN_FILES}, then by line), as the DRL compiler adds them. Drools breaks
   * ties between rules of equal salience by that load order, and the generated model lists the
   * files alphabetically: without the reordering, decisions stay the same but the firings {@code
   * convoy explain} prints come in another order (and include transient ones, e.g. an injection
   * made before the priority veto that retracts it).
   *
   * @param ruleLines per built-in file ({@code builtin:match.drl}, ...), its rules' header lines
   */
  InternalKnowledgeBase newKieBase(
      KieBaseConfiguration configuration, Map<String, Map<String, Integer>> ruleLines) {
    List<String> files = new ArrayList<>(ruleLines.keySet());
    Comparator<org.drools.model.Rule> drlOrder =
        Comparator.comparingInt(
                (org.drools.model.Rule r) -> files.indexOf(fileOf(r.getName(), ruleLines)))
            .thenComparingInt(
                r ->
                    ruleLines
                        .getOrDefault(fileOf(r.getName(), ruleLines), Map.of())
                        .getOrDefault(r.getName(), 0));
    List<Model> ordered = new ArrayList<>();
    for (Model model : models) {
      List<org.drools.model.Rule> rules = new ArrayList<>(model.getRules());
      for (org.drools.model.Rule rule : rules) {
        if (fileOf(rule.getName(), ruleLines) == null) {
          throw new IllegalStateException(
              "built-in model rule not found in the built-in DRL: " + rule.getName());
        }
      }
      rules.sort(drlOrder);
      ordered.add(new DrlOrderModel(model, List.copyOf(rules)));
    }
    return KieBaseBuilder.createKieBaseFromModel(ordered, configuration);
  }

  /** A generated model with its rules in DRL order; everything else as generated. */
  private record DrlOrderModel(Model model, List<org.drools.model.Rule> rules) implements Model {
    @Override
    public String getName() {
      return model.getName();
    }

    @Override
    public String getPackageName() {
      return model.getPackageName();
    }

    @Override
    public List<org.drools.model.Global> getGlobals() {
      return model.getGlobals();
    }

    @Override
    public List<org.drools.model.Rule> getRules() {
      return rules;
    }

    @Override
    public List<org.drools.model.Query> getQueries() {
      return model.getQueries();
    }

    @Override
    public List<org.drools.model.TypeMetaData> getTypeMetaDatas() {
      return model.getTypeMetaDatas();
    }

    @Override
    public List<org.drools.model.EntryPoint> getEntryPoints() {
      return model.getEntryPoints();
    }
  }

  /**
   * The built-in file that declares a rule. Built-in rule names are unique across the built-in
   * files (a test checks it), so the name alone tells.
   */
  static String fileOf(String rule, Map<String, Map<String, Integer>> ruleLines) {
    for (Map.Entry<String, Map<String, Integer>> file : ruleLines.entrySet()) {
      if (file.getKey().startsWith(DroolsPolicyRules.BUILTIN_PREFIX)
          && file.getValue().containsKey(rule)) {
        return file.getKey();
      }
    }
    return null;
  }

  /** Same digest as BuiltinModelGenerator: each file's bytes followed by a zero byte. */
  static String sha256(Iterable<byte[]> sources) {
    return Sha256.hexOfParts(sources);
  }
}

package dev.convoy.cli;

import dev.convoy.engine.decide.Violation;
import dev.convoy.engine.decide.WaveDecision;
import dev.convoy.engine.model.SidecarMode;
import dev.convoy.engine.resources.ResourceFigure;
import dev.convoy.engine.resources.ResourceFigures;
import dev.convoy.engine.resources.ResourceName;
import dev.convoy.engine.review.ContainerChange;
import dev.convoy.engine.review.FieldChange;
import dev.convoy.engine.review.ObjectChange;
import dev.convoy.engine.review.Review;
import dev.convoy.engine.review.RolloutChange;
import dev.convoy.engine.review.TargetReview;
import dev.convoy.engine.review.WorkloadChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The review for tools ({@code convoy review -o json}): every change, never cut. The schema is
 * {@code docs/review.schema.json}; fields are written in a fixed order, so the same refs give the
 * same bytes.
 */
final class ReviewJson {
  static final String API_VERSION = "convoy.dev/v1alpha1";

  private ReviewJson() {}

  static String of(ReviewRender.Result r) {
    Review review = r.review();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("apiVersion", API_VERSION);
    root.put("kind", "Review");
    root.put("base", map("ref", r.baseRef(), "commit", r.base().id()));
    root.put("head", map("ref", r.headRef(), "commit", r.head().id()));
    root.put("now", r.now().toString());
    root.put(
        "headRules", !r.headRulesDiffer() ? "same" : r.headRulesRun() ? "run" : "compiled-not-run");
    root.put("empty", review.isEmpty());
    root.put("newErrors", review.violations().addedErrors().size());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("targets", review.targets().size());
    summary.put("workloadsChanged", sum(review, t -> t.workloads().size()));
    summary.put(
        "sidecarsAdded",
        sum(review, t -> t.workloads().stream().mapToInt(w -> w.sidecarsAdded().size()).sum()));
    summary.put(
        "sidecarsRemoved",
        sum(review, t -> t.workloads().stream().mapToInt(w -> w.sidecarsRemoved().size()).sum()));
    summary.put(
        "sidecarsUpgraded",
        sum(review, t -> t.workloads().stream().mapToInt(w -> w.upgrades().size()).sum()));
    summary.put("objectsChanged", sum(review, t -> t.objects().size()));
    summary.put("newViolations", review.violations().added().size());
    summary.put("fixedViolations", review.violations().fixed().size());
    root.put("summary", summary);
    List<Object> targets = new ArrayList<>();
    for (TargetReview t : review.targets()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.target());
      m.put("baseMode", mode(t.baseMode()));
      m.put("headMode", mode(t.headMode()));
      m.put("workloads", t.workloads().stream().map(ReviewJson::workload).toList());
      m.put("objects", t.objects().stream().map(ReviewJson::object).toList());
      m.put("rollouts", t.rollouts().stream().map(ReviewJson::rollout).toList());
      targets.add(m);
    }
    root.put("targets", targets);
    root.put(
        "violations",
        map(
            "new", violations(review.violations().added()),
            "fixed", violations(review.violations().fixed()),
            "unchanged", violations(review.violations().unchanged())));
    return JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build()
            .writeValueAsString(root)
        + "\n";
  }

  private static int sum(Review review, java.util.function.ToIntFunction<TargetReview> f) {
    return review.targets().stream().mapToInt(f).sum();
  }

  private static String mode(SidecarMode mode) {
    return mode == null ? null : mode.yamlName();
  }

  private static Map<String, Object> workload(WorkloadChange w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ref", w.ref());
    m.put("file", w.file());
    m.put("change", lower(w.change()));
    m.put(
        "policies",
        w.policies().stream()
            .map(p -> map("policy", p.policy(), "before", p.before(), "after", p.after()))
            .toList());
    m.put("containers", w.containers().stream().map(ReviewJson::container).toList());
    m.put(
        "startOrder",
        w.order().map(o -> map("before", o.startBefore(), "after", o.startAfter())).orElse(null));
    m.put(
        "stopOrder",
        w.order().map(o -> map("before", o.stopBefore(), "after", o.stopAfter())).orElse(null));
    m.put(
        "resources",
        w.resources()
            .map(
                r ->
                    map(
                        "requests",
                        map(
                            "before",
                            figures(r.before().requests()),
                            "after",
                            figures(r.after().requests())),
                        "limits",
                        map(
                            "before",
                            figures(r.before().limits()),
                            "after",
                            figures(r.after().limits()))))
            .orElse(null));
    m.put("waves", w.waves().stream().map(ReviewJson::wave).toList());
    m.put("podFields", fields(w.podFields()));
    return m;
  }

  private static Map<String, Object> container(ContainerChange c) {
    return map(
        "name",
        c.name(),
        "change",
        lower(c.change()),
        "injectedBy",
        c.injectedBy(),
        "fields",
        fields(c.fields()));
  }

  private static Map<String, Object> object(ObjectChange o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ref", o.ref());
    m.put("kind", o.kind());
    m.put("namespace", o.namespace());
    m.put("name", o.name());
    m.put("file", o.file());
    m.put("change", lower(o.change()));
    m.put("fields", fields(o.fields()));
    return m;
  }

  private static Map<String, Object> rollout(RolloutChange c) {
    return map(
        "policy",
        c.policy(),
        "toRevision",
        c.toRevision(),
        "wave",
        c.wave(),
        "moved",
        c.moved(),
        "held",
        c.held(),
        "heldBy",
        c.heldBy());
  }

  private static Map<String, Object> wave(WaveDecision w) {
    return map(
        "policy",
        w.policy(),
        "fromRevision",
        w.fromRevision(),
        "toRevision",
        w.toRevision(),
        "moves",
        w.moves(),
        "wave",
        w.wave(),
        "reason",
        w.reason());
  }

  private static List<Object> fields(List<FieldChange> fields) {
    return fields.stream()
        .map(f -> (Object) map("path", f.path(), "before", f.before(), "after", f.after()))
        .toList();
  }

  private static Map<String, Object> figures(ResourceFigures f) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (ResourceName r : ResourceName.values()) {
      if (!(f.get(r) instanceof ResourceFigure.NotSet)) {
        m.put(r.key(), f.format(r));
      }
    }
    return m;
  }

  private static List<Object> violations(List<Violation> violations) {
    return violations.stream()
        .map(
            v ->
                (Object)
                    map(
                        "severity",
                        lower(v.severity()),
                        "code",
                        v.code(),
                        "workload",
                        v.workload(),
                        "policy",
                        v.policy(),
                        "file",
                        v.file(),
                        "line",
                        v.line(),
                        "message",
                        v.message()))
        .toList();
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}

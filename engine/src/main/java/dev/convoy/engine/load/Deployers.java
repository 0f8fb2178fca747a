package dev.convoy.engine.load;

import dev.convoy.engine.model.Trees;
import dev.convoy.engine.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Objects among the sources that deploy workloads from elsewhere: Flux {@code Kustomization} and
 * {@code HelmRelease}, Argo CD {@code Application} and {@code ApplicationSet}. Convoy renders them
 * as they are; the workloads they deploy are never read, so never injected, and the user is told.
 */
public final class Deployers {
  private Deployers() {}

  /** One warning per such object, naming its file, kind and name. */
  public static List<String> find(LoadedRepo repo) {
    List<String> out = new ArrayList<>();
    for (LoadedRepo.SourceFile f : repo.sourceFiles()) {
      for (YamlDocument doc : f.documents()) {
        Map<String, Object> m = doc.map();
        if (m == null) {
          continue;
        }
        String what = deployer(Trees.string(m, "apiVersion"), Trees.string(m, "kind"));
        if (what != null) {
          Map<String, Object> md = Trees.map(m, "metadata");
          String ns = Trees.string(md, "namespace");
          out.add(
              f.path()
                  + ": "
                  + Trees.string(m, "kind")
                  + "/"
                  + (ns == null ? "" : ns + "/")
                  + Trees.string(md, "name")
                  + " is "
                  + what
                  + ": the workloads it deploys are not in this repo's sources, so Convoy does not"
                  + " inject them (declare their manifests, kustomization or chart as a source)");
        }
      }
    }
    return out;
  }

  private static String deployer(String apiVersion, String kind) {
    if (apiVersion == null || kind == null) {
      return null;
    }
    if (apiVersion.startsWith("kustomize.toolkit.fluxcd.io/") && kind.equals("Kustomization")) {
      return "a Flux Kustomization";
    }
    if (apiVersion.startsWith("helm.toolkit.fluxcd.io/") && kind.equals("HelmRelease")) {
      return "a Flux HelmRelease";
    }
    if (apiVersion.startsWith("argoproj.io/")
        && (kind.equals("Application") || kind.equals("ApplicationSet"))) {
      return "an Argo CD " + kind;
    }
    return null;
  }
}

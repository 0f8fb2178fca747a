package dev.convoy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What this build of Convoy is: the Maven version and git commit written into {@code
 * build.properties} by the build, and the versions of the libraries and tools a run uses.
 */
final class BuildInfo {
  private static final Properties BUILD = load("build.properties");

  private BuildInfo() {}

  /**
   * The Maven version, e.g. {@code 0.2.0}; {@code dev} when run from classes the build did not
   * filter.
   */
  static String version() {
    return value("version", "dev");
  }

  /**
   * The abbreviated commit the build was made from, with {@code -dirty} when the work tree had
   * uncommitted changes; {@code unknown} outside a git checkout.
   */
  static String commit() {
    String commit = value("commit", "unknown");
    return "true".equals(value("dirty", "false")) ? commit + "-dirty" : commit;
  }

  /** {@code convoy 0.2.0 (abc1234)}. */
  static String line() {
    return "convoy " + version() + " (" + commit() + ")";
  }

  /**
   * Every version {@code convoy version} reports, in a fixed order; a tool that is not part of this
   * build maps to {@code null}.
   */
  static Map<String, String> components() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("convoy", version());
    out.put("commit", commit());
    out.put("java", System.getProperty("java.version"));
    out.put("javaVendor", System.getProperty("java.vendor"));
    out.put("javaRuntime", System.getProperty("java.runtime.version"));
    out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    out.put("drools", mavenVersion("org.drools", "drools-core"));
    out.put("jgit", mavenVersion("org.eclipse.jgit", "org.eclipse.jgit"));
    out.put("sshd", mavenVersion("org.apache.sshd", "sshd-osgi"));
    out.put("snakeyaml", mavenVersion("org.yaml", "snakeyaml"));
    out.put("picocli", picocli.CommandLine.VERSION);
    // Rendering kustomize trees and Helm charts is not part of this build yet.
    out.put("kustomize", null);
    out.put("helm", null);
    return out;
  }

  /** The version in a dependency jar's {@code pom.properties}; null when it is not on the path. */
  static String mavenVersion(String groupId, String artifactId) {
    Properties p = load("/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties");
    return p.getProperty("version");
  }

  private static String value(String key, String fallback) {
    String v = BUILD.getProperty(key);
    // An unfiltered placeholder (classes compiled by an IDE, no git at build time) means unknown.
    return v == null || v.isBlank() || v.startsWith("${") ? fallback : v;
  }

  private static Properties load(String resource) {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // a missing or unreadable file only means the version is unknown
    }
    return p;
  }
}

package dev.convoy.engine.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps values that may be secret out of a review, before anything is compared, so no printer can
 * leak them:
 *
 * <ul>
 *   <li>every value of a {@code Secret}'s {@code data} and {@code stringData} (and a SealedSecret's
 *       {@code encryptedData}), and the {@code last-applied-configuration} annotation of a Secret,
 *       becomes {@code <hidden sha256:1a2b3c4d>}: a reviewer sees that a key changed, never to
 *       what; equal values have equal hashes (a {@code data} value is hashed decoded, so moving it
 *       to {@code stringData} shows as unchanged);
 *   <li>the value of an environment variable, or of a ConfigMap key, named like a credential
 *       ({@code DB_PASSWORD}, {@code api-token}, {@code AWS_SECRET_ACCESS_KEY}) is hidden the same
 *       way;
 *   <li>text that looks like a known credential anywhere else (a PEM private key, an AWS access
 *       key, a GitHub, GitLab, Slack or Google token, a JWT, a bearer token, the password of a URL,
 *       {@code password=...}) is replaced by {@code <redacted sha256:...>}.
 * </ul>
 */
public final class Redaction {
  /** What replaces a credential found in text, before its hash prefix. */
  private static final String REDACTED = "<redacted>";

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private static final Pattern CREDENTIAL_NAME =
      Pattern.compile(
          "(?i).*(passw(or)?d|passwd|secret|token|api[-_.]?key|private[-_.]?key|access[-_.]?key"
              + "|credential|client[-_.]?secret|auth[-_.]?key|signing[-_.]?key|\\bpwd\\b|_pwd$).*");

  private static final List<Pattern> CREDENTIALS =
      List.of(
          Pattern.compile(
              "-----BEGIN (?:[A-Z0-9 ]+ )?PRIVATE KEY-----[\\s\\S]*?"
                  + "(?:-----END (?:[A-Z0-9 ]+ )?PRIVATE KEY-----|\\z)"),
          Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
          Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}\\b"),
          Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{20,}\\b"),
          Pattern.compile("\\bglpat-[A-Za-z0-9_\\-]{20,}"),
          Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}"),
          Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{35}"),
          Pattern.compile("\\b[rs]k_(?:live|test)_[0-9a-zA-Z]{16,}"),
          Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"),
          Pattern.compile("(?i)(?<=\\bbearer\\s)[A-Za-z0-9._~+/=-]{12,}"));

  /** {@code scheme://user:password@host}: the password goes, the user stays. */
  private static final Pattern URL_PASSWORD = Pattern.compile("(?<=://)([^/@\\s:]*):[^/@\\s]+@");

  /** {@code password=hunter2}, {@code "token": "abc"}: the value goes, the key stays. */
  private static final Pattern ASSIGNMENT =
      Pattern.compile(
          "(?i)(\\b(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)"
              + "\"?\\s*[=:]\\s*)(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s,;&\"'}]+)");

  private static final Set<String> SECRET_DATA = Set.of("data", "stringData");

  private Redaction() {}

  /** A copy of a rendered object with every possibly secret value hidden or redacted. */
  public static Map<String, Object> object(Map<String, Object> object) {
    String kind = object.get("kind") instanceof String k ? k : "";
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (kind.equals("Secret") && SECRET_DATA.contains(key) && value instanceof Map<?, ?> data) {
        copy.put(key, hideAll(data, key.equals("data")));
      } else if (kind.equals("SealedSecret")
          && key.equals("spec")
          && value instanceof Map<?, ?> spec) {
        Map<String, Object> s = strings(spec);
        if (s.get("encryptedData") instanceof Map<?, ?> enc) {
          s.put("encryptedData", hideAll(enc, false));
        }
        copy.put(key, s);
      } else if (kind.equals("ConfigMap")
          && (key.equals("data") || key.equals("binaryData"))
          && value instanceof Map<?, ?> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        data.forEach(
            (k, v) -> {
              String name = String.valueOf(k);
              m.put(name, v != null && looksLikeCredentialName(name) ? hidden(v, false) : tree(v));
            });
        copy.put(key, m);
      } else if (kind.equals("Secret")
          && key.equals("metadata")
          && value instanceof Map<?, ?> metadata) {
        Map<String, Object> md = strings(metadata);
        if (md.get("annotations") instanceof Map<?, ?> annotations
            && annotations.containsKey(LAST_APPLIED)) {
          Map<String, Object> a = strings(annotations);
          a.put(LAST_APPLIED, hidden(a.get(LAST_APPLIED), false));
          md.put("annotations", a);
        }
        copy.put(key, tree(md));
      } else {
        copy.put(key, tree(value));
      }
    }
    return copy;
  }

  /**
   * A text with every known credential in it replaced by {@code <redacted sha256:1a2b3c4d>}: the
   * hash prefix shows that a credential changed without showing it.
   */
  public static String text(String text) {
    if (text == null || text.isEmpty() || !mayHoldCredential(text)) {
      return text;
    }
    String out = text;
    for (Pattern p : CREDENTIALS) {
      out = p.matcher(out).replaceAll(m -> Matcher.quoteReplacement(redacted(m.group())));
    }
    out =
        URL_PASSWORD
            .matcher(out)
            .replaceAll(
                m ->
                    Matcher.quoteReplacement(
                        m.group(1)
                            + ":"
                            + redacted(m.group().substring(m.group(1).length()))
                            + "@"));
    out =
        ASSIGNMENT
            .matcher(out)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + redacted(m.group(2))));
    return out;
  }

  /**
   * Words at least one of which every pattern above needs (in any case: a superset), so the
   * thousands of scalars of a large review that hold none skip twelve regular expressions.
   */
  private static final List<String> CREDENTIAL_WORDS =
      List.of(
          "-----begin",
          "akia",
          "asia",
          "gh",
          "github_pat_",
          "glpat-",
          "xox",
          "aiza",
          "k_live_",
          "k_test_",
          "eyj",
          "bearer",
          "://");

  private static final List<String> ASSIGNED_WORDS =
      List.of("password", "passwd", "pwd", "secret", "token", "api", "access", "client");

  static boolean mayHoldCredential(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    for (String w : CREDENTIAL_WORDS) {
      if (lower.contains(w)) {
        return true;
      }
    }
    if (lower.indexOf('=') < 0 && lower.indexOf(':') < 0) {
      return false;
    }
    for (String w : ASSIGNED_WORDS) {
      if (lower.contains(w)) {
        return true;
      }
    }
    return false;
  }

  private static String redacted(String credential) {
    return REDACTED.substring(0, REDACTED.length() - 1)
        + " sha256:"
        + sha256(credential.getBytes(StandardCharsets.UTF_8))
        + ">";
  }

  /** Whether a variable or key name says its value is a credential. */
  public static boolean looksLikeCredentialName(String name) {
    return CREDENTIAL_NAME.matcher(name).matches();
  }

  /** {@code <hidden sha256:1a2b3c4d>}: what a hidden value shows instead of itself. */
  public static String hidden(Object value, boolean base64) {
    byte[] bytes = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    if (base64) {
      try {
        bytes = Base64.getMimeDecoder().decode(String.valueOf(value));
      } catch (IllegalArgumentException e) {
        // Not valid base64 (Kubernetes would reject it): hash it as written.
      }
    }
    return "<hidden sha256:" + sha256(bytes) + ">";
  }

  private static String sha256(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Map<String, Object> hideAll(Map<?, ?> data, boolean base64) {
    Map<String, Object> m = new LinkedHashMap<>();
    data.forEach((k, v) -> m.put(String.valueOf(k), v == null ? null : hidden(v, base64)));
    return m;
  }

  private static Map<String, Object> strings(Map<?, ?> map) {
    Map<String, Object> m = new LinkedHashMap<>();
    map.forEach((k, v) -> m.put(String.valueOf(k), v));
    return m;
  }

  /** A deep copy with credential-named environment values hidden and credentials redacted. */
  private static Object tree(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> m = new LinkedHashMap<>();
      boolean envVar =
          map.get("name") instanceof String name
              && map.get("value") instanceof String
              && looksLikeCredentialName(name)
              && map.size() <= 3;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        m.put(
            key, envVar && key.equals("value") ? hidden(e.getValue(), false) : tree(e.getValue()));
      }
      return m;
    }
    if (value instanceof List<?> list) {
      List<Object> l = new ArrayList<>(list.size());
      for (Object o : list) {
        l.add(tree(o));
      }
      return l;
    }
    if (value instanceof String s) {
      return text(s);
    }
    return value;
  }
}

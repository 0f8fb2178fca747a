package dev.convoy.cli;

import dev.convoy.engine.input.BadInputException;
import dev.convoy.engine.input.InputError;
import dev.convoy.engine.input.InputFile;
import dev.convoy.engine.yaml.ManifestParser;
import dev.convoy.engine.yaml.YamlDocument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The repos a fleet of reconcilers shares ({@code reconcile --repos FILE}):
 *
 * <pre>
 * apiVersion: convoy.dev/v1alpha1
 * kind: RepoList
 * repos:
 *   - url: https://git.example.com/shop/config.git
 *     branch: main                       # default main
 *     credentials:                       # optional; default: the command line's
 *       dir: /var/run/secrets/git/shop   # or tokenEnv: NAME, or username + passwordEnv,
 *                                        # or sshKey + knownHosts
 * </pre>
 *
 * Each repo belongs to exactly one shard, by a stable hash of its URL (without user information),
 * so adding a repo moves no other.
 */
record RepoList(List<RepoList.Entry> repos) {
  /** One repo; {@code credentials} maps a key of the file to the reconcile option it stands for. */
  record Entry(String url, String branch, Map<String, String> credentials, int line) {
    /** The URL as shown and hashed: without user information. */
    String shown() {
      return RemoteUrls.withoutUserInfo(url);
    }

    /** The shard (0 to count - 1) this repo belongs to. */
    int shard(int count) {
      try {
        byte[] d =
            MessageDigest.getInstance("SHA-256").digest(shown().getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) {
          h = (h << 8) | (d[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(h, count);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JDK", e);
      }
    }
  }

  /** File keys under {@code credentials} and the reconcile options they become. */
  static final Map<String, String> CREDENTIAL_OPTIONS =
      Map.of(
          "dir", "--git-credentials-dir",
          "tokenEnv", "--git-token-env",
          "username", "--git-username",
          "passwordEnv", "--git-password-env",
          "sshKey", "--ssh-key",
          "knownHosts", "--known-hosts");

  RepoList {
    repos = List.copyOf(repos);
  }

  /** The repos of shard {@code index} of {@code count}, in file order. */
  List<Entry> shard(int index, int count) {
    return repos.stream().filter(r -> r.shard(count) == index).toList();
  }

  static RepoList parse(InputFile file) throws BadInputException {
    List<YamlDocument> docs = ManifestParser.parse(file, ManifestParser.Positions.KEEP);
    if (docs.size() != 1 || docs.get(0).map() == null) {
      throw new BadInputException(
          new InputError(file.path(), 1, 1, null, "must hold exactly one RepoList mapping"));
    }
    YamlDocument doc = docs.get(0);
    Map<String, Object> root = doc.map();
    List<InputError> errors = new ArrayList<>();
    if (!"RepoList".equals(root.get("kind"))
        || !"convoy.dev/v1alpha1".equals(root.get("apiVersion"))) {
      errors.add(error(file, doc, "kind", "must be apiVersion convoy.dev/v1alpha1, kind RepoList"));
    }
    unknown(file, doc, root, "", Set.of("apiVersion", "kind", "repos"), errors);
    List<Entry> entries = new ArrayList<>();
    Object list = root.get("repos");
    if (!(list instanceof List<?> items) || items.isEmpty()) {
      errors.add(error(file, doc, "repos", "must list at least one repo"));
      throw new BadInputException(errors);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String path = "repos[" + i + "]";
      if (!(items.get(i) instanceof Map<?, ?> raw)) {
        errors.add(error(file, doc, path, "must be a mapping with url"));
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> item = (Map<String, Object>) raw;
      unknown(file, doc, item, path + ".", Set.of("url", "branch", "credentials"), errors);
      String url = string(item.get("url"));
      String branch = item.containsKey("branch") ? string(item.get("branch")) : "main";
      if (url == null || url.isBlank()) {
        errors.add(error(file, doc, path + ".url", "is required"));
        continue;
      }
      if (branch == null || branch.isBlank()) {
        errors.add(error(file, doc, path + ".branch", "must be a branch name"));
        continue;
      }
      Map<String, String> credentials = new LinkedHashMap<>();
      Object c = item.get("credentials");
      if (c instanceof Map<?, ?> cm) {
        for (Map.Entry<?, ?> e : cm.entrySet()) {
          String key = String.valueOf(e.getKey());
          String value = string(e.getValue());
          if (!CREDENTIAL_OPTIONS.containsKey(key)) {
            errors.add(
                error(
                    file,
                    doc,
                    path + ".credentials." + key,
                    "unknown key '"
                        + key
                        + "' (one of dir, tokenEnv, username + passwordEnv, sshKey + knownHosts)"));
          } else if (value == null || value.isBlank()) {
            errors.add(error(file, doc, path + ".credentials." + key, "must be a string"));
          } else {
            credentials.put(key, value);
          }
        }
      } else if (c != null) {
        errors.add(error(file, doc, path + ".credentials", "must be a mapping"));
      }
      String key = RemoteUrls.withoutUserInfo(url) + " " + branch;
      if (!seen.add(key)) {
        errors.add(
            error(
                file,
                doc,
                path,
                "repo "
                    + RemoteUrls.withoutUserInfo(url)
                    + " branch "
                    + branch
                    + " is listed twice"));
        continue;
      }
      entries.add(new Entry(url, branch, credentials, doc.lineOf(path)));
    }
    if (!errors.isEmpty()) {
      throw new BadInputException(errors);
    }
    return new RepoList(entries);
  }

  private static void unknown(
      InputFile file,
      YamlDocument doc,
      Map<String, Object> map,
      String prefix,
      Set<String> known,
      List<InputError> errors) {
    for (String key : map.keySet()) {
      if (!known.contains(key)) {
        errors.add(error(file, doc, prefix + key, "unknown key '" + key + "'"));
      }
    }
  }

  private static String string(Object value) {
    return value instanceof String s ? s : value == null ? null : String.valueOf(value);
  }

  private static InputError error(InputFile file, YamlDocument doc, String path, String message) {
    return new InputError(file.path(), doc.lineOf(path), 0, null, path + ": " + message);
  }
}

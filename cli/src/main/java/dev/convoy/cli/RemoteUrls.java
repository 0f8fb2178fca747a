package dev.convoy.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/** Remote URLs as Convoy shows and keys them: never with user information. */
final class RemoteUrls {
  /** {@code scheme://user[:password]@} of an http(s) URL: the user part may itself be a token. */
  private static final Pattern HTTP_USER_INFO =
      Pattern.compile("^(https?://)[^/@]*@", Pattern.CASE_INSENSITIVE);

  private RemoteUrls() {}

  /**
   * The URL without user information for http(s); SSH user names are kept (they are not secret).
   */
  static String withoutUserInfo(String uri) {
    return HTTP_USER_INFO.matcher(uri).replaceFirst("$1");
  }

  /** Whether the remote is a local repository: a {@code file://} URL or a plain path. */
  static boolean isLocal(String uri) {
    // Anything with a scheme, or scp-like [user@]host:path, is remote.
    return uri.regionMatches(true, 0, "file:", 0, 5)
        || !uri.matches("(?s)^[A-Za-z][A-Za-z0-9+.-]*://.*|^[^/:]+:.*");
  }

  /**
   * {@code $XDG_CACHE_HOME/convoy/reconcile/<hash>} when the variable is set, else {@code
   * .convoy-work/<hash>}: one folder per remote, so runs against different repos never share one,
   * and rotating a token in the URL does not start a fresh clone.
   */
  static Path defaultWorkDir(String shownUri, Map<String, String> environment) {
    String key = RepoRender.sha256(shownUri.getBytes(StandardCharsets.UTF_8));
    String cache = environment.get("XDG_CACHE_HOME");
    if (cache != null && !cache.isBlank()) {
      return Path.of(cache, "convoy", "reconcile", key);
    }
    return Path.of(".convoy-work", key);
  }
}

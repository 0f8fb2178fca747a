package dev.convoy.git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How Convoy authenticates to the remote. HTTP(S) remotes take a {@link UsernamePassword} (a token
 * is a password with a conventional user name); SSH remotes take an {@link SshKey}; {@code file://}
 * and {@code git://} remotes take {@link #none()}.
 *
 * <p>Credentials are handed to JGit through a {@code CredentialsProvider} or an SSH session
 * factory; they are never written into the remote URL stored in {@code .git/config}, and their
 * {@code toString()} never shows a secret.
 */
public sealed interface Credentials
    permits Credentials.None, Credentials.UsernamePassword, Credentials.SshKey {

  /** Environment variable holding an HTTPS token (read by {@link #fromEnvironment}). */
  String TOKEN_VARIABLE = "CONVOY_GIT_TOKEN";

  /** Environment variable holding an HTTPS user name (read by {@link #fromEnvironment}). */
  String USERNAME_VARIABLE = "CONVOY_GIT_USERNAME";

  /** Environment variable holding an HTTPS password (read by {@link #fromEnvironment}). */
  String PASSWORD_VARIABLE = "CONVOY_GIT_PASSWORD";

  /**
   * The user name sent with a bare token. GitHub, Gitea and Azure DevOps accept any user name with
   * a token; GitLab wants {@code oauth2}, which callers can pass with {@link #usernamePassword}.
   */
  String TOKEN_USERNAME = "x-access-token";

  /** No credentials: for {@code file://}, {@code git://} and anonymous HTTP(S). */
  static Credentials none() {
    return None.INSTANCE;
  }

  /** HTTP(S) basic authentication. */
  static Credentials usernamePassword(String username, Secret password) {
    return new UsernamePassword(username, password);
  }

  /** An HTTP(S) access token, sent as the password of {@link #TOKEN_USERNAME}. */
  static Credentials token(Secret token) {
    return new UsernamePassword(TOKEN_USERNAME, token);
  }

  /**
   * An SSH private key (OpenSSH or PEM format, without passphrase) and the {@code known_hosts} file
   * the server's host key is checked against. Host key checking is strict; see {@link
   * SshKey#withoutHostKeyChecking()}.
   */
  static SshKey sshKey(Path privateKey, Path knownHosts) {
    return new SshKey(privateKey, knownHosts, true);
  }

  /**
   * Reads HTTP(S) credentials from the environment: {@value #TOKEN_VARIABLE}, or {@value
   * #USERNAME_VARIABLE} and {@value #PASSWORD_VARIABLE}. Returns {@link #none()} when none of them
   * is set.
   *
   * @throws InvalidConfigurationException when only one of user name and password is set
   */
  static Credentials fromEnvironment(Map<String, String> environment)
      throws InvalidConfigurationException {
    boolean hasToken = isSet(environment, TOKEN_VARIABLE);
    boolean hasUser = isSet(environment, USERNAME_VARIABLE);
    boolean hasPassword = isSet(environment, PASSWORD_VARIABLE);
    if (hasToken) {
      return token(Secret.fromEnvironment(environment, TOKEN_VARIABLE));
    }
    if (hasUser != hasPassword) {
      throw new InvalidConfigurationException(
          "set both " + USERNAME_VARIABLE + " and " + PASSWORD_VARIABLE + ", or " + TOKEN_VARIABLE);
    }
    if (hasUser) {
      return usernamePassword(
          environment.get(USERNAME_VARIABLE),
          Secret.fromEnvironment(environment, PASSWORD_VARIABLE));
    }
    return none();
  }

  /**
   * Reads credentials from a folder laid out like a mounted Kubernetes secret:
   *
   * <ul>
   *   <li>{@code token}: an HTTP(S) token;
   *   <li>{@code username} and {@code password}: HTTP(S) basic authentication (the {@code
   *       kubernetes.io/basic-auth} secret type);
   *   <li>{@code ssh-privatekey} (the {@code kubernetes.io/ssh-auth} secret type) and {@code
   *       known_hosts}: an SSH key with strict host key checking.
   * </ul>
   *
   * @throws InvalidConfigurationException when the folder holds none of these, or an incomplete
   *     pair
   */
  static Credentials fromSecretDirectory(Path directory) throws InvalidConfigurationException {
    if (!Files.isDirectory(directory)) {
      throw new InvalidConfigurationException("credentials folder " + directory + " not found");
    }
    Path sshKey = directory.resolve("ssh-privatekey");
    if (Files.isRegularFile(sshKey)) {
      Path knownHosts = directory.resolve("known_hosts");
      if (!Files.isRegularFile(knownHosts)) {
        throw new InvalidConfigurationException(
            "credentials folder " + directory + " has ssh-privatekey but no known_hosts");
      }
      return sshKey(sshKey, knownHosts);
    }
    Path token = directory.resolve("token");
    if (Files.isRegularFile(token)) {
      return token(Secret.fromFile(token));
    }
    Path username = directory.resolve("username");
    Path password = directory.resolve("password");
    if (Files.isRegularFile(username) && Files.isRegularFile(password)) {
      return usernamePassword(Secret.fromFile(username).reveal(), Secret.fromFile(password));
    }
    throw new InvalidConfigurationException(
        "credentials folder "
            + directory
            + " has neither token, username and password, nor ssh-privatekey and known_hosts");
  }

  private static boolean isSet(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value != null && !value.isEmpty();
  }

  /** No credentials. */
  enum None implements Credentials {
    INSTANCE;

    @Override
    public String toString() {
      return "Credentials.none()";
    }
  }

  /** HTTP(S) basic authentication; {@code toString()} masks the password. */
  record UsernamePassword(String username, Secret password) implements Credentials {
    public UsernamePassword {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }
  }

  /**
   * An SSH private key and the known hosts file the server's key must be listed in.
   *
   * @param privateKey an unencrypted private key file
   * @param knownHosts an OpenSSH {@code known_hosts} file; for a non-standard port the host pattern
   *     is {@code [host]:port}. May be null only without strict host key checking
   * @param strictHostKeyChecking whether an unknown or changed host key fails the connection
   */
  record SshKey(Path privateKey, Path knownHosts, boolean strictHostKeyChecking)
      implements Credentials {
    public SshKey {
      Objects.requireNonNull(privateKey, "privateKey");
      if (strictHostKeyChecking) {
        Objects.requireNonNull(knownHosts, "knownHosts (required for strict host key checking)");
      }
    }

    /**
     * The same key, accepting any host key. This gives up protection against a man in the middle;
     * every connection logs a warning.
     */
    public SshKey withoutHostKeyChecking() {
      return new SshKey(privateKey, knownHosts, false);
    }
  }
}

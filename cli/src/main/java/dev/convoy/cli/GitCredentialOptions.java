package dev.convoy.cli;

import dev.convoy.git.Credentials;
import dev.convoy.git.InvalidConfigurationException;
import dev.convoy.git.Secret;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How {@code reconcile} authenticates to the remote. Secrets are taken by reference only (the name
 * of an environment variable, a file), never as option values, so they do not show in {@code ps},
 * shell history or a CronJob's spec.
 */
final class GitCredentialOptions {
  @Option(
      names = "--git-token-env",
      paramLabel = "NAME",
      description = "HTTPS: read an access token from environment variable NAME.")
  String tokenEnv;

  @Option(
      names = "--git-username",
      paramLabel = "USER",
      description = "HTTPS: basic-auth user name (with --git-password-env).")
  String username;

  @Option(
      names = "--git-password-env",
      paramLabel = "NAME",
      description = "HTTPS: read the basic-auth password from environment variable NAME.")
  String passwordEnv;

  @Option(
      names = "--git-credentials-dir",
      paramLabel = "DIR",
      description =
          "A mounted Kubernetes secret: 'token', or 'username' + 'password' (basic-auth), or"
              + " 'ssh-privatekey' + 'known_hosts' (ssh-auth).")
  Path credentialsDir;

  @Option(
      names = "--ssh-key",
      paramLabel = "FILE",
      description = "SSH: an unencrypted private key file.")
  Path sshKey;

  @Option(
      names = "--known-hosts",
      paramLabel = "FILE",
      description =
          "SSH: the known_hosts file the server's host key must be listed in (required with --ssh-key).")
  Path knownHosts;

  @Option(
      names = "--insecure-skip-host-key-check",
      description =
          "SSH: accept any host key. Gives up protection against a man in the middle; logs a warning.")
  boolean skipHostKeyCheck;

  /**
   * The credentials the options ask for; without any, {@code CONVOY_GIT_TOKEN} or {@code
   * CONVOY_GIT_USERNAME} + {@code CONVOY_GIT_PASSWORD} from the environment, else none.
   *
   * @throws Invalid for contradicting or incomplete options
   * @throws InvalidConfigurationException for a variable or file that is missing or empty; the
   *     message names the variable or file, never a secret
   */
  Credentials resolve(Map<String, String> environment, PrintWriter err)
      throws Invalid, InvalidConfigurationException {
    List<String> kinds = new ArrayList<>();
    if (tokenEnv != null) {
      kinds.add("--git-token-env");
    }
    if (username != null || passwordEnv != null) {
      kinds.add("--git-username/--git-password-env");
    }
    if (credentialsDir != null) {
      kinds.add("--git-credentials-dir");
    }
    if (sshKey != null) {
      kinds.add("--ssh-key");
    }
    if (kinds.size() > 1) {
      throw new Invalid("choose one way to authenticate, not " + String.join(" and ", kinds));
    }
    if (knownHosts != null && sshKey == null && credentialsDir == null) {
      throw new Invalid("--known-hosts needs --ssh-key");
    }
    Credentials credentials;
    if (tokenEnv != null) {
      credentials = Credentials.token(Secret.fromEnvironment(environment, tokenEnv));
    } else if (username != null || passwordEnv != null) {
      if (username == null || passwordEnv == null) {
        throw new Invalid("--git-username and --git-password-env go together");
      }
      credentials =
          Credentials.usernamePassword(username, Secret.fromEnvironment(environment, passwordEnv));
    } else if (credentialsDir != null) {
      credentials = Credentials.fromSecretDirectory(credentialsDir);
      if (knownHosts != null && credentials instanceof Credentials.SshKey key) {
        credentials = new Credentials.SshKey(key.privateKey(), knownHosts, true);
      }
    } else if (sshKey != null) {
      if (knownHosts == null && !skipHostKeyCheck) {
        throw new Invalid(
            "--ssh-key needs --known-hosts (strict host key checking), or --insecure-skip-host-key-check");
      }
      credentials = new Credentials.SshKey(sshKey, knownHosts, knownHosts != null);
    } else {
      credentials = Credentials.fromEnvironment(environment);
    }
    if (skipHostKeyCheck) {
      if (!(credentials instanceof Credentials.SshKey key)) {
        throw new Invalid("--insecure-skip-host-key-check applies to SSH keys only");
      }
      credentials = key.withoutHostKeyChecking();
      err.println(
          "warning: SSH host key checking is off (--insecure-skip-host-key-check): a man in the middle"
              + " could read the config repo and push to it");
    }
    return credentials;
  }

  /** Credential options that contradict each other or are incomplete. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }
}

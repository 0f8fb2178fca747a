package dev.convoy.git;

import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.RemoteRepositoryException;
import org.eclipse.jgit.internal.transport.sshd.OpenSshServerKeyDatabase;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote as Convoy talks to it: the URL without credentials, and the means to authenticate (a
 * credentials provider for HTTP(S), an SSH session factory with its own known hosts check). Also
 * turns JGit's transport errors into Convoy's exception family, with secrets masked.
 */
final class RemoteAccess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteAccess.class);
  // user:password@ in any URL-like text; a user name alone is not secret and stays.
  private static final Pattern USERINFO = Pattern.compile("(?<=//)([^/@\\s:]*):[^/@\\s]*@");

  enum Scheme {
    FILE,
    GIT,
    HTTP,
    SSH
  }

  private final URIish uri;
  private final Scheme scheme;
  private final int timeoutSeconds;
  private final AskedCredentials credentialsProvider;
  private final SshdSessionFactory sshSessionFactory;
  private final KnownHostsCheck knownHostsCheck;
  private final List<String> secrets;

  private RemoteAccess(
      URIish uri,
      Scheme scheme,
      int timeoutSeconds,
      AskedCredentials credentialsProvider,
      SshdSessionFactory sshSessionFactory,
      KnownHostsCheck knownHostsCheck,
      List<String> secrets) {
    this.uri = uri;
    this.scheme = scheme;
    this.timeoutSeconds = timeoutSeconds;
    this.credentialsProvider = credentialsProvider;
    this.sshSessionFactory = sshSessionFactory;
    this.knownHostsCheck = knownHostsCheck;
    this.secrets = secrets;
  }

  /**
   * Parses the URL, moves any credentials out of it and prepares the authentication the scheme
   * needs.
   */
  static RemoteAccess open(String url, Credentials credentials, Duration timeout)
      throws InvalidConfigurationException {
    URIish parsed;
    try {
      parsed = new URIish(url);
    } catch (URISyntaxException e) {
      // The URL may hold a password: never echo it unmasked.
      throw new InvalidConfigurationException(
          "not a git URL: " + USERINFO.matcher(url).replaceAll("$1:***@"));
    }
    Scheme scheme = schemeOf(parsed);
    List<String> secrets = new ArrayList<>();
    if (parsed.getPass() != null) {
      secrets.add(parsed.getPass());
    }
    if (scheme == Scheme.HTTP
        && credentials instanceof Credentials.None
        && parsed.getUser() != null
        && parsed.getPass() != null) {
      // https://user:token@host/repo: honour it, but keep it out of .git/config.
      credentials = Credentials.usernamePassword(parsed.getUser(), Secret.of(parsed.getPass()));
    }
    URIish stripped =
        scheme == Scheme.SSH ? parsed.setPass(null) : parsed.setUser(null).setPass(null);
    int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));

    // Java 17 has no pattern matching for switch; the sealed interface is matched by hand.
    if (credentials instanceof Credentials.UsernamePassword up) {
      if (scheme != Scheme.HTTP) {
        throw new InvalidConfigurationException(
            "user name and password work only for http(s) remotes, not " + stripped);
      }
      String password = up.password().reveal();
      secrets.add(password);
      return new RemoteAccess(
          stripped,
          scheme,
          seconds,
          new AskedCredentials(new UsernamePasswordCredentialsProvider(up.username(), password)),
          null,
          null,
          secrets);
    }
    if (credentials instanceof Credentials.SshKey key) {
      if (scheme != Scheme.SSH) {
        throw new InvalidConfigurationException(
            "an SSH key works only for ssh remotes, not " + stripped);
      }
      KnownHostsCheck check = new KnownHostsCheck(key);
      return new RemoteAccess(
          stripped, scheme, seconds, null, sshFactory(key, check), check, secrets);
    }
    if (scheme == Scheme.SSH) {
      throw new InvalidConfigurationException(
          "the SSH remote " + stripped + " needs an SSH key (Credentials.sshKey)");
    }
    // Anonymous HTTP still answers a 401 through a provider, so the failure reads as refused
    // credentials rather than as a network problem.
    AskedCredentials anonymous = scheme == Scheme.HTTP ? new AskedCredentials(null) : null;
    return new RemoteAccess(stripped, scheme, seconds, anonymous, null, null, secrets);
  }

  private static Scheme schemeOf(URIish uri) throws InvalidConfigurationException {
    String s = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (s == null) {
      return uri.getHost() == null ? Scheme.FILE : Scheme.SSH;
    }
    return switch (s) {
      case "file" -> Scheme.FILE;
      case "git" -> Scheme.GIT;
      case "http", "https" -> Scheme.HTTP;
      case "ssh", "git+ssh", "ssh+git" -> Scheme.SSH;
      default -> throw new InvalidConfigurationException("unsupported git URL scheme: " + s);
    };
  }

  private static SshdSessionFactory sshFactory(Credentials.SshKey key, KnownHostsCheck check) {
    if (!key.strictHostKeyChecking()) {
      LOG.warn(
          "SSH host key checking is OFF: any server key is accepted, so a man in the middle can"
              + " read and change what Convoy fetches and pushes");
    }
    Path keyFile = key.privateKey().toAbsolutePath();
    // Home and .ssh point at the key's folder: nothing of the real ~/.ssh is read.
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(keyFile.getParent().toFile())
        .setSshDirectory(keyFile.getParent().toFile())
        // Only what Convoy was given: no ~/.ssh/config, no ~/.ssh/id_*, no agent.
        .setConfigStoreFactory((home, config, user) -> null)
        .setDefaultIdentities(dir -> List.of(keyFile))
        .setDefaultKnownHostsFiles(
            dir -> key.knownHosts() == null ? List.of() : List.of(key.knownHosts()))
        .setServerKeyDatabase((home, dir) -> check)
        .setPreferredAuthentications("publickey")
        .build(null);
  }

  URIish uri() {
    return uri;
  }

  Scheme scheme() {
    return scheme;
  }

  /** Applies authentication and timeout to a transport opened on {@link #uri()}. */
  void configure(Transport transport) {
    transport.setTimeout(timeoutSeconds);
    if (credentialsProvider != null) {
      credentialsProvider.reset();
      transport.setCredentialsProvider(credentialsProvider);
    }
    if (sshSessionFactory != null && transport instanceof SshTransport ssh) {
      ssh.setSshSessionFactory(sshSessionFactory);
    }
  }

  /** Masks every known secret in a text that may end up in a message or a log. */
  String redact(String text) {
    if (text == null) {
      return "";
    }
    String result = USERINFO.matcher(text).replaceAll("$1:***@");
    for (String secret : secrets) {
      result = result.replace(secret, "***");
    }
    return result;
  }

  /**
   * Maps a transport failure during {@code operation} ("fetch", "push") to Convoy's exception
   * family, with a message that names the remote and a hint. Classified by what happened (the
   * exception types in the cause chain, SSH disconnect codes, whether the server asked for
   * credentials), never by words in the message: the message holds the URL, and a repository named
   * {@code team-403} must not read as "forbidden".
   */
  GitSyncException classify(String operation, Exception failure) {
    // One line: the CLI prints the message as is.
    String detail = redact(describe(failure)).replaceAll("\\s*\\R\\s*", "; ").strip();
    String where = operation + " " + uri + " failed: ";
    if (knownHostsCheck != null && knownHostsCheck.rejection() != null) {
      return new UnknownHostKeyException(
          where
              + knownHostsCheck.rejection()
              + "; check the fingerprint and add the key to the known hosts file",
          failure);
    }
    if (causeOf(failure, NoRemoteRepositoryException.class) != null
        || causeOf(failure, RemoteRepositoryException.class) != null) {
      // 404 over HTTP, "not found" from a local path or sshd's git, an ERR line from git daemon.
      return new RemoteNotFoundException(where + "no such repository (" + detail + ")", failure);
    }
    if (deniedAuthentication(failure)) {
      return new AuthenticationFailedException(
          where + "the server refused the credentials (" + detail + ")", failure);
    }
    return new NetworkFailureException(where + detail, failure);
  }

  /**
   * Whether the server turned the client away at authentication: over SSH it ran out of methods to
   * try (disconnect code 14), over HTTP it asked for credentials (a 401) and the request failed all
   * the same. A refused connection or an unknown host never gets that far.
   */
  private boolean deniedAuthentication(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SshException ssh
          && ssh.getDisconnectCode()
              == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return credentialsProvider != null
        && credentialsProvider.asked()
        && causeOf(failure, java.net.SocketException.class) == null
        && causeOf(failure, java.net.UnknownHostException.class) == null
        && causeOf(failure, java.net.SocketTimeoutException.class) == null;
  }

  private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < 20; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String describe(Throwable failure) {
    // JGit's top message is often just "<uri>: <short>"; the root cause says why.
    StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    Throwable cause = failure.getCause();
    int depth = 0;
    while (cause != null && depth++ < 5) {
      String message = cause.getMessage();
      if (message != null && !text.toString().contains(message)) {
        text.append(": ").append(message);
      } else if (message != null
          && !(cause instanceof org.eclipse.jgit.errors.TransportException)) {
        // e.g. UnknownHostException whose message is only the host name, already in the URL
        text.append(": ").append(cause.getClass().getSimpleName()).append(' ').append(message);
      }
      cause = cause.getCause();
    }
    return text.toString();
  }

  @Override
  public void close() {
    if (sshSessionFactory != null) {
      sshSessionFactory.close();
    }
  }

  /**
   * Hands JGit the configured user name and password (or nothing, for an anonymous remote) and
   * remembers whether the server asked for them, which is how a 401 shows up in a failure.
   */
  static final class AskedCredentials extends CredentialsProvider {
    private final CredentialsProvider delegate;
    private volatile boolean asked;

    AskedCredentials(CredentialsProvider delegate) {
      this.delegate = delegate;
    }

    boolean asked() {
      return asked;
    }

    void reset() {
      asked = false;
    }

    @Override
    public boolean isInteractive() {
      return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
      return delegate == null || delegate.supports(items);
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) {
      asked = true;
      return delegate != null && delegate.get(uri, items);
    }
  }

  /**
   * Checks server keys against the configured known hosts file only, and remembers a rejection so
   * that the failure can be reported as {@link UnknownHostKeyException} instead of as a generic SSH
   * error.
   */
  static final class KnownHostsCheck implements ServerKeyDatabase {
    private final Credentials.SshKey key;
    private final ServerKeyDatabase knownHosts;
    private volatile String rejection;

    KnownHostsCheck(Credentials.SshKey key) {
      this.key = key;
      this.knownHosts =
          key.knownHosts() == null
              ? null
              : new OpenSshServerKeyDatabase(false, List.of(key.knownHosts()));
    }

    String rejection() {
      return rejection;
    }

    @Override
    public List<PublicKey> lookup(
        String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
      return knownHosts == null
          ? List.of()
          : knownHosts.lookup(connectAddress, remoteAddress, strict(config));
    }

    @Override
    public boolean accept(
        String connectAddress,
        InetSocketAddress remoteAddress,
        PublicKey serverKey,
        Configuration config,
        CredentialsProvider provider) {
      if (!key.strictHostKeyChecking()) {
        return true;
      }
      boolean known =
          knownHosts.accept(connectAddress, remoteAddress, serverKey, strict(config), null);
      if (!known) {
        rejection =
            "the host key of "
                + connectAddress
                + " ("
                + KeyUtils.getFingerPrint(serverKey)
                + ") is not listed in "
                + key.knownHosts()
                + ", or differs from the listed key";
      }
      return known;
    }

    // Never ask, never add: a CronJob has no one to ask, and known_hosts is read-only config.
    private Configuration strict(Configuration config) {
      List<String> files = List.of(key.knownHosts().toString());
      return new Configuration() {
        @Override
        public List<String> getUserKnownHostsFiles() {
          return files;
        }

        @Override
        public List<String> getGlobalKnownHostsFiles() {
          return List.of();
        }

        @Override
        public StrictHostKeyChecking getStrictHostKeyChecking() {
          return StrictHostKeyChecking.REQUIRE_MATCH;
        }

        @Override
        public boolean getHashKnownHosts() {
          return false;
        }

        @Override
        public String getUsername() {
          return config.getUsername();
        }
      };
    }
  }
}

package dev.convoy.git.testing;

import dev.convoy.git.Credentials;
import dev.convoy.git.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.util.FS;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real git servers on 127.0.0.1 and free ports, in a temp folder, for integration tests: {@code git
 * daemon} with receive-pack, {@code git http-backend} behind lighttpd with basic auth, and OpenSSH
 * {@code sshd} with key auth and a generated host key. Each server starts on first use and all stop
 * after the test class.
 *
 * <pre>{@code
 * @RegisterExtension static final GitServers SERVERS = new GitServers();
 *
 * GitServers.Repo repo = SERVERS.createRepo("config", Map.of("manifests/a.yaml", "kind: Pod\n"));
 * String url = SERVERS.uri(Protocol.HTTP, repo);
 * Credentials credentials = SERVERS.credentials(Protocol.HTTP);
 * }</pre>
 *
 * <p>Needs git, lighttpd and openssh-server ({@code .ci/install-test-deps.sh}). Works as root (sshd
 * is configured for it) and as an ordinary user.
 */
public final class GitServers implements BeforeAllCallback, AfterAllCallback {
  /** The transports the servers speak. */
  public enum Protocol {
    FILE,
    GIT,
    HTTP,
    SSH
  }

  /** A bare repository served by every server. */
  public record Repo(String name, Path path) {}

  private static final String HTTP_USER = "convoy-test";

  private Path root;
  private Path repos;
  private final List<Process> processes = new ArrayList<>();
  private int daemonPort;
  private int httpPort;
  private int sshPort;
  private String httpPassword;
  private Path clientKey;
  private Path knownHosts;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    // JGit probes file timestamp resolution (about 3 s per file store) on first use; tests do
    // not need the answer synchronously.
    FS.FileStoreAttributes.setBackground(true);
    root = Files.createTempDirectory("convoy-git-servers-").toRealPath();
    repos = Files.createDirectories(root.resolve("repos"));
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) throws IOException {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    deleteRecursively(root);
  }

  /** The temp folder everything lives in. */
  public Path root() {
    return root;
  }

  /** A new empty folder under {@link #root()}, e.g. for a work folder or a human's clone. */
  public Path newFolder(String prefix) throws IOException {
    return Files.createTempDirectory(root, prefix);
  }

  /**
   * Creates a bare repository whose {@code main} branch has one commit with the given files (path
   * to UTF-8 content).
   */
  public Repo createRepo(String name, Map<String, String> files) throws Exception {
    Path seed = newFolder("seed-");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path target = seed.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
    }
    return createRepo(name, seed);
  }

  /** Creates a bare repository whose {@code main} branch has one commit with a seed folder. */
  public Repo createRepo(String name, Path seedFolder) throws Exception {
    Path work = newFolder("seed-work-");
    copyRecursively(seedFolder, work);
    PersonIdent seeder = new PersonIdent("seed", "seed@example.invalid");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setAuthor(seeder).setCommitter(seeder).setMessage("seed").setSign(false).call();
    }
    Path bare = repos.resolve(name + ".git");
    try (Git git =
        Git.cloneRepository()
            .setBare(true)
            .setURI(work.toUri().toString())
            .setDirectory(bare.toFile())
            .call()) {
      StoredConfig config = git.getRepository().getConfig();
      config.setBoolean("http", null, "receivepack", true);
      config.unsetSection("remote", "origin");
      config.save();
    }
    return new Repo(name, bare);
  }

  /**
   * Installs a server-side hook (for example {@code pre-receive}) into a served repository; every
   * server runs it, and so does a {@code file://} push through git's own receive-pack.
   */
  public Path installHook(Repo repo, String name, String script) throws IOException {
    Path hook = Files.createDirectories(repo.path().resolve("hooks")).resolve(name);
    Files.writeString(hook, script, StandardCharsets.UTF_8);
    hook.toFile().setExecutable(true, false);
    return hook;
  }

  /** The URL of a repository over a transport; starts the server on first use. */
  public synchronized String uri(Protocol protocol, Repo repo) throws IOException {
    return switch (protocol) {
      case FILE -> repo.path().toUri().toString();
      case GIT -> "git://127.0.0.1:" + gitDaemonPort() + "/" + repo.name() + ".git";
      case HTTP -> "http://127.0.0.1:" + httpPort() + "/git/" + repo.name() + ".git";
      case SSH -> "ssh://" + sshUser() + "@127.0.0.1:" + sshPort() + repo.path();
    };
  }

  /** The credentials the server of a transport accepts; starts the server on first use. */
  public synchronized Credentials credentials(Protocol protocol) throws IOException {
    return switch (protocol) {
      case FILE, GIT -> Credentials.none();
      case HTTP -> Credentials.usernamePassword(httpUser(), Secret.of(httpPassword()));
      case SSH -> {
        sshPort();
        yield Credentials.sshKey(clientKey, knownHosts);
      }
    };
  }

  /** The basic-auth user name of the HTTP server. */
  public String httpUser() {
    return HTTP_USER;
  }

  /** The basic-auth password of the HTTP server (random per run). */
  public synchronized String httpPassword() throws IOException {
    httpPort();
    return httpPassword;
  }

  /** The SSH client's private key (authorized on the SSH server). */
  public synchronized Path sshClientKey() throws IOException {
    sshPort();
    return clientKey;
  }

  /** A known_hosts file listing the SSH server's host key. */
  public synchronized Path sshKnownHosts() throws IOException {
    sshPort();
    return knownHosts;
  }

  /** The SSH server's port. */
  public synchronized int sshPort() throws IOException {
    if (sshPort == 0) {
      startSshd();
    }
    return sshPort;
  }

  /** The git daemon's port. */
  public synchronized int gitDaemonPort() throws IOException {
    if (daemonPort == 0) {
      int port = freePort();
      start(
          "git-daemon",
          port,
          List.of(
              "git",
              "daemon",
              "--reuseaddr",
              "--listen=127.0.0.1",
              "--port=" + port,
              "--base-path=" + repos,
              "--export-all",
              "--enable=receive-pack",
              "--informative-errors",
              repos.toString()));
      daemonPort = port;
    }
    return daemonPort;
  }

  /** The HTTP server's port. */
  public synchronized int httpPort() throws IOException {
    if (httpPort == 0) {
      startHttp();
    }
    return httpPort;
  }

  private void startHttp() throws IOException {
    Path dir = Files.createDirectories(root.resolve("http"));
    Files.createDirectories(dir.resolve("www"));
    String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    Path users = dir.resolve("users");
    Files.writeString(users, HTTP_USER + ":" + password + "\n");
    String backend = execPath() + "/git-http-backend";
    int port = freePort();
    Path conf = dir.resolve("lighttpd.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "server.modules = (\"mod_alias\", \"mod_auth\", \"mod_authn_file\", \"mod_setenv\","
                + " \"mod_cgi\")",
            "server.document-root = \"" + dir.resolve("www") + "\"",
            "server.bind = \"127.0.0.1\"",
            "server.port = " + port,
            "server.errorlog = \"" + dir.resolve("error.log") + "\"",
            "alias.url = (\"/git\" => \"" + backend + "\")",
            "$HTTP[\"url\"] =~ \"^/git\" {",
            "  cgi.assign = (\"\" => \"\")",
            "  setenv.add-environment = (\"GIT_PROJECT_ROOT\" => \""
                + repos
                + "\","
                + " \"GIT_HTTP_EXPORT_ALL\" => \"1\")",
            "}",
            "auth.backend = \"plain\"",
            "auth.backend.plain.userfile = \"" + users + "\"",
            "auth.require = (\"/git\" => (\"method\" => \"basic\", \"realm\" => \"git\","
                + " \"require\" => \"valid-user\"))",
            ""));
    start(
        "lighttpd",
        port,
        List.of(binary("lighttpd", "/usr/sbin/lighttpd"), "-D", "-f", conf.toString()));
    httpPassword = password;
    httpPort = port;
  }

  private void startSshd() throws IOException {
    Path dir = Files.createDirectories(root.resolve("ssh"));
    Path hostKey = dir.resolve("host_key");
    Path client = dir.resolve("client_key");
    // ECDSA: generated in milliseconds and supported by the JDK without extra providers.
    run(
        List.of(
            "ssh-keygen",
            "-q",
            "-t",
            "ecdsa",
            "-b",
            "256",
            "-N",
            "",
            "-C",
            "host",
            "-f",
            hostKey.toString()));
    run(
        List.of(
            "ssh-keygen",
            "-q",
            "-t",
            "ecdsa",
            "-b",
            "256",
            "-N",
            "",
            "-C",
            "client",
            "-f",
            client.toString()));
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    int port = freePort();
    String[] hostPub = Files.readString(dir.resolve("host_key.pub")).trim().split(" ");
    Path known = dir.resolve("known_hosts");
    Files.writeString(known, "[127.0.0.1]:" + port + " " + hostPub[0] + " " + hostPub[1] + "\n");
    Path conf = dir.resolve("sshd_config");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + hostKey,
            "PidFile " + dir.resolve("sshd.pid"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            // Tests run as root in CI; StrictModes would reject keys in a world-readable /tmp.
            "PermitRootLogin prohibit-password",
            "StrictModes no",
            "UsePAM no",
            "LogLevel ERROR",
            ""));
    Path privsep = Path.of("/run/sshd");
    if (isRoot() && !Files.isDirectory(privsep)) {
      Files.createDirectories(privsep);
    }
    // sshd re-executes itself and insists on an absolute path.
    start(
        "sshd", port, List.of(binary("sshd", "/usr/sbin/sshd"), "-D", "-e", "-f", conf.toString()));
    clientKey = client;
    knownHosts = known;
    sshPort = port;
  }

  private String sshUser() {
    return System.getProperty("user.name");
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static String binary(String name, String path) {
    if (!Files.isExecutable(Path.of(path))) {
      throw new IllegalStateException(
          name + " not found at " + path + "; run .ci/install-test-deps.sh (as root)");
    }
    return path;
  }

  private String execPath() throws IOException {
    Process process = new ProcessBuilder("git", "--exec-path").redirectErrorStream(true).start();
    String path =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    waitFor(process);
    return path;
  }

  private void run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (waitFor(process) != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }

  private static int waitFor(Process process) throws IOException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void start(String name, int port, List<String> command) throws IOException {
    Path log = root.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    // Keep the servers away from the developer's git config.
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("HOME", root.toString());
    Process process = builder.start();
    processes.add(process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            name + " exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(20);
      }
    }
    throw new IOException(name + " did not listen on port " + port + ": " + Files.readString(log));
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void copyRecursively(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isSymbolicLink(source)) {
          // Seeds may hold symlinks on purpose (hostile repos): commit the link, not its target.
          Files.copy(source, target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } else if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  // Best effort, a few passes: JGit's background timestamp probe may still write in a folder.
  private static void deleteRecursively(Path dir) {
    for (int pass = 0; pass < 5 && dir != null && Files.exists(dir); pass++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // retry
      }
    }
  }
}

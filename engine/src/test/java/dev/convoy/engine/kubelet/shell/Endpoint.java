package dev.convoy.engine.kubelet.shell;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A container's ready endpoint on 127.0.0.1 at a dynamic port, standing in for the port its probe
 * names: an HTTP server that answers 200 while {@code up} holds and 503 otherwise (or never
 * answers, {@link #hang}), or a TCP port that accepts connections only while {@code up} holds.
 */
final class Endpoint implements AutoCloseable {
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "endpoint");
            t.setDaemon(true);
            return t;
          });
  private final int port;
  private final HttpServer http;
  private volatile ServerSocket tcp;
  private volatile boolean closed;
  private volatile long firstUpMillis = -1;
  private final long t0;

  private Endpoint(int port, HttpServer http, long t0) {
    this.port = port;
    this.http = http;
    this.t0 = t0;
  }

  /**
   * @param requiredHeader {@code Name: value} a request must carry to be answered 200, or null
   * @param hang accept requests and never answer them
   */
  static Endpoint http(BooleanSupplier up, String requiredHeader, boolean hang, long t0) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      Endpoint e = new Endpoint(server.getAddress().getPort(), server, t0);
      server.setExecutor(e.threads);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              if (hang) {
                sleepQuietly(60_000);
                return;
              }
              boolean headerOk = true;
              if (requiredHeader != null) {
                String[] nv = requiredHeader.split(":\\s*", 2);
                headerOk = nv[1].equals(exchange.getRequestHeaders().getFirst(nv[0]));
              }
              int status = up.getAsBoolean() && headerOk ? 200 : 503;
              if (status == 200 && e.firstUpMillis < 0) {
                e.firstUpMillis = (System.nanoTime() - t0) / 1_000_000;
              }
              exchange.sendResponseHeaders(status, -1);
            }
          });
      server.start();
      return e;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** A TCP port that is open while {@code up} holds (connections are refused otherwise). */
  static Endpoint tcp(BooleanSupplier up, long t0) {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    Endpoint e = new Endpoint(port, null, t0);
    e.threads.execute(() -> e.followUp(up));
    return e;
  }

  private void followUp(BooleanSupplier up) {
    while (!closed) {
      boolean want = up.getAsBoolean();
      try {
        if (want && tcp == null) {
          ServerSocket s = new ServerSocket();
          s.setReuseAddress(true);
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
          tcp = s;
          if (firstUpMillis < 0) {
            firstUpMillis = (System.nanoTime() - t0) / 1_000_000;
          }
          threads.execute(() -> accept(s));
        } else if (!want && tcp != null) {
          tcp.close();
          tcp = null;
        }
      } catch (IOException ex) {
        // the port is briefly unavailable; try again on the next round
      }
      sleepQuietly(50);
    }
  }

  private static void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        holdOpen(s.accept());
      } catch (IOException ex) {
        return;
      }
    }
  }

  int port() {
    return port;
  }

  /**
   * When the endpoint first answered as ready, in milliseconds since the pod's start; -1 if never.
   */
  long firstUpMillis() {
    return firstUpMillis;
  }

  @Override
  public void close() {
    closed = true;
    if (http != null) {
      http.stop(0);
    }
    ServerSocket s = tcp;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    threads.shutdownNow();
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Like a silent server (a database waiting for a client greeting): open for a while. */
  private static void holdOpen(Socket c) {
    Thread t =
        new Thread(
            () -> {
              sleepQuietly(5_000);
              try {
                c.close();
              } catch (IOException ignored) {
                // closing anyway
              }
            });
    t.setDaemon(true);
    t.start();
  }
}

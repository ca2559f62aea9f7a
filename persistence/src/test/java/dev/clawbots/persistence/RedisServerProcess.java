package dev.clawbots.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A {@code redis-server} of a test's own: a child process on a loopback port, with nothing saved to
 * disk, that the test can kill, restart on the same port (empty, as after a crash without
 * persistence), or freeze (alive, connections open, answering nothing), to see what the server does
 * without Redis. The machine's shared Redis is never touched.
 *
 * <p>Each start waits until the server answers PING, within {@link #READY_WITHIN}. The binary is
 * {@code $REDIS_SERVER}, or {@value #DEFAULT_BINARY}. Its log is {@code redis.log} in a temporary
 * directory, quoted when it fails to start. Close it in {@code @AfterEach} or {@code @AfterAll}; a
 * shutdown hook kills it too if the JVM exits first.
 *
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.start()) {
 *   RedisLink link = RedisLink.open(redis.url(), settings);
 *   redis.stop();    // Redis is gone
 *   redis.restart(); // and back, empty, on the same port
 * }
 * }</pre>
 */
public final class RedisServerProcess implements AutoCloseable {

  static final String DEFAULT_BINARY = "/usr/bin/redis-server";

  /** How long a start may take until the server answers PING. */
  static final Duration READY_WITHIN = Duration.ofSeconds(10);

  private final String binary;
  private final int port;
  private final Path dir;
  private final Thread killOnExit;
  private Process process;

  private RedisServerProcess(int port) throws IOException {
    this.binary =
        System.getenv("REDIS_SERVER") == null ? DEFAULT_BINARY : System.getenv("REDIS_SERVER");
    this.port = port;
    this.dir = Files.createTempDirectory("redis-server-" + port + "-");
    this.killOnExit = new Thread(this::kill, "kill-redis-server-" + port);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts a server on a free loopback port. */
  public static RedisServerProcess start() throws IOException {
    return start(TestCluster.freePort());
  }

  /** Starts a server on {@code port} of 127.0.0.1 and waits until it answers. */
  public static RedisServerProcess start(int port) throws IOException {
    RedisServerProcess server = new RedisServerProcess(port);
    try {
      server.launch();
    } catch (RuntimeException | IOException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public int port() {
    return port;
  }

  /** The URL to connect to it, {@code redis://127.0.0.1:port}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Kills the server (SIGKILL, as a crash: nothing is flushed, clients see their connections reset)
   * and waits until it has exited. Does nothing when it is not running.
   */
  public void stop() {
    kill();
  }

  /** Starts the server again on the same port, empty, and waits until it answers. */
  public void restart() throws IOException {
    if (isRunning()) {
      throw new IllegalStateException("redis-server on port " + port + " is still running");
    }
    launch();
  }

  /**
   * Suspends the server (SIGSTOP): it keeps its port and its clients' connections but answers
   * nothing, as a Redis that hangs. {@link #thaw} resumes it.
   */
  public void freeze() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /** Resumes a frozen server (SIGCONT). */
  public void thaw() throws IOException, InterruptedException {
    signal("-CONT");
  }

  /** Kills the server if it runs and deletes its directory. */
  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException exiting) {
      // The JVM is shutting down: the hook runs anyway.
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temporary directory left behind is harmless.
    }
  }

  private void launch() throws IOException {
    process =
        new ProcessBuilder(
                List.of(
                    binary,
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    dir.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
            .start();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String why =
            process.isAlive()
                ? "did not answer PING within " + READY_WITHIN
                : "exited with " + process.exitValue();
        kill();
        throw new IllegalStateException(
            "redis-server on port " + port + " " + why + "; its log:\n" + log());
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  /** One PING on a connection of its own, inline protocol; false on any failure. */
  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  private void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (p.isAlive()) {
      p.destroyForcibly();
    }
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server on port " + port + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void signal(String signal) throws IOException, InterruptedException {
    if (!isRunning()) {
      throw new IllegalStateException("redis-server on port " + port + " is not running");
    }
    Process kill =
        new ProcessBuilder("kill", signal, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
    }
  }

  private String log() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}

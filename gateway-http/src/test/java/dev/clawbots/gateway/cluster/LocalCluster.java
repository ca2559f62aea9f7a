package dev.clawbots.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawbots.persistence.TestWait;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The nodes of {@code deploy/local-cluster.sh}, driven through the script itself: started, stopped
 * with SIGTERM, killed with SIGKILL, asked over HTTP. Each instance has a directory, ports and
 * environment of its own; {@link #close()} stops every node it started, and a JVM shutdown hook
 * kills whatever is left should the test's JVM be stopped first.
 */
final class LocalCluster implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SCRIPT_DEADLINE = Duration.ofMinutes(4);

  private final Path root;
  private final Path dir;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final int httpBase;
  private final int remoteBase;
  private final int managementBase;
  private final Thread reaper = new Thread(this::killAll, "local-cluster-reaper");
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * A cluster in {@code dir}, on the shared PostgreSQL database at {@code databaseUrl} and the
   * shared Redis under {@code redisPrefix}, with {@code javaOptions} added to every node's JVM.
   */
  LocalCluster(Path dir, String databaseUrl, String redisPrefix, String javaOptions) {
    this.root = Path.of("..").toAbsolutePath().normalize();
    this.dir = dir;
    this.httpBase = freeRun(3);
    this.remoteBase = freeRun(3);
    env.put("CLUSTER_DIR", dir.toString());
    env.put("HTTP_BASE", Integer.toString(httpBase));
    env.put("REMOTE_BASE", Integer.toString(remoteBase));
    this.managementBase = freeRun(3);
    env.put("MANAGEMENT_BASE", Integer.toString(managementBase));
    env.put("DATABASE_URL", databaseUrl);
    env.put("REDIS_URL", "redis://127.0.0.1:6379");
    env.put("REDIS_PREFIX", redisPrefix);
    env.put("NODE_HEAP", "384m");
    env.put("NODE_JAVA_OPTS", javaOptions);
    // The services are the test suite's (deploy/dev-services.sh before ./mvnw verify).
    env.put("DEV_SERVICES", "0");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Runs {@code deploy/local-cluster.sh args...}; returns its output, fails unless it exits 0. */
  String script(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("deploy/local-cluster.sh").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    // The script's output is small; read it whole, then wait with a deadline.
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(SCRIPT_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("local-cluster.sh " + String.join(" ", args) + " hung: " + output);
    }
    assertThat(process.exitValue())
        .as("local-cluster.sh %s said:%n%s", String.join(" ", args), output)
        .isZero();
    return output;
  }

  int httpPort(int node) {
    return httpBase + node - 1;
  }

  String clusterAddress(int node) {
    return "pekko://clawbots@127.0.0.1:" + (remoteBase + node - 1);
  }

  URI uri(int node, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + httpPort(node) + pathAndQuery);
  }

  JsonNode get(int node, String path) throws IOException, InterruptedException {
    return get(uri(node, path));
  }

  /** The cluster as node {@code node}'s Pekko Management sees it: GET /cluster/members. */
  JsonNode members(int node) throws IOException, InterruptedException {
    return get(URI.create("http://127.0.0.1:" + (managementBase + node - 1) + "/cluster/members"));
  }

  private JsonNode get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("GET " + uri + ": " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  JsonNode post(int node, String path, String body) throws IOException, InterruptedException {
    return post(node, path, body, null);
  }

  /** POSTs {@code body}, with {@code token} as a Bearer token unless it is null. */
  JsonNode post(int node, String path, String body, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(node, path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }

  /**
   * The world's region ids, asked of node 1 until it answers: the first time, that starts every
   * region, which on a cluster just formed may take longer than one request's timeout.
   */
  List<String> regions() {
    List<String> ids = new ArrayList<>();
    TestWait.until(
        Duration.ofSeconds(60),
        () -> {
          ids.clear();
          try {
            get(1, "/v1/regions").forEach(r -> ids.add(r.get("region_id").asText()));
            return true;
          } catch (IOException slow) {
            return false;
          }
        });
    return ids;
  }

  /** The regions node {@code node} hosts now, from its {@code /health/full}. */
  Set<String> hostedBy(int node) throws IOException, InterruptedException {
    Set<String> ids = new TreeSet<>();
    get(node, "/health/full").path("hosted_regions").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  /** The pid the script recorded for {@code node}, or -1. */
  long pid(int node) {
    try {
      return Long.parseLong(Files.readString(dir.resolve("node-" + node + "/pid")).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  Path log(int node) {
    return dir.resolve("node-" + node + "/server.log");
  }

  /** Stops every node with the script (SIGTERM), and kills any it could not stop. */
  @Override
  public void close() {
    try {
      script("stop");
    } catch (Exception | AssertionError e) {
      System.err.println("LocalCluster: stop failed, killing the nodes: " + e);
    } finally {
      killAll();
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: it kills what is left.
      }
    }
  }

  private void killAll() {
    for (int node = 1; node <= 9; node++) {
      // Only a server started from this cluster's directory: a stale pid may be someone else's.
      ProcessHandle.of(pid(node))
          .filter(p -> p.info().commandLine().orElse("").contains("gateway-http"))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** The first of {@code n} consecutive ports that are all free now, chosen at random. */
  private static int freeRun(int n) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (int p = base; p < base + n && free; p++) {
        try (ServerSocket s = new ServerSocket(p)) {
          s.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no run of " + n + " free ports");
  }
}

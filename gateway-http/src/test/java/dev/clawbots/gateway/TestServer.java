package dev.clawbots.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A whole server started for a test on free ports (HTTP and cluster), and an HTTP client for it.
 * The embedded defaults put H2 in {@code dataDir}; {@code overrides} may point it elsewhere.
 */
final class TestServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  final Server server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Server server) {
    this.server = server;
  }

  static TestServer start(Path dataDir, String overrides) throws Exception {
    int clusterPort = freePort();
    Config config =
        ConfigFactory.load(
            ConfigFactory.parseString(overrides)
                .withFallback(
                    ConfigFactory.parseString(
                        "pekko.loglevel = WARNING\n"
                            + "pekko.remote.artery.canonical.port = "
                            + clusterPort
                            + "\npekko.cluster.seed-nodes = [\"pekko://clawbots@127.0.0.1:"
                            + clusterPort
                            + "\"]\n"
                            + "pekko.coordinated-shutdown.exit-jvm = off\n"
                            + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                            + "clawbots.http.host = \"127.0.0.1\"\n"
                            + "clawbots.http.port = 0\n"
                            + "clawbots.redis.url = \"\"\n"
                            + "clawbots.auth.data-dir = \""
                            + dataDir.toAbsolutePath()
                            + "\"\n"
                            + "clawbots.auth.jwt-secret = \"\"\n"
                            // Cheap hashing: the tests check behaviour, not argon2's cost.
                            + "clawbots.auth.api-key-hashing { memory-kib = 64, iterations = 1 }\n"
                            + "clawbots.database.embedded-url = \"jdbc:h2:file:"
                            + dataDir.resolve("clawbots").toAbsolutePath()
                            + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH\"\n"))
                .withFallback(ConfigFactory.parseResources("application.conf")));
    return new TestServer(Server.start(config).toCompletableFuture().get(60, TimeUnit.SECONDS));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Registers an agent; its {@code agent_id}, {@code api_key}, {@code token}, {@code expires_at}.
   */
  JsonNode register(String name) throws Exception {
    HttpResponse<String> response = post("/v1/agents", "{\"name\": \"" + name + "\"}", null);
    if (response.statusCode() != 201) {
      throw new AssertionError(
          "registering " + name + ": " + response.statusCode() + " " + response.body());
    }
    return json(response);
  }

  /** The value of one series in Prometheus text, 0 when it is not there. */
  static double metric(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  @Override
  public void close() throws Exception {
    server.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}

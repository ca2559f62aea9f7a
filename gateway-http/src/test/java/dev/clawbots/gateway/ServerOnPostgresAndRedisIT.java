package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.persistence.RedisServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server on PostgreSQL (a schema of the test's own) and a {@code redis-server} of the
 * test's own, which the test stops and starts again: the server stays up, reports itself degraded
 * while Redis is away and ready when it is back, and keeps registering agents throughout.
 */
class ServerOnPostgresAndRedisIT {

  private static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/clawbots";
  private static final Duration WITHIN = Duration.ofSeconds(20);

  @TempDir Path data;
  private final String schema = "it_server_" + Long.toHexString(System.nanoTime());
  private RedisServerProcess redis;

  @AfterEach
  void dropSchema() throws Exception {
    if (redis != null) {
      redis.close();
    }
    try (Connection c = DriverManager.getConnection(DATABASE, "clawbots", "clawbots");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void staysUpDegradedWhileRedisIsAwayAndReadyWhenItIsBack() throws Exception {
    try (Connection c = DriverManager.getConnection(DATABASE, "clawbots", "clawbots");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    redis = RedisServerProcess.start();
    try (TestServer server =
        TestServer.start(
            data,
            "clawbots.database.url = \""
                + DATABASE
                + "?currentSchema="
                + schema
                + "\"\nclawbots.redis.url = \""
                + redis.url()
                + "\"\nclawbots.redis.prefix = \"it:\"\n")) {
      awaitReady(server, "ready", "ok");
      assertThat(server.register("Ada").get("agent_id").asText()).isNotBlank();

      redis.stop();
      JsonNode degraded = awaitReady(server, "degraded", "down");
      assertThat(degraded.get("db").asText()).isEqualTo("ok");
      // Without Redis, rate limits are counted on the node and revocations checked in the
      // database: registering and signing in go on.
      JsonNode bo = server.register("Bo");
      assertThat(server.post("/v1/auth/revoke", "", bo.get("token").asText()).statusCode())
          .isEqualTo(204);
      assertThat(server.post("/v1/auth/refresh", "", bo.get("token").asText()).statusCode())
          .isEqualTo(401);

      redis.restart();
      awaitReady(server, "ready", "ok");
      // Redis came back empty; the revocation still holds, from the database.
      assertThat(server.post("/v1/auth/refresh", "", bo.get("token").asText()).statusCode())
          .isEqualTo(401);
    }
  }

  private static JsonNode awaitReady(TestServer server, String status, String redis)
      throws Exception {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      HttpResponse<String> response = server.get("/health/ready");
      JsonNode body = TestServer.json(response);
      if (body.get("status").asText().equals(status) && body.get("redis").asText().equals(redis)) {
        assertThat(response.statusCode()).isEqualTo(200);
        return body;
      }
      assertThat(System.nanoTime()).as("health: %s", body).isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }
}

package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.persistence.RedisServerProcess;
import dev.clawbots.persistence.TestWait;
import io.lettuce.core.RedisClient;
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
    try (TestServer server = start("it:")) {
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

  @Test
  void agentsActAndTheirHistoryIsReadBackFromTheReadSide() throws Exception {
    try (TestServer server = start("")) {
      JsonNode ada = server.register("Ada");
      JsonNode bo = server.register("Bo");
      String adaActs = "/v1/agents/" + ada.get("agent_id").asText() + "/actions";
      String boActs = "/v1/agents/" + bo.get("agent_id").asText() + "/actions";
      String adaToken = ada.get("token").asText();
      String boToken = bo.get("token").asText();
      assertThat(
              server
                  .post(
                      boActs,
                      "{\"type\": \"join\", \"region_id\": \"plaza\", \"position\": {\"x\": 12, \"y\": 10, \"z\": 21}}",
                      boToken)
                  .statusCode())
          .isEqualTo(202);
      assertThat(
              server
                  .post(
                      adaActs,
                      "{\"type\": \"join\", \"region_id\": \"plaza\", \"position\": {\"x\": 10, \"y\": 10, \"z\": 21}}",
                      adaToken)
                  .statusCode())
          .isEqualTo(202);
      assertThat(
              server
                  .post(adaActs, "{\"type\": \"speak\", \"text\": \"hello plaza\"}", adaToken)
                  .statusCode())
          .isEqualTo(202);
      HttpResponse<String> whisper =
          server.post(
              adaActs,
              "{\"type\": \"speak\", \"text\": \"just you\", \"to\": \""
                  + bo.get("agent_id").asText()
                  + "\"}",
              adaToken);
      assertThat(whisper.statusCode()).isEqualTo(202);
      long lastSeq = TestServer.json(whisper).get("seq").asLong();

      // Bo heard both; the public history has everything but the private line.
      JsonNode heard =
          TestServer.json(
                  server.get("/v1/agents/" + bo.get("agent_id").asText() + "/perception", boToken))
              .get("heard");
      assertThat(heard).hasSize(2);
      TestWait.until(
          WITHIN,
          () ->
              TestServer.json(server.get("/v1/regions/plaza/events?after_seq=0"))
                      .get("events")
                      .size()
                  >= lastSeq - 1);
      JsonNode events =
          TestServer.json(server.get("/v1/regions/plaza/events?after_seq=0")).get("events");
      assertThat(events.toString()).contains("hello plaza").doesNotContain("just you");
      assertThat(events.get(events.size() - 1).get("seq").asLong()).isEqualTo(lastSeq - 1);
      JsonNode chat = TestServer.json(server.get("/v1/regions/plaza/chat")).get("messages");
      assertThat(chat).hasSize(1);
      assertThat(chat.get(0).get("message").asText()).isEqualTo("hello plaza");
      assertThat(chat.get(0).get("sender_name").asText()).isEqualTo("Ada");

      // The registry's statistics follow from the same events.
      String adaPath = "/v1/agents/" + ada.get("agent_id").asText();
      TestWait.until(
          WITHIN, () -> TestServer.json(server.get(adaPath)).get("message_count").asLong() >= 2);
      ada = TestServer.json(server.get(adaPath));
      assertThat(ada.get("online").asBoolean()).isTrue();
      assertThat(ada.get("region").asText()).isEqualTo("plaza");
      assertThat(ada.has("last_seen")).isTrue();

      // Presence and the world's tick are in Redis for readers outside the cluster.
      String adaId = ada.get("agent_id").asText();
      RedisClient client = RedisClient.create(redis.url());
      try (var c = client.connect()) {
        var sync = c.sync();
        TestWait.until(
            WITHIN, () -> sync.get("session:" + adaId) != null && sync.get("world:tick") != null);
        assertThat(sync.get("session:" + adaId)).contains("\"region_id\":\"plaza\"");
        assertThat(sync.zrange("region:plaza:agents", 0, -1))
            .contains(adaId, bo.get("agent_id").asText());
        assertThat(Long.parseLong(sync.get("world:tick"))).isPositive();
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void agentsOnWebSocketsHearEachOtherThroughRedisAndWhileItIsAway() throws Exception {
    try (TestServer server = start("ws:")) {
      awaitReady(server, "ready", "ok");
      JsonNode ada = server.register("Ada");
      JsonNode bo = server.register("Bo");
      JsonNode cy = server.register("Cy");
      String boId = bo.get("agent_id").asText();
      try (SocketClient a = SocketClient.connect(server, ada.get("token").asText());
          SocketClient b = SocketClient.connect(server, bo.get("token").asText());
          SocketClient c = SocketClient.connect(server, cy.get("token").asText())) {
        join(a, "forest", 100, 100);
        join(b, "forest", 110, 100);
        join(c, "forest", 150, 100);

        // Through Redis (the nodes' feed channel): the neighbour hears, the agent 50 m away not.
        long hello = speak(a, "h1", "{\"type\": \"speak\", \"text\": \"hello\"}");
        b.next(m -> m.path("event").path("seq").asLong() == hello);
        long shout =
            speak(c, "c1", "{\"type\": \"speak\", \"text\": \"far\", \"volume\": \"shout\"}");
        c.next(m -> m.path("event").path("seq").asLong() == shout);
        assertThat(c.seen()).noneMatch(m -> m.path("event").path("seq").asLong() == hello);

        // A private message to an agent in another region.
        b.send("{\"type\": \"join\", \"id\": \"away\", \"region_id\": \"lake\"}");
        assertThat(b.replyTo("away").get("type").asText()).isEqualTo("welcome");
        long psst =
            speak(a, "p1", "{\"type\": \"speak\", \"text\": \"psst\", \"to\": \"" + boId + "\"}");
        JsonNode got = b.next(m -> m.path("event").path("seq").asLong() == psst).get("event");
        assertThat(got.get("region_id").asText()).isEqualTo("forest");
        assertThat(got.get("target_agent").asText()).isEqualTo(boId);

        // Redis away: the cluster's pub/sub carries the feed, and seqs go on without a gap.
        redis.stop();
        awaitReady(server, "degraded", "down");
        b.send(
            "{\"type\": \"join\", \"id\": \"back\", \"region_id\": \"forest\", "
                + "\"position\": {\"x\": 110, \"y\": 100, \"z\": 21}}");
        assertThat(b.replyTo("back").get("type").asText()).isEqualTo("welcome");
        long degraded = speak(a, "h2", "{\"type\": \"speak\", \"text\": \"still here\"}");
        JsonNode heard = b.next(m -> m.path("event").path("seq").asLong() == degraded);
        assertThat(heard.get("event").get("content").get("text").asText()).isEqualTo("still here");
        redis.restart();
        awaitReady(server, "ready", "ok");
        long after = speak(a, "h3", "{\"type\": \"speak\", \"text\": \"and back\"}");
        b.next(m -> m.path("event").path("seq").asLong() == after);
      }
    }
  }

  private static void join(SocketClient socket, String region, double x, double y)
      throws Exception {
    socket.send(
        "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \""
            + region
            + "\", \"perception_hz\": 0, \"position\": {\"x\": "
            + x
            + ", \"y\": "
            + y
            + ", \"z\": 21}}");
    assertThat(socket.replyTo("j").get("type").asText()).isEqualTo("welcome");
  }

  /** Sends {@code message} with {@code id} inserted; the seq of its ack. */
  private static long speak(SocketClient socket, String id, String message) throws Exception {
    socket.send("{\"id\": \"" + id + "\", " + message.substring(1));
    JsonNode ack = socket.replyTo(id);
    assertThat(ack.get("type").asText()).as(ack.toString()).isEqualTo("ack");
    return ack.get("seq").asLong();
  }

  /** A schema of this test's own, a redis-server of its own, and a server on both. */
  private TestServer start(String redisPrefix) throws Exception {
    try (Connection c = DriverManager.getConnection(DATABASE, "clawbots", "clawbots");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    redis = RedisServerProcess.start();
    return TestServer.start(
        data,
        "clawbots.database.url = \""
            + DATABASE
            + "?currentSchema="
            + schema
            + "\"\nclawbots.redis.url = \""
            + redis.url()
            + "\"\nclawbots.redis.prefix = \""
            + redisPrefix
            + "\"\n");
  }

  private static JsonNode awaitReady(TestServer server, String status, String redis) {
    JsonNode[] body = new JsonNode[1];
    TestWait.until(
        WITHIN,
        () -> {
          HttpResponse<String> response = server.get("/health/ready");
          body[0] = TestServer.json(response);
          return response.statusCode() == 200
              && body[0].get("status").asText().equals(status)
              && body[0].get("redis").asText().equals(redis);
        });
    return body[0];
  }
}

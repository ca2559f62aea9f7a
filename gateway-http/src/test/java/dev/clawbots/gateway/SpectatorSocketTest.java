package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.persistence.TestWait;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spectator WebSocket on a whole server: watching, following, prompting, and bad input. */
class SpectatorSocketTest {

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            data,
            "clawbots.rate-limits.registration.limit = 1000\n"
                + "clawbots.rate-limits.actions.limit = 1000\n"
                + "clawbots.rate-limits.websocket-messages.limit = 1000\n"
                + "clawbots.rate-limits.websocket-connections.limit = 1000\n"
                + "clawbots.rate-limits.prompts.limit = 3\n");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  record Agent(String id, String token) {}

  static Agent register(String name, boolean prompts) throws Exception {
    HttpResponse<String> r =
        server.post(
            "/v1/agents",
            "{\"name\": \"" + name + "\", \"prompts_allowed\": " + prompts + "}",
            null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode created = TestServer.json(r);
    return new Agent(created.get("agent_id").asText(), created.get("token").asText());
  }

  static SocketClient agentAt(Agent agent, String region, double x, double y) throws Exception {
    SocketClient socket = SocketClient.connect(server, agent.token());
    socket.send(
        "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \""
            + region
            + "\", \"perception_hz\": 0, \"position\": {\"x\": "
            + x
            + ", \"y\": "
            + y
            + ", \"z\": 21}}");
    assertThat(socket.replyTo("j").get("type").asText()).isEqualTo("welcome");
    return socket;
  }

  static SocketClient spectator(String token) throws Exception {
    String query = token == null ? "" : "?token=" + token;
    return SocketClient.connect(server.http, SocketClient.wsUri(server, "/v1/ws/spectate" + query));
  }

  static String spectatorToken(String name) throws Exception {
    HttpResponse<String> r = server.post("/v1/spectators", "{\"name\": \"" + name + "\"}", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestServer.json(r).get("token").asText();
  }

  static boolean frameWith(JsonNode m, String agentId) {
    if (!"frame".equals(m.path("type").asText())) {
      return false;
    }
    for (JsonNode a : m.get("agents")) {
      if (agentId.equals(a.get("agent_id").asText())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void watchingARegionGivesAFullFrameThenDeltasWithMovesAndChat() throws Exception {
    Agent ann = register("Ann", true);
    Agent ben = register("Ben", true);
    try (SocketClient a = agentAt(ann, "meadow", 50, 50);
        SocketClient b = agentAt(ben, "meadow", 60, 50);
        SocketClient s = spectator(null)) {
      s.send("{\"type\": \"watch\", \"region_id\": \"meadow\"}");
      JsonNode full = s.next(m -> frameWith(m, ann.id()) && frameWith(m, ben.id()));
      assertThat(full.has("delta")).isFalse();
      assertThat(full.get("region_id").asText()).isEqualTo("meadow");
      assertThat(full.get("camera").get("mode").asText()).isEqualTo("watch");
      assertThat(full.get("world_tick").asLong()).isPositive();

      a.send("{\"type\": \"move\", \"id\": \"m\", \"to\": {\"x\": 55, \"y\": 80, \"z\": 21}}");
      a.replyTo("m");
      JsonNode moving =
          s.next(
              m ->
                  m.path("delta").asBoolean()
                      && frameWith(m, ann.id())
                      && m.toString().contains("moving_to"));
      for (JsonNode agent : moving.get("agents")) {
        assertThat(agent.get("agent_id").asText()).isNotEqualTo(ben.id());
      }
      b.send("{\"type\": \"speak\", \"id\": \"t\", \"text\": \"nice day\"}");
      b.replyTo("t");
      JsonNode chat = s.next(m -> m.path("events").toString().contains("nice day")).get("events");
      assertThat(chat.get(0).get("type").asText()).isEqualTo("chat");

      // Private chat is never shown to spectators.
      b.send(
          "{\"type\": \"speak\", \"id\": \"p\", \"text\": \"secret\", \"to\": \""
              + ann.id()
              + "\"}");
      b.replyTo("p");
      b.send("{\"type\": \"speak\", \"id\": \"q\", \"text\": \"public again\"}");
      b.replyTo("q");
      s.next(m -> m.path("events").toString().contains("public again"));
      assertThat(s.seen()).noneMatch(m -> m.toString().contains("secret"));
    }
  }

  @Test
  void aFollowingCameraGoesWithItsAgentAcrossARegionEdge() throws Exception {
    Agent walker = register("Walker", true);
    try (SocketClient w = agentAt(walker, "lake", 250, 100);
        SocketClient s = spectator(null)) {
      s.send("{\"type\": \"follow\", \"agent_id\": \"" + walker.id() + "\"}");
      JsonNode first = s.next(m -> frameWith(m, walker.id()));
      assertThat(first.get("camera").get("mode").asText()).isEqualTo("follow");
      assertThat(first.get("camera").get("center").get("x").asDouble()).isEqualTo(250);

      w.send(
          "{\"type\": \"move\", \"id\": \"go\", \"to\": {\"x\": 290, \"y\": 100, \"z\": 21},"
              + " \"speed\": 10}");
      w.replyTo("go");
      JsonNode there =
          s.next(m -> frameWith(m, walker.id()) && "summit".equals(m.path("region_id").asText()));
      assertThat(there.has("delta")).as("a new region starts with a full frame").isFalse();
      assertThat(there.get("camera").get("mode").asText()).isEqualTo("follow");
    }
  }

  @Test
  void turningTheCameraWithinAQuietRegionGivesAFullFrameAtOnce() throws Exception {
    Agent still = register("Still", true);
    try (SocketClient a = agentAt(still, "library", 40, 40);
        SocketClient s = spectator(null)) {
      s.send("{\"type\": \"watch\", \"region_id\": \"library\"}");
      assertThat(s.next(m -> frameWith(m, still.id())).has("delta")).isFalse();

      // Nothing moves in the region from here on: the frame comes from the turn alone.
      s.send("{\"type\": \"follow\", \"agent_id\": \"" + still.id() + "\"}");
      JsonNode following = s.next(m -> "follow".equals(m.path("camera").path("mode").asText()));
      assertThat(following.has("delta")).isFalse();
      assertThat(following.get("camera").get("agent_id").asText()).isEqualTo(still.id());
      assertThat(frameWith(following, still.id())).isTrue();

      s.send(
          "{\"type\": \"watch\", \"region_id\": \"library\", \"radius\": 10,"
              + " \"center\": {\"x\": 200, \"y\": 200, \"z\": 0}}");
      JsonNode empty =
          s.next(
              m ->
                  "frame".equals(m.path("type").asText())
                      && m.path("camera").path("radius").asDouble() == 10);
      assertThat(empty.has("delta")).isFalse();
      assertThat(empty.get("agents")).isEmpty();
    }
  }

  @Test
  void aPromptReachesTheAgentsSocketAndIsLimitedAndRefusedWhenOptedOut() throws Exception {
    Agent open = register("Open", true);
    Agent closed = register("Closed", false);
    String token = spectatorToken("Sam");
    try (SocketClient a = agentAt(open, "garden", 20, 20);
        SocketClient c = agentAt(closed, "garden", 30, 20);
        SocketClient s = spectator(token)) {
      s.send(
          "{\"type\": \"prompt\", \"id\": \"p1\", \"agent_id\": \""
              + open.id()
              + "\", \"text\": \"try the fountain\"}");
      JsonNode ack = s.replyTo("p1");
      assertThat(ack.get("type").asText()).as(ack.toString()).isEqualTo("ack");
      JsonNode prompt = a.next("prompt");
      assertThat(prompt.get("text").asText()).isEqualTo("try the fountain");
      assertThat(prompt.get("spectator_name").asText()).isEqualTo("Sam");
      assertThat(prompt.get("seq").asLong()).isEqualTo(ack.get("seq").asLong());

      // In the region's history as a prompt event.
      TestWait.until(
          Duration.ofSeconds(20),
          () -> server.get("/v1/regions/garden/events?after_seq=0").body().contains("\"prompt\""));

      s.send(
          "{\"type\": \"prompt\", \"id\": \"no\", \"agent_id\": \""
              + closed.id()
              + "\", \"text\": \"hello\"}");
      assertThat(s.replyTo("no").get("error").get("code").asText()).isEqualTo("forbidden");
      s.send(
          "{\"type\": \"prompt\", \"id\": \"p2\", \"agent_id\": \""
              + open.id()
              + "\", \"text\": \"again\"}");
      assertThat(s.replyTo("p2").get("type").asText()).isEqualTo("ack");
      // The fourth in the minute (limit 3 here).
      s.send(
          "{\"type\": \"prompt\", \"id\": \"p3\", \"agent_id\": \""
              + open.id()
              + "\", \"text\": \"and again\"}");
      JsonNode limited = s.replyTo("p3");
      assertThat(limited.get("error").get("code").asText()).isEqualTo("rate_limited");
      assertThat(limited.get("error").get("retry_after_ms").asLong()).isPositive();
    }
  }

  @Test
  void anAgentCanOptOutOfPromptsLater() throws Exception {
    Agent agent = register("Changeable", true);
    String token = spectatorToken("Una");
    try (SocketClient a = agentAt(agent, "plaza", 70, 70);
        SocketClient s = spectator(token)) {
      String prompt =
          "{\"type\": \"prompt\", \"id\": \"%s\", \"agent_id\": \""
              + agent.id()
              + "\", \"text\": \"hi\"}";
      s.send(prompt.formatted("before"));
      assertThat(s.replyTo("before").get("type").asText()).isEqualTo("ack");

      HttpResponse<String> off =
          server.http.send(
              java.net.http.HttpRequest.newBuilder(server.uri("/v1/agents/" + agent.id()))
                  .header("Authorization", "Bearer " + agent.token())
                  .header("Content-Type", "application/json")
                  .method(
                      "PATCH",
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"prompts_allowed\": false}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(off.statusCode()).as(off.body()).isEqualTo(200);

      s.send(prompt.formatted("after"));
      assertThat(s.replyTo("after").get("error").get("code").asText()).isEqualTo("forbidden");
    }
  }

  @Test
  void badInputGetsErrorsAndTheSocketStaysUsable() throws Exception {
    Agent agent = register("Target", true);
    try (SocketClient s = spectator(null)) {
      s.send("{not json");
      assertThat(s.next("error").get("error").get("code").asText()).isEqualTo("bad_request");
      s.send("{\"type\": \"dance\", \"id\": 1}");
      assertThat(s.replyTo("1").get("error").get("code").asText()).isEqualTo("bad_request");
      s.send("{\"type\": \"watch\", \"id\": 2, \"region_id\": \"atlantis\"}");
      assertThat(s.replyTo("2").get("error").get("code").asText()).isEqualTo("not_found");
      s.send("{\"type\": \"watch\", \"id\": 3, \"region_id\": \"main\", \"radius\": -5}");
      assertThat(s.replyTo("3").get("error").get("code").asText()).isEqualTo("bad_request");
      s.send("{\"type\": \"follow\", \"id\": 4, \"agent_id\": \"" + agent.id() + "\"}");
      assertThat(s.replyTo("4").get("error").get("code").asText()).isEqualTo("not_found");
      s.send("{\"type\": \"follow\", \"id\": 44, \"agent_id\": \"never-registered\"}");
      assertThat(s.replyTo("44").get("error").get("code").asText()).isEqualTo("not_found");
      s.send(
          "{\"type\": \"prompt\", \"id\": 5, \"agent_id\": \""
              + agent.id()
              + "\", \"text\": \"x\"}");
      assertThat(s.replyTo("5").get("error").get("code").asText()).isEqualTo("unauthorized");
      s.send(
          "{\"type\": \"prompt\", \"id\": 6, \"agent_id\": \"a\", \"text\": \""
              + "y".repeat(513)
              + "\"}");
      assertThat(s.replyTo("6").get("error").get("code").asText()).isEqualTo("bad_request");
      s.sendBinary(new byte[] {1, 2, 3});
      assertThat(s.next("error").get("error").get("code").asText()).isEqualTo("bad_request");
      s.send("{\"type\": \"ping\", \"id\": \"alive\"}");
      assertThat(s.replyTo("alive").get("type").asText()).isEqualTo("pong");
    }
    // An agent's token is not a spectator's; a forged one is no token at all.
    assertThat(handshake("?token=" + agent.token())).isEqualTo(403);
    assertThat(handshake("?token=forged.token.here")).isEqualTo(401);
  }

  @Test
  void watchersAreRecordedAsSessionsAndCounted() throws Exception {
    String token = spectatorToken("Vic");
    try (SocketClient s = spectator(token)) {
      s.send("{\"type\": \"watch\", \"region_id\": \"forest\"}");
      s.next("frame");
      TestWait.until(
          Duration.ofSeconds(15),
          () ->
              TestServer.metric(server.get("/metrics").body(), "clawbots_spectators_active") >= 1);
    }
  }

  private static int handshake(String query) {
    try {
      SocketClient.connect(
              server.http,
              URI.create(SocketClient.wsUri(server, "/v1/ws/spectate" + query).toString()))
          .close();
    } catch (Exception e) {
      Throwable cause = e;
      while (cause != null && !(cause instanceof WebSocketHandshakeException)) {
        cause = cause.getCause();
      }
      if (cause instanceof WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw new AssertionError("not a refused handshake", e);
    }
    return 101;
  }
}

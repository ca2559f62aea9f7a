package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.opensim.FakeGrid;
import dev.clawbots.persistence.TestWait;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole server with its bridge to a fake grid, on real time: the relay registers over HTTP,
 * agents acting over REST appear as NPCs, a person's chat in the grid becomes a world event, and
 * health follows the grid down and back.
 */
class OpenSimBridgeServerTest {

  private static final String MAIN = "ClawBots Main";
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir static Path data;
  static FakeGrid grid;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    grid = new FakeGrid("pw", System::nanoTime, MAIN);
    grid.relaySecret = "s3cret";
    grid.start();
    server =
        TestServer.start(
            data,
            "clawbots.opensim { url = \""
                + grid.url()
                + "\", password = pw, relay-secret = s3cret,"
                + " regions { main = \""
                + MAIN
                + "\" }, backoff-floor = 200ms, backoff-ceiling = 1s, ping-interval = 200ms }\n");
    grid.registrar =
        (region, url) -> {
          try {
            HttpResponse<String> r =
                server.post(
                    "/v1/opensim/relay",
                    "{\"region\": \""
                        + region
                        + "\", \"url\": \""
                        + url
                        + "\", \"secret\": \"s3cret\"}",
                    null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    grid.register(MAIN);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    grid.close();
  }

  private static JsonNode ready() throws Exception {
    return TestServer.json(server.get("/health/ready"));
  }

  @Test
  void agentsBecomeNpcsPeoplesChatBecomesEventsAndHealthFollowsTheGrid() throws Exception {
    JsonNode ada = server.register("Ada");
    String token = ada.get("token").asText();
    String actions = "/v1/agents/" + ada.get("agent_id").asText() + "/actions";
    assertThat(
            server
                .post(
                    actions,
                    "{\"type\": \"join\", \"region_id\": \"main\","
                        + " \"position\": {\"x\": 40, \"y\": 50, \"z\": 21}}",
                    token)
                .statusCode())
        .isEqualTo(202);
    TestWait.until(DEADLINE, () -> grid.region(MAIN).npcs.size() == 1);
    FakeGrid.Npc npc = grid.region(MAIN).npcs.values().iterator().next();
    assertThat(npc.name()).startsWith("Ada Claw");
    assertThat(npc.x).isEqualTo(40.0);
    assertThat(ready().get("opensim").asText()).isEqualTo("ok");
    assertThat(ready().get("status").asText()).isEqualTo("ready");

    server.post(actions, "{\"type\": \"speak\", \"text\": \"hello grid\"}", token);
    TestWait.until(
        DEADLINE,
        () -> grid.region(MAIN).chat.stream().anyMatch(s -> s.text().equals("hello grid")));

    HttpResponse<String> heard =
        server.post(
            "/v1/opensim/chat",
            "{\"region\": \""
                + MAIN
                + "\", \"secret\": \"s3cret\", \"name\": \"Ruth Resident\", \"avatar_id\": \"k-1\","
                + " \"text\": \"hello bots\", \"position\": {\"x\": 42, \"y\": 50, \"z\": 21}}",
            null);
    assertThat(heard.statusCode()).as(heard.body()).isEqualTo(202);
    long seq = TestServer.json(heard).get("seq").asLong();
    String after = "/v1/regions/main/events?after_seq=" + (seq - 1);
    // The history is the read side's, a projection's batch behind the journal.
    TestWait.until(DEADLINE, () -> TestServer.json(server.get(after)).get("events").size() > 0);
    JsonNode chat = TestServer.json(server.get(after)).get("events").get(0);
    assertThat(chat.get("seq").asLong()).isEqualTo(seq);
    assertThat(chat.get("type").asText()).isEqualTo("chat");
    assertThat(chat.has("source_agent")).isFalse();
    assertThat(chat.get("content").get("source").asText()).isEqualTo("opensim");
    assertThat(chat.get("content").get("speaker_name").asText()).isEqualTo("Ruth Resident");
    assertThat(chat.get("content").get("text").asText()).isEqualTo("hello bots");
    // Said by a person, so never said again by an NPC.
    assertThat(grid.region(MAIN).chat).noneMatch(s -> s.text().equals("hello bots"));

    grid.stop();
    TestWait.until(DEADLINE, () -> ready().get("opensim").asText().equals("down"));
    JsonNode down = ready();
    assertThat(down.get("status").asText()).isEqualTo("degraded");
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(
            server
                .post(
                    actions,
                    "{\"type\": \"move\", \"to\": {\"x\": 60, \"y\": 50, \"z\": 21}}",
                    token)
                .statusCode())
        .as("the world goes on")
        .isEqualTo(202);

    grid.restart(); // NPCs gone; the relay registers again
    TestWait.until(DEADLINE, () -> ready().get("opensim").asText().equals("ok"));
    TestWait.until(
        DEADLINE,
        () ->
            grid.region(MAIN).npcs.size() == 1
                && grid.region(MAIN).npcs.values().iterator().next().x == 60.0);
    TestWait.until(
        DEADLINE,
        () -> {
          String metrics = server.get("/metrics").body();
          return TestServer.metric(metrics, "clawbots_opensim_breaker_state") == 0
              && metrics.contains("clawbots_opensim_resyncs_total{region=\"main\"}")
              && TestServer.metric(metrics, "clawbots_opensim_commands_sent_total{region=\"main\"}")
                  >= 3;
        });
    JsonNode full = TestServer.json(server.get("/health/full"));
    assertThat(full.get("opensim_bridge").get("breaker").asText()).isEqualTo("closed");
    assertThat(full.get("opensim_bridge").get("regions").get(0).get("npcs").asInt()).isEqualTo(1);
  }

  @Test
  void theRelaysBadRequestsAreRefusedClearly() throws Exception {
    HttpResponse<String> malformed = server.post("/v1/opensim/relay", "{not json", null);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(malformed).get("error").get("code").asText())
        .isEqualTo("bad_request");

    HttpResponse<String> wrong =
        server.post(
            "/v1/opensim/relay",
            "{\"region\": \"" + MAIN + "\", \"url\": \"http://h/\", \"secret\": \"guess\"}",
            null);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(wrong).get("error").get("message").asText())
        .contains("OPENSIM_RELAY_SECRET");

    HttpResponse<String> unknown =
        server.post(
            "/v1/opensim/relay",
            "{\"region\": \"Atlantis\", \"url\": \"http://h/\", \"secret\": \"s3cret\"}",
            null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(unknown).get("error").get("message").asText())
        .contains("Atlantis", MAIN);

    HttpResponse<String> notUrl =
        server.post(
            "/v1/opensim/relay",
            "{\"region\": \"" + MAIN + "\", \"url\": \"ftp://h/\", \"secret\": \"s3cret\"}",
            null);
    assertThat(notUrl.statusCode()).isEqualTo(400);

    HttpResponse<String> farAway =
        server.post(
            "/v1/opensim/chat",
            "{\"region\": \""
                + MAIN
                + "\", \"secret\": \"s3cret\", \"name\": \"R\", \"text\": \"hi\","
                + " \"position\": {\"x\": 300, \"y\": 5, \"z\": 21}}",
            null);
    assertThat(farAway.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(farAway).get("error").get("message").asText()).contains("position");
  }
}

package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents acting over REST on a whole server: joining, talking within earshot, leaving. */
class AgentActionsTest {

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            data,
            "clawbots.rate-limits.registration.limit = 1000\n"
                + "clawbots.rate-limits.actions.limit = 1000\n");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** An agent: its id and token. */
  private record Agent(String id, String token) {}

  private static Agent register(String name) throws Exception {
    JsonNode created = server.register(name);
    return new Agent(created.get("agent_id").asText(), created.get("token").asText());
  }

  private static HttpResponse<String> act(Agent agent, String action) throws Exception {
    return server.post("/v1/agents/" + agent.id() + "/actions", action, agent.token());
  }

  private static JsonNode perceive(Agent agent) throws Exception {
    HttpResponse<String> response =
        server.get("/v1/agents/" + agent.id() + "/perception", agent.token());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return TestServer.json(response);
  }

  private static String at(double x, double y) {
    return "{\"x\": " + x + ", \"y\": " + y + ", \"z\": 21}";
  }

  @Test
  void anActionInNoRegionJoinsTheDefaultRegionFirst() throws Exception {
    Agent ada = register("Ada");
    HttpResponse<String> spoke = act(ada, "{\"type\": \"speak\", \"text\": \"hello?\"}");
    assertThat(spoke.statusCode()).as(spoke.body()).isEqualTo(202);
    JsonNode accepted = TestServer.json(spoke);
    assertThat(accepted.get("region_id").asText()).isEqualTo("main");
    assertThat(accepted.get("seq").asLong()).isPositive();
    assertThat(accepted.get("accepted_tick").asLong()).isPositive();

    JsonNode described = TestServer.json(server.get("/v1/agents/" + ada.id()));
    assertThat(described.get("online").asBoolean()).isTrue();
    assertThat(described.get("region").asText()).isEqualTo("main");
    assertThat(described.get("permissions")).hasSize(3);
  }

  @Test
  void aNeighbourHearsNormalChatAndAnAgentFiftyMetresAwayDoesNot() throws Exception {
    Agent speaker = register("Speaker");
    Agent near = register("Near");
    Agent far = register("Far");
    String region = "library";
    for (var entry :
        new Object[][] {{speaker, at(100, 100)}, {near, at(110, 100)}, {far, at(150, 100)}}) {
      HttpResponse<String> joined =
          act(
              (Agent) entry[0],
              "{\"type\": \"join\", \"region_id\": \""
                  + region
                  + "\", \"position\": "
                  + entry[1]
                  + "}");
      assertThat(joined.statusCode()).as(joined.body()).isEqualTo(202);
    }
    perceive(near);
    perceive(far);

    assertThat(act(speaker, "{\"type\": \"speak\", \"text\": \"can you hear me\"}").statusCode())
        .isEqualTo(202);

    JsonNode nearHeard = perceive(near).get("heard");
    assertThat(nearHeard).hasSize(1);
    assertThat(nearHeard.get(0).get("type").asText()).isEqualTo("chat");
    assertThat(nearHeard.get(0).get("source_agent").asText()).isEqualTo(speaker.id());
    assertThat(nearHeard.get(0).get("content").get("text").asText()).isEqualTo("can you hear me");
    assertThat(perceive(far).get("heard")).isEmpty();

    JsonNode seen = perceive(near);
    assertThat(seen.get("self").get("region_id").asText()).isEqualTo(region);
    assertThat(seen.get("nearby").toString()).contains(speaker.id());
    assertThat(seen.get("time").get("day_night").asText()).isIn("day", "night");
  }

  @Test
  void joiningElsewhereMovesTheAgentAndLeavingTakesItOut() throws Exception {
    Agent bo = register("Bo");
    assertThat(act(bo, "{\"type\": \"join\", \"region_id\": \"garden\"}").statusCode())
        .isEqualTo(202);
    assertThat(act(bo, "{\"type\": \"join\", \"region_id\": \"lake\"}").statusCode())
        .isEqualTo(202);
    JsonNode garden = TestServer.json(server.get("/v1/regions/garden"));
    assertThat(garden.get("agents").toString()).doesNotContain(bo.id());
    assertThat(TestServer.json(server.get("/v1/agents/" + bo.id())).get("region").asText())
        .isEqualTo("lake");

    assertThat(act(bo, "{\"type\": \"leave\"}").statusCode()).isEqualTo(202);
    JsonNode described = TestServer.json(server.get("/v1/agents/" + bo.id()));
    assertThat(described.get("online").asBoolean()).isFalse();
    assertThat(described.has("region")).isFalse();
    HttpResponse<String> nowhere = server.get("/v1/agents/" + bo.id() + "/perception", bo.token());
    assertThat(nowhere.statusCode()).isEqualTo(404);
    assertThat(act(bo, "{\"type\": \"leave\"}").statusCode()).isEqualTo(404);
  }

  @Test
  void refusalsCarryTheContractsCodes() throws Exception {
    Agent cy = register("Cy");
    Agent di = register("Di");
    // Another agent's token.
    HttpResponse<String> foreign =
        server.post("/v1/agents/" + cy.id() + "/actions", "{\"type\": \"leave\"}", di.token());
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(server.get("/v1/agents/" + cy.id() + "/perception", di.token()).statusCode())
        .isEqualTo(403);
    // No token.
    assertThat(
            server
                .post("/v1/agents/" + cy.id() + "/actions", "{\"type\": \"leave\"}", null)
                .statusCode())
        .isEqualTo(401);
    // Malformed, or not an action.
    assertThat(act(cy, "{\"type\": \"perceive\"}").statusCode()).isEqualTo(400);
    assertThat(act(cy, "{\"type\": \"move\", \"to\": \"north\"}").statusCode()).isEqualTo(400);
    // The world's rules: too fast, out of bounds.
    HttpResponse<String> fast =
        act(cy, "{\"type\": \"move\", \"to\": " + at(20, 20) + ", \"speed\": 50}");
    assertThat(fast.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(fast).get("error").get("message").asText()).contains("speed");
    HttpResponse<String> outside =
        act(cy, "{\"type\": \"join\", \"region_id\": \"main\", \"position\": " + at(300, 20) + "}");
    assertThat(outside.statusCode()).isEqualTo(400);
    // Unknown agents and regions.
    assertThat(server.get("/v1/agents/nobody").statusCode()).isEqualTo(404);
    assertThat(act(cy, "{\"type\": \"join\", \"region_id\": \"atlantis\"}").statusCode())
        .isEqualTo(404);
  }
}

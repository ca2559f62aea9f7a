package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A socket whose token expires is closed with a reason, and the agent stays in the world. */
class AgentSocketExpiryTest {

  @TempDir Path data;

  @Test
  void aSocketIsClosedWhenItsTokenExpires() throws Exception {
    try (TestServer server = TestServer.start(data, "clawbots.auth.token-lifetime = 4s\n")) {
      JsonNode agent = server.register("Brief");
      try (SocketClient socket = SocketClient.connect(server, agent.get("token").asText())) {
        socket.send("{\"type\": \"join\", \"id\": \"j\", \"region_id\": \"garden\"}");
        assertThat(socket.replyTo("j").get("type").asText()).isEqualTo("welcome");

        JsonNode last = socket.next(m -> m.path("closing").asBoolean());
        assertThat(last.get("error").get("code").asText()).isEqualTo("unauthorized");
        assertThat(last.get("error").get("message").asText()).contains("expired");
        assertThat(last.get("region_id").asText()).isEqualTo("garden");
        assertThat(socket.closed.get(15, TimeUnit.SECONDS)).isEqualTo(1000);
      }
      // The agent is still in its region: a dropped socket does not take it out.
      JsonNode described =
          TestServer.json(server.get("/v1/agents/" + agent.get("agent_id").asText()));
      assertThat(described.get("online").asBoolean()).isTrue();
      assertThat(described.get("region").asText()).isEqualTo("garden");
    }
  }
}

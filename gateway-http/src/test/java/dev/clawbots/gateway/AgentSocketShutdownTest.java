package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.persistence.TestWait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopping server tells its agent WebSockets where to resume before it closes them, and counts
 * its open sockets while it runs.
 */
class AgentSocketShutdownTest {

  @TempDir Path data;

  @Test
  void socketsAreCountedAndToldToResumeWhenTheServerStops() throws Exception {
    TestServer server = TestServer.start(data, "");
    try {
      String token = server.register("Stayer").get("token").asText();
      SocketClient socket = SocketClient.connect(server, token);
      socket.send("{\"type\": \"join\", \"id\": \"j\", \"region_id\": \"lake\"}");
      JsonNode welcome = socket.replyTo("j");
      assertThat(welcome.get("type").asText()).isEqualTo("welcome");
      JsonNode joined = socket.next("event").get("event");

      assertThat(connections(server)).isEqualTo(1);
      TestWait.until(
          Duration.ofSeconds(15),
          () ->
              TestServer.metric(server.get("/metrics").body(), "clawbots_websocket_connections")
                  >= 1);

      server.server.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);

      JsonNode last = socket.next(m -> m.path("closing").asBoolean());
      assertThat(last.get("type").asText()).isEqualTo("error");
      assertThat(last.get("error").get("code").asText()).isEqualTo("unavailable");
      assertThat(last.get("region_id").asText()).isEqualTo("lake");
      assertThat(last.get("resume_after_seq").asLong()).isEqualTo(joined.get("seq").asLong());
      assertThat(socket.closed.get(15, TimeUnit.SECONDS)).isEqualTo(1000);
    } finally {
      server.server.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static int connections(TestServer server) throws Exception {
    return TestServer.json(server.get("/health/full")).get("websocket_connections").asInt();
  }
}

package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spectator that stops reading has frames coalesced, not queued: the server's queue for it is
 * small and bounded, and once it reads again the frames it gets, applied in order to the full frame
 * it had, give the region as it is, with the chat it missed, even when the region has gone quiet
 * meanwhile. Every buffer between the server and the test is small (a queue of 16, 4 KiB socket
 * buffers), so a few seconds of ten agents walking is many times what they hold.
 */
class SpectatorSlowConsumerTest {

  private static final int AGENTS = 10;

  @TempDir Path data;

  @Test
  void aStalledSpectatorMissesFramesButNotTheStateOfTheRegion() throws Exception {
    try (TestServer server =
        TestServer.start(
            data,
            "clawbots.rate-limits.registration.limit = 1000\n"
                + "clawbots.rate-limits.actions.limit = 1000\n"
                + "clawbots.websocket.buffer = 16\n"
                + "pekko.http.server.socket-options.so-send-buffer-size = 4096\n")) {
      SocketClient[] agents = new SocketClient[AGENTS];
      String[] ids = new String[AGENTS];
      for (int i = 0; i < AGENTS; i++) {
        agents[i] =
            SocketClient.connect(server, server.register("Walker " + i).get("token").asText());
        agents[i].send(
            "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \"meadow\", \"perception_hz\": 0,"
                + " \"position\": {\"x\": 20, \"y\": "
                + (20 + 20 * i)
                + ", \"z\": 21}}");
        ids[i] = agents[i].replyTo("j").get("agent_id").asText();
      }
      try (RawWebSocket spectator =
              RawWebSocket.connect(
                  server.server.port(), "/v1/ws/spectate", null, 4096, Duration.ofSeconds(30));
          SocketClient witness =
              SocketClient.connect(server.http, SocketClient.wsUri(server, "/v1/ws/spectate"))) {
        spectator.sendText("{\"type\": \"watch\", \"region_id\": \"meadow\"}");
        witness.send("{\"type\": \"watch\", \"region_id\": \"meadow\"}");
        Map<String, JsonNode> seen = new HashMap<>();
        JsonNode full = frame(spectator);
        assertThat(full.has("delta")).isFalse();
        apply(seen, full);
        assertThat(seen).hasSize(AGENTS);

        // The spectator stops reading while every agent walks 60 m east and back, at 10 m/s.
        long home = 0;
        for (int leg = 0; leg < 2; leg++) {
          double x = leg == 0 ? 80 : 20;
          for (int i = 0; i < AGENTS; i++) {
            agents[i].send(
                "{\"type\": \"move\", \"id\": \"m"
                    + leg
                    + "\", \"speed\": 10, \"to\": {\"x\": "
                    + x
                    + ", \"y\": "
                    + (20 + 20 * i)
                    + ", \"z\": 21}}");
          }
          for (int i = 0; i < AGENTS; i++) {
            JsonNode arrived =
                agents[i].next(m -> "arrived".equals(m.path("event").path("type").asText()));
            home = Math.max(home, arrived.get("event").get("world_tick").asLong());
          }
        }

        // One more line while every agent stands; then the region is quiet. A spectator that kept
        // reading has had every frame there will be: the last changes reached the stalled one
        // while it was behind, and no later change of the region will carry them.
        agents[0].send("{\"type\": \"speak\", \"id\": \"s\", \"text\": \"all home\"}");
        agents[0].replyTo("s");
        Map<String, JsonNode> witnessed = new HashMap<>();
        long witnessTick = 0;
        boolean witnessHeard = false;
        while (witnessTick < home || !allHome(witnessed) || !witnessHeard) {
          JsonNode f = witness.next("frame");
          apply(witnessed, f);
          witnessTick = f.get("world_tick").asLong();
          witnessHeard |= f.get("events").toString().contains("all home");
        }

        // Reading again: frames come until one from after the last arrival shows every agent back
        // where it started, standing, with the line said while it was not reading.
        long lastTick = full.get("world_tick").asLong();
        long largestGap = 0;
        int frames = 0;
        boolean heard = false;
        while (lastTick < home || !allHome(seen) || !heard) {
          JsonNode delta = frame(spectator);
          assertThat(delta.get("delta").asBoolean()).isTrue();
          largestGap = Math.max(largestGap, delta.get("world_tick").asLong() - lastTick);
          lastTick = delta.get("world_tick").asLong();
          apply(seen, delta);
          heard |= delta.get("events").toString().contains("all home");
          frames++;
        }
        // Two legs of 6 s at 10 frames a second would be about 120 frames: far fewer came, with
        // seconds of ticks between two of them, so frames were skipped rather than queued.
        assertThat(frames).isLessThan(60);
        assertThat(largestGap).isGreaterThan(10);
        assertThat(seen.keySet()).containsExactlyInAnyOrder(ids);
      }
      for (SocketClient a : agents) {
        a.close();
      }
    }
  }

  private static boolean allHome(Map<String, JsonNode> seen) {
    return seen.size() == AGENTS
        && seen.values().stream()
            .allMatch(a -> a.get("position").get("x").asDouble() == 20 && !a.has("moving_to"));
  }

  /** The next frame, skipping anything else the server sends. */
  private static JsonNode frame(RawWebSocket socket) throws Exception {
    while (true) {
      RawWebSocket.Frame f = socket.readMessage();
      if (f.opcode() == RawWebSocket.TEXT) {
        JsonNode m = TestServer.JSON.readTree(f.text());
        if ("frame".equals(m.path("type").asText())) {
          return m;
        }
      }
    }
  }

  private static void apply(Map<String, JsonNode> seen, JsonNode frame) {
    for (JsonNode a : frame.get("agents")) {
      seen.put(a.get("agent_id").asText(), a);
    }
    for (JsonNode id : frame.path("removed")) {
      seen.remove(id.asText());
    }
  }
}

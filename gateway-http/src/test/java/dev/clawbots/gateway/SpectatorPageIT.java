package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.persistence.TestWait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spectators' page in real headless Chromium against a whole server with agents walking and
 * talking: markers move, the transcript fills, a click follows an agent, and a prompt typed in the
 * page reaches the agent's socket. Screenshots at desktop and phone widths are kept in {@code
 * target/screenshots}.
 */
class SpectatorPageIT {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final Path SCREENSHOTS = Paths.get("target", "screenshots");

  @TempDir Path data;
  @TempDir Path profile;

  @Test
  void thePageShowsTheWorldFollowsAnAgentAndSendsItAPrompt() throws Exception {
    try (TestServer server =
            TestServer.start(data, "clawbots.rate-limits.registration.limit = 100\n");
        SocketClient walker = agent(server, "Walker", 60, 60);
        SocketClient talker = agent(server, "Talker", 100, 120);
        SocketClient sitter = agent(server, "Sitter", 180, 200);
        Browser browser = Browser.start(profile.resolve("chromium"))) {
      String walkerId = walker.replyTo("j").get("agent_id").asText();
      browser.windowSize(1280, 800);
      browser.open(server.uri("/"));

      // The page watches main and shows all three.
      TestWait.until(
          WITHIN, () -> browser.script("return window.clawbots.agents.size").asInt() == 3);
      double before = x(browser, walkerId);
      walker.send(
          "{\"type\": \"move\", \"id\": \"m1\", \"to\": {\"x\": 90, \"y\": 60, \"z\": 21}}");
      TestWait.until(WITHIN, () -> x(browser, walkerId) > before + 1);

      talker.send("{\"type\": \"speak\", \"id\": \"s1\", \"text\": \"hello, spectators\"}");
      TestWait.until(
          WITHIN,
          () ->
              browser
                  .script("return document.getElementById('transcript').textContent")
                  .asText()
                  .contains("hello, spectators"));
      browser.screenshot(SCREENSHOTS.resolve("spectator-desktop.png"));

      // Click the walker: the camera follows it, and keeps following as it walks on.
      browser.click("#agent-list button[data-agent='" + walkerId + "']");
      TestWait.until(
          WITHIN,
          () -> {
            JsonNode camera = browser.script("return window.clawbots.camera");
            return "follow".equals(camera.path("mode").asText())
                && walkerId.equals(camera.path("agent_id").asText());
          });
      walker.send(
          "{\"type\": \"move\", \"id\": \"m2\", \"to\": {\"x\": 90, \"y\": 100, \"z\": 21}}");
      TestWait.until(
          WITHIN, () -> browser.script("return window.clawbots.camera.center.y").asDouble() > 70);
      assertThat(browser.script("return document.getElementById('camera').dataset.mode").asText())
          .isEqualTo("follow");

      // A prompt from the page: the name is asked once, then the agent's socket gets it.
      browser.type("#spectator-name", "Tess");
      browser.type("#prompt-text", "look north");
      browser.click("#prompt-form button");
      JsonNode prompt = walker.next("prompt");
      assertThat(prompt.get("text").asText()).isEqualTo("look north");
      assertThat(prompt.get("spectator_name").asText()).isEqualTo("Tess");

      browser.windowSize(390, 844);
      TestWait.until(
          WITHIN,
          () -> browser.script("return document.documentElement.scrollWidth <= 400").asBoolean());
      browser.screenshot(SCREENSHOTS.resolve("spectator-phone.png"));
      assertThat(Files.size(SCREENSHOTS.resolve("spectator-phone.png"))).isPositive();
      assertThat(sitter.isClosed()).isFalse();
    }
  }

  private static double x(Browser browser, String agentId) throws Exception {
    return browser
        .script("return window.clawbots.agents.get(arguments[0]).position.x", agentId)
        .asDouble();
  }

  /** An agent on its socket in main; its welcome stays unread for the caller. */
  private static SocketClient agent(TestServer server, String name, double x, double y)
      throws Exception {
    SocketClient socket = SocketClient.connect(server, server.register(name).get("token").asText());
    socket.send(
        "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \"main\", \"perception_hz\": 0,"
            + " \"position\": {\"x\": "
            + x
            + ", \"y\": "
            + y
            + ", \"z\": 21}}");
    return socket;
  }
}

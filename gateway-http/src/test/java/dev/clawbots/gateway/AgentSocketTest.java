package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent WebSocket on a whole server, with real clients: the happy paths and the handshake. */
class AgentSocketTest {

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
                + "clawbots.websocket.recheck = 200ms\n"
                + "clawbots.websocket.allowed-origins = \"https://ok.example\"\n");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  record Agent(String id, String token) {}

  static Agent register(String name) throws Exception {
    JsonNode created = server.register(name);
    return new Agent(created.get("agent_id").asText(), created.get("token").asText());
  }

  static String at(double x, double y) {
    return "{\"x\": " + x + ", \"y\": " + y + ", \"z\": 21}";
  }

  /** Connects {@code agent} and joins {@code region} at {@code position}; returns the welcome. */
  static JsonNode join(SocketClient socket, String region, String position) throws Exception {
    socket.send(
        "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \""
            + region
            + "\", \"position\": "
            + position
            + ", \"perception_hz\": 0}");
    JsonNode welcome = socket.replyTo("j");
    assertThat(welcome.path("type").asText()).as(welcome.toString()).isEqualTo("welcome");
    return welcome;
  }

  @Test
  void joinIsWelcomedAndTheAgentSeesItsOwnArrival() throws Exception {
    Agent ada = register("Ada");
    try (SocketClient socket = SocketClient.connect(server, ada.token())) {
      JsonNode welcome = join(socket, "harbor", at(10, 20));
      assertThat(welcome.get("agent_id").asText()).isEqualTo(ada.id());
      assertThat(welcome.get("region_id").asText()).isEqualTo("harbor");
      assertThat(welcome.get("position").get("x").asDouble()).isEqualTo(10);
      assertThat(welcome.get("world_tick").asLong()).isPositive();

      JsonNode joined = socket.next("event").get("event");
      assertThat(joined.get("type").asText()).isEqualTo("agent_joined");
      assertThat(joined.get("source_agent").asText()).isEqualTo(ada.id());
      assertThat(joined.get("seq").asLong()).isEqualTo(welcome.get("seq").asLong());
    }
  }

  @Test
  void actionsAreAckedWithTheirSeqAndPingIsPonged() throws Exception {
    Agent bo = register("Bo");
    try (SocketClient socket = SocketClient.connect(server, bo.token())) {
      join(socket, "market", at(50, 50));
      socket.send("{\"type\": \"speak\", \"id\": \"s1\", \"text\": \"hello\"}");
      JsonNode ack = socket.replyTo("s1");
      assertThat(ack.get("type").asText()).isEqualTo("ack");
      assertThat(ack.get("seq").asLong()).isPositive();
      assertThat(ack.get("accepted_tick").asLong()).isPositive();
      assertThat(ack.get("region_id").asText()).isEqualTo("market");

      JsonNode heard =
          socket.next(
              m ->
                  "event".equals(m.path("type").asText())
                      && "chat".equals(m.get("event").get("type").asText()));
      assertThat(heard.get("event").get("seq").asLong()).isEqualTo(ack.get("seq").asLong());
      assertThat(heard.get("event").get("content").get("text").asText()).isEqualTo("hello");

      socket.send("{\"type\": \"emote\", \"id\": 7, \"emote\": \"wave\"}");
      assertThat(socket.replyTo("7").get("type").asText()).isEqualTo("ack");
      socket.send("{\"type\": \"move\", \"id\": \"m\", \"to\": " + at(60, 50) + "}");
      assertThat(socket.replyTo("m").get("type").asText()).isEqualTo("ack");

      socket.send("{\"type\": \"ping\", \"id\": \"p\"}");
      assertThat(socket.replyTo("p").get("type").asText()).isEqualTo("pong");

      socket.send("{\"type\": \"perceive\", \"id\": \"look\"}");
      JsonNode perception = socket.replyTo("look");
      assertThat(perception.get("type").asText()).isEqualTo("perception");
      assertThat(perception.get("self").get("agent_id").asText()).isEqualTo(bo.id());
      assertThat(perception.get("self").get("region_id").asText()).isEqualTo("market");
    }
  }

  @Test
  void aNeighbourHearsNormalChatAndAnAgentFiftyMetresAwayDoesNot() throws Exception {
    Agent speaker = register("Speaker");
    Agent near = register("Near");
    Agent far = register("Far");
    try (SocketClient s = SocketClient.connect(server, speaker.token());
        SocketClient n = SocketClient.connect(server, near.token());
        SocketClient f = SocketClient.connect(server, far.token())) {
      join(s, "library", at(100, 100));
      join(n, "library", at(110, 100));
      join(f, "library", at(150, 100));
      s.send("{\"type\": \"speak\", \"id\": \"hi\", \"text\": \"can anyone hear me?\"}");
      long seq = s.replyTo("hi").get("seq").asLong();

      JsonNode heard = n.next(m -> m.path("event").path("seq").asLong() == seq);
      assertThat(heard.get("event").get("source_agent").asText()).isEqualTo(speaker.id());

      // The far agent's next event after the chat is its own: a shout from it, which it hears.
      f.send(
          "{\"type\": \"speak\", \"id\": \"me\", \"text\": \"over here\", \"volume\": \"shout\"}");
      long own = f.replyTo("me").get("seq").asLong();
      f.next(m -> m.path("event").path("seq").asLong() == own);
      assertThat(f.seen())
          .noneMatch(m -> m.path("event").path("seq").asLong() == seq)
          .noneMatch(m -> m.path("event").path("source_agent").asText().equals(near.id()));
      // The near agent, 40 m from the shouter, hears the shout (100 m).
      n.next(m -> m.path("event").path("seq").asLong() == own);
    }
  }

  @Test
  void aPrivateMessageReachesItsTargetInAnotherRegion() throws Exception {
    Agent from = register("From");
    Agent to = register("To");
    try (SocketClient a = SocketClient.connect(server, from.token());
        SocketClient b = SocketClient.connect(server, to.token())) {
      join(a, "main", at(10, 10));
      join(b, "garden", at(10, 10));
      a.send(
          "{\"type\": \"speak\", \"id\": \"psst\", \"text\": \"just you\", \"to\": \""
              + to.id()
              + "\"}");
      long seq = a.replyTo("psst").get("seq").asLong();
      JsonNode got = b.next(m -> "chat".equals(m.path("event").path("type").asText())).get("event");
      assertThat(got.get("region_id").asText()).isEqualTo("main");
      assertThat(got.get("seq").asLong()).isEqualTo(seq);
      assertThat(got.get("target_agent").asText()).isEqualTo(to.id());
      assertThat(got.get("content").get("private").asBoolean()).isTrue();
    }
  }

  @Test
  void resumeAfterSeqReplaysExactlyTheMissedEventsThenGoesLive() throws Exception {
    Agent listener = register("Listener");
    Agent talker = register("Talker");
    long lastSeen;
    try (SocketClient l = SocketClient.connect(server, listener.token());
        SocketClient t = SocketClient.connect(server, talker.token())) {
      join(l, "plaza", at(30, 30));
      join(t, "plaza", at(35, 30));
      t.send("{\"type\": \"speak\", \"id\": \"one\", \"text\": \"one\"}");
      lastSeen = t.replyTo("one").get("seq").asLong();
      l.next(m -> m.path("event").path("seq").asLong() == lastSeen);
    }
    // The listener is away (its agent stays in the world); the talker goes on.
    long[] missed = new long[3];
    try (SocketClient t = SocketClient.connect(server, talker.token())) {
      for (int i = 0; i < 3; i++) {
        t.send("{\"type\": \"speak\", \"id\": \"m" + i + "\", \"text\": \"missed " + i + "\"}");
        missed[i] = t.replyTo("m" + i).get("seq").asLong();
      }
    }
    try (SocketClient l = SocketClient.connect(server, listener.token())) {
      l.send(
          "{\"type\": \"join\", \"id\": \"back\", \"region_id\": \"plaza\", \"resume_after_seq\": "
              + lastSeen
              + ", \"perception_hz\": 0}");
      assertThat(l.replyTo("back").get("type").asText()).isEqualTo("welcome");
      for (int i = 0; i < 3; i++) {
        JsonNode e = l.next("event").get("event");
        assertThat(e.get("seq").asLong()).isEqualTo(missed[i]);
        assertThat(e.get("content").get("text").asText()).isEqualTo("missed " + i);
      }
      // Then live, with nothing twice.
      try (SocketClient t = SocketClient.connect(server, talker.token())) {
        t.send("{\"type\": \"speak\", \"id\": \"live\", \"text\": \"live\"}");
        long live = t.replyTo("live").get("seq").asLong();
        JsonNode next = l.next("event").get("event");
        assertThat(next.get("seq").asLong()).isEqualTo(live);
      }
    }
  }

  /**
   * A new socket of an agent still in its region hears the region at once, before any join; a
   * client that resumes after what it had seen on its old socket, and meanwhile got an event on the
   * new one, gets that event once: the resume goes on from where the new socket is.
   */
  @Test
  void anEventHeardBeforeAResumingJoinIsNotGivenAgain() throws Exception {
    resumeAfterAnEventOnTheNewSocket("harbor", false);
  }

  /** As above, when the client also missed events while it had no socket: those are replayed. */
  @Test
  void aResumeReplaysWhatWasMissedButNotWhatTheNewSocketPassedOn() throws Exception {
    resumeAfterAnEventOnTheNewSocket("market", true);
  }

  private void resumeAfterAnEventOnTheNewSocket(String region, boolean missSome) throws Exception {
    Agent listener = register("Early " + region);
    Agent talker = register("Chatty " + region);
    long lastSeen;
    try (SocketClient l = SocketClient.connect(server, listener.token());
        SocketClient t = SocketClient.connect(server, talker.token())) {
      join(l, region, at(30, 30));
      join(t, region, at(35, 30));
      t.send("{\"type\": \"speak\", \"id\": \"one\", \"text\": \"one\"}");
      lastSeen = t.replyTo("one").get("seq").asLong();
      l.next(m -> m.path("event").path("seq").asLong() == lastSeen);
    }
    List<Long> expected = new ArrayList<>();
    try (SocketClient t = SocketClient.connect(server, talker.token())) {
      if (missSome) {
        t.send("{\"type\": \"speak\", \"id\": \"gone\", \"text\": \"gone\"}");
        expected.add(t.replyTo("gone").get("seq").asLong());
      }
      try (SocketClient l = SocketClient.connect(server, listener.token())) {
        // The new socket hears the region for its agent before the client joins again.
        t.send("{\"type\": \"speak\", \"id\": \"early\", \"text\": \"early\"}");
        long early = t.replyTo("early").get("seq").asLong();
        expected.add(early);
        l.next(m -> m.path("event").path("seq").asLong() == early);

        l.send(
            "{\"type\": \"join\", \"id\": \"back\", \"region_id\": \""
                + region
                + "\", \"resume_after_seq\": "
                + lastSeen
                + ", \"perception_hz\": 0}");
        assertThat(l.replyTo("back").get("type").asText()).isEqualTo("welcome");
        t.send("{\"type\": \"speak\", \"id\": \"after\", \"text\": \"after\"}");
        long after = t.replyTo("after").get("seq").asLong();
        expected.add(after);
        l.next(m -> m.path("event").path("seq").asLong() == after);
        List<Long> seqs =
            l.seen().stream()
                .filter(m -> "event".equals(m.path("type").asText()))
                .map(m -> m.get("event").get("seq").asLong())
                .toList();
        assertThat(seqs).doesNotHaveDuplicates().containsAll(expected);
      }
    }
  }

  @Test
  void aResumingJoinOfAnAgentInNoRegionGivesEachMissedEventOnce() throws Exception {
    Agent comer = register("Comer");
    try (SocketClient c = SocketClient.connect(server, comer.token())) {
      join(c, "summit", at(40, 40));
      c.send("{\"type\": \"speak\", \"id\": \"s\", \"text\": \"bye\"}");
      long spoke = c.replyTo("s").get("seq").asLong();
      c.send("{\"type\": \"leave\", \"id\": \"l\"}");
      long left = c.replyTo("l").get("seq").asLong();
      c.next(m -> m.path("event").path("seq").asLong() == left);
      int before = c.seen().size();

      c.send(
          "{\"type\": \"join\", \"id\": \"again\", \"region_id\": \"summit\", "
              + "\"resume_after_seq\": "
              + spoke
              + ", \"perception_hz\": 0}");
      long rejoined = c.replyTo("again").get("seq").asLong();
      c.next(m -> m.path("event").path("seq").asLong() == rejoined);
      c.send("{\"type\": \"ping\", \"id\": \"end\"}");
      c.replyTo("end");
      List<Long> seqs =
          c.seen().subList(before, c.seen().size()).stream()
              .filter(m -> "event".equals(m.path("type").asText()))
              .map(m -> m.get("event").get("seq").asLong())
              .toList();
      assertThat(seqs).containsExactly(left, rejoined);
    }
  }

  @Test
  void theConnectionFollowsItsAgentAcrossARegionEdge() throws Exception {
    Agent walker = register("Walker");
    try (SocketClient w = SocketClient.connect(server, walker.token())) {
      join(w, "main", at(250, 128));
      // Walk east, past the edge, at top speed.
      w.send(
          "{\"type\": \"move\", \"id\": \"go\", \"to\": {\"x\": 300, \"y\": 128, \"z\": 21},"
              + " \"speed\": 10}");
      assertThat(w.replyTo("go").get("type").asText()).isEqualTo("ack");
      JsonNode in =
          w.next(
                  m ->
                      "region_crossed".equals(m.path("event").path("type").asText())
                          && "in"
                              .equals(m.path("event").path("content").path("direction").asText()))
              .get("event");
      String entered = in.get("region_id").asText();
      assertThat(entered).isNotEqualTo("main");
      // Speaking now is heard in the new region, by the walker itself.
      w.send("{\"type\": \"speak\", \"id\": \"there\", \"text\": \"arrived\"}");
      JsonNode ack = w.replyTo("there");
      assertThat(ack.get("region_id").asText()).isEqualTo(entered);
      w.next(
          m ->
              m.path("event").path("seq").asLong() == ack.get("seq").asLong()
                  && entered.equals(m.path("event").path("region_id").asText()));
    }
  }

  @Test
  void perceptionIsPushedWhenItChanges() throws Exception {
    Agent watcher = register("Watcher");
    Agent visitor = register("Visitor");
    try (SocketClient w = SocketClient.connect(server, watcher.token());
        SocketClient v = SocketClient.connect(server, visitor.token())) {
      w.send(
          "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \"meadow\", \"position\": "
              + at(80, 80)
              + ", \"perception_hz\": 5}");
      assertThat(w.replyTo("j").get("type").asText()).isEqualTo("welcome");
      JsonNode first = w.next("perception");
      assertThat(first.get("nearby")).isEmpty();
      join(v, "meadow", at(85, 80));
      JsonNode pushed =
          w.next(m -> "perception".equals(m.path("type").asText()) && m.get("nearby").size() == 1);
      assertThat(pushed.get("nearby").get(0).get("agent_id").asText()).isEqualTo(visitor.id());
      assertThat(pushed.has("id")).isFalse();
    }
  }

  @Test
  void theHandshakeRefusesMissingForgedAndWrongOriginRequests() throws Exception {
    assertThat(handshakeStatus(() -> SocketClient.connect(server.http, wsUri("")))).isEqualTo(401);
    assertThat(handshakeStatus(() -> SocketClient.connect(server, "not.a.jwt"))).isEqualTo(401);
    Agent ok = register("Origin");
    assertThat(
            handshakeStatus(
                () ->
                    server
                        .http
                        .newWebSocketBuilder()
                        .header("Origin", "https://evil.example")
                        .buildAsync(
                            wsUri("?token=" + ok.token()),
                            new java.net.http.WebSocket.Listener() {})
                        .get(10, TimeUnit.SECONDS)))
        .isEqualTo(403);
    // An allowed origin, and the token in the query as a browser sends it.
    var socket =
        server
            .http
            .newWebSocketBuilder()
            .header("Origin", "https://ok.example")
            .buildAsync(wsUri("?token=" + ok.token()), new java.net.http.WebSocket.Listener() {})
            .get(10, TimeUnit.SECONDS);
    socket.abort();
  }

  @Test
  void aRevokedTokenClosesItsSocketWithAReason() throws Exception {
    Agent gone = register("Gone");
    try (SocketClient socket = SocketClient.connect(server, gone.token())) {
      join(socket, "main", at(20, 20));
      assertThat(server.post("/v1/auth/revoke", "", gone.token()).statusCode()).isEqualTo(204);
      JsonNode last = socket.next(m -> m.path("closing").asBoolean());
      assertThat(last.get("error").get("code").asText()).isEqualTo("unauthorized");
      assertThat(last.get("region_id").asText()).isEqualTo("main");
      assertThat(last.get("resume_after_seq").asLong()).isPositive();
      assertThat(socket.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }
  }

  private static java.net.URI wsUri(String query) {
    return SocketClient.wsUri(server, "/v1/ws/agent" + query);
  }

  interface Connect {
    Object open() throws Exception;
  }

  private static int handshakeStatus(Connect connect) {
    try {
      connect.open();
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
    throw new AssertionError("the handshake was accepted");
  }
}

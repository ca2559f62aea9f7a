package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the agent WebSocket does with input it cannot take: every malformed message is answered with
 * one {@code error} (echoing the client's {@code id} when it could be read), and the socket stays
 * usable, which each test proves with a {@code ping} that must get its {@code pong}.
 */
class AgentSocketInputTest {

  private static final int MESSAGE_LIMIT = 40;

  @TempDir static Path data;
  static TestServer server;

  private static final AtomicInteger agents = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            data,
            "clawbots.rate-limits.registration.limit = 1000\n"
                + "clawbots.rate-limits.actions.limit = 1000\n"
                + "clawbots.rate-limits.perception.limit = 1000\n"
                + "clawbots.rate-limits.websocket-connections.limit = 1000\n"
                + "clawbots.rate-limits.websocket-messages.limit = "
                + MESSAGE_LIMIT
                + "\n");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** A freshly registered agent's open socket. */
  private static SocketClient connectNew() throws Exception {
    JsonNode created = server.register("Input" + agents.incrementAndGet());
    return SocketClient.connect(server, created.get("token").asText());
  }

  /** A freshly registered agent's socket, joined to garden (no perception pushes). */
  private static SocketClient joinedNew() throws Exception {
    SocketClient socket = connectNew();
    int n = agents.get();
    socket.send(
        "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \"garden\", \"position\": {\"x\": "
            + (10 + (n * 7) % 230)
            + ", \"y\": "
            + (10 + (n * 13) % 230)
            + ", \"z\": 21}, \"perception_hz\": 0}");
    JsonNode welcome = reply(socket);
    assertThat(welcome.path("type").asText()).as(welcome.toString()).isEqualTo("welcome");
    assertThat(welcome.get("id").asText()).isEqualTo("j");
    return socket;
  }

  /** Whether {@code m} answers a client message: not an event, not a perception push. */
  private static boolean isReply(JsonNode m) {
    String type = m.path("type").asText();
    return !type.equals("event") && !(type.equals("perception") && !m.has("id"));
  }

  /** The next reply to a client message, skipping events. */
  private static JsonNode reply(SocketClient socket) throws InterruptedException {
    return socket.next(AgentSocketInputTest::isReply);
  }

  /** The next reply is an error of {@code code} echoing {@code id} (none when null). */
  private static JsonNode expectError(SocketClient socket, String code, JsonNode id)
      throws InterruptedException {
    JsonNode error = reply(socket);
    assertThat(error.path("type").asText()).as(error.toString()).isEqualTo("error");
    assertThat(error.path("error").path("code").asText()).as(error.toString()).isEqualTo(code);
    assertThat(error.path("error").path("message").isTextual()).as(error.toString()).isTrue();
    assertThat(error.path("error").path("message").asText()).isNotBlank();
    assertThat(error.has("closing")).as(error.toString()).isFalse();
    if (id == null) {
      assertThat(error.has("id")).as(error.toString()).isFalse();
    } else {
      assertThat(error.get("id")).as(error.toString()).isEqualTo(id);
    }
    if (!code.equals("rate_limited")) {
      assertThat(error.path("error").has("retry_after_ms")).as(error.toString()).isFalse();
    }
    return error;
  }

  /** The socket still answers: a ping gets its pong, as the very next reply. */
  private static void stillUsable(SocketClient socket) throws Exception {
    socket.send("{\"type\": \"ping\", \"id\": \"still-there\"}");
    JsonNode pong = reply(socket);
    assertThat(pong.path("type").asText()).as(pong.toString()).isEqualTo("pong");
    assertThat(pong.get("id").asText()).isEqualTo("still-there");
    assertThat(socket.isClosed()).isFalse();
  }

  private static String at(Object x, Object y, Object z) {
    return "{\"x\": " + x + ", \"y\": " + y + ", \"z\": " + z + "}";
  }

  static Stream<Arguments> malformed() {
    TextNode none = null;
    return Stream.of(
        // Not JSON, or not a JSON object: nothing (not even an id) could be read.
        Arguments.of("malformed JSON", "{\"type\": \"ping\", \"id\": \"x\"", none),
        Arguments.of("trailing garbage", "{\"type\": \"ping\", \"id\": \"x\"} }", none),
        Arguments.of("not JSON at all", "hello there", none),
        Arguments.of("empty text", "", none),
        Arguments.of("a JSON array", "[{\"type\": \"ping\", \"id\": \"x\"}]", none),
        Arguments.of("a number", "42", none),
        Arguments.of("a string", "\"ping\"", none),
        Arguments.of("null", "null", none),
        Arguments.of("true", "true", none),
        // Unknown or missing type: the id is echoed, string or number.
        Arguments.of("unknown type", "{\"type\": \"fly\", \"id\": \"u1\"}", TextNode.valueOf("u1")),
        Arguments.of(
            "unknown type, numeric id", "{\"type\": \"fly\", \"id\": 17}", IntNode.valueOf(17)),
        Arguments.of("missing type", "{\"id\": \"m1\"}", TextNode.valueOf("m1")),
        Arguments.of("type not a string", "{\"type\": 5, \"id\": \"t5\"}", TextNode.valueOf("t5")),
        // Fields of the wrong type.
        Arguments.of(
            "to is a string",
            "{\"type\": \"move\", \"id\": \"w1\", \"to\": \"north\"}",
            TextNode.valueOf("w1")),
        Arguments.of(
            "text is a number",
            "{\"type\": \"speak\", \"id\": \"w2\", \"text\": 5}",
            TextNode.valueOf("w2")),
        Arguments.of(
            "speed is a string",
            "{\"type\": \"move\", \"id\": \"w3\", \"to\": "
                + at(20, 20, 21)
                + ", \"speed\": \"fast\"}",
            TextNode.valueOf("w3")),
        Arguments.of("id is an object", "{\"type\": \"ping\", \"id\": {}}", none),
        Arguments.of("id is a fraction", "{\"type\": \"ping\", \"id\": 1.5}", none),
        Arguments.of(
            "position axis is a string",
            "{\"type\": \"join\", \"id\": \"w4\", \"position\": " + at("\"1\"", 2, 3) + "}",
            TextNode.valueOf("w4")),
        // Non-finite numbers: NaN and Infinity are not JSON (nothing read); 1e999 is, but is not
        // finite once read.
        Arguments.of(
            "NaN", "{\"type\": \"move\", \"id\": \"n1\", \"to\": " + at("NaN", 10, 21) + "}", none),
        Arguments.of(
            "Infinity",
            "{\"type\": \"move\", \"id\": \"n2\", \"to\": " + at(10, "Infinity", 21) + "}",
            none),
        Arguments.of(
            "-Infinity",
            "{\"type\": \"move\", \"id\": \"n3\", \"to\": " + at(10, 10, "-Infinity") + "}",
            none),
        Arguments.of(
            "1e999",
            "{\"type\": \"move\", \"id\": \"n4\", \"to\": " + at("1e999", 10, 21) + "}",
            TextNode.valueOf("n4")),
        Arguments.of(
            "1e999 in join",
            "{\"type\": \"join\", \"id\": \"n5\", \"position\": " + at(10, "-1e999", 21) + "}",
            TextNode.valueOf("n5")),
        // Required fields missing.
        Arguments.of(
            "speak without text", "{\"type\": \"speak\", \"id\": \"r1\"}", TextNode.valueOf("r1")),
        Arguments.of(
            "speak with empty text",
            "{\"type\": \"speak\", \"id\": \"r2\", \"text\": \"\"}",
            TextNode.valueOf("r2")),
        Arguments.of(
            "move without to", "{\"type\": \"move\", \"id\": \"r3\"}", TextNode.valueOf("r3")),
        Arguments.of(
            "move without to.z",
            "{\"type\": \"move\", \"id\": \"r4\", \"to\": {\"x\": 1, \"y\": 2}}",
            TextNode.valueOf("r4")),
        Arguments.of(
            "emote without emote", "{\"type\": \"emote\", \"id\": \"r5\"}", TextNode.valueOf("r5")),
        // Sizes and ranges.
        Arguments.of(
            "speak text of 1025 bytes",
            "{\"type\": \"speak\", \"id\": \"s1\", \"text\": \"" + "a".repeat(1025) + "\"}",
            TextNode.valueOf("s1")),
        Arguments.of(
            "speak text of 342 characters, 1026 bytes",
            "{\"type\": \"speak\", \"id\": \"s2\", \"text\": \"" + "\u20ac".repeat(342) + "\"}",
            TextNode.valueOf("s2")),
        Arguments.of(
            "emote of 257 bytes",
            "{\"type\": \"emote\", \"id\": \"s3\", \"emote\": \"" + "b".repeat(257) + "\"}",
            TextNode.valueOf("s3")),
        Arguments.of(
            "unknown volume",
            "{\"type\": \"speak\", \"id\": \"v1\", \"text\": \"hi\", \"volume\": \"scream\"}",
            TextNode.valueOf("v1")),
        Arguments.of(
            "resume_after_seq -1",
            "{\"type\": \"join\", \"id\": \"q1\", \"region_id\": \"garden\", \"resume_after_seq\": -1}",
            TextNode.valueOf("q1")),
        Arguments.of(
            "resume_after_seq a fraction",
            "{\"type\": \"join\", \"id\": \"q2\", \"region_id\": \"garden\", \"resume_after_seq\": 1.5}",
            TextNode.valueOf("q2")),
        Arguments.of(
            "perception_hz 9",
            "{\"type\": \"join\", \"id\": \"h1\", \"region_id\": \"garden\", \"perception_hz\": 9}",
            TextNode.valueOf("h1")),
        Arguments.of(
            "perception_hz -1",
            "{\"type\": \"join\", \"id\": \"h2\", \"region_id\": \"garden\", \"perception_hz\": -1}",
            TextNode.valueOf("h2")),
        Arguments.of(
            "region id not matching [a-z0-9-]",
            "{\"type\": \"join\", \"id\": \"g1\", \"region_id\": \"Garden!\"}",
            TextNode.valueOf("g1")),
        // Checked by the region, not the parser: still a bad_request echoing the id.
        Arguments.of(
            "join at x = 300",
            "{\"type\": \"join\", \"id\": \"b1\", \"region_id\": \"garden\", \"position\": "
                + at(300, 10, 21)
                + "}",
            TextNode.valueOf("b1")),
        Arguments.of(
            "move at 11 m/s",
            "{\"type\": \"move\", \"id\": \"b2\", \"to\": " + at(30, 30, 21) + ", \"speed\": 11}",
            TextNode.valueOf("b2")),
        Arguments.of(
            "move two regions away",
            "{\"type\": \"move\", \"id\": \"b3\", \"to\": " + at(600, 30, 21) + "}",
            TextNode.valueOf("b3")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedMessageIsABadRequestAndTheSocketStaysUsable(
      String label, String frame, JsonNode id) throws Exception {
    try (SocketClient socket = joinedNew()) {
      socket.send(frame);
      expectError(socket, "bad_request", id);
      stillUsable(socket);
    }
  }

  @Test
  void aMalformedMessageBeforeAnyJoinIsABadRequestToo() throws Exception {
    try (SocketClient socket = connectNew()) {
      socket.send("{\"type\": \"speak\", \"id\": \"early\", \"text\": 5}");
      expectError(socket, "bad_request", TextNode.valueOf("early"));
      stillUsable(socket);
    }
  }

  @Test
  void aSpeakOfExactly1024BytesIsAccepted() throws Exception {
    try (SocketClient socket = joinedNew()) {
      socket.send(
          "{\"type\": \"speak\", \"id\": \"full\", \"text\": \"" + "\u00e9".repeat(512) + "\"}");
      JsonNode ack = reply(socket);
      assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("ack");
      assertThat(ack.get("id").asText()).isEqualTo("full");
      stillUsable(socket);
    }
  }

  /** A ping padded to exactly {@code bytes} UTF-8 bytes. */
  private static String pingOf(String id, int bytes) {
    String head = "{\"type\": \"ping\", \"id\": \"" + id + "\", \"pad\": \"";
    String tail = "\"}";
    String text = head + "p".repeat(bytes - head.length() - tail.length()) + tail;
    assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    return text;
  }

  @Test
  void aMessageOfExactly64KibIsRead() throws Exception {
    try (SocketClient socket = joinedNew()) {
      socket.send(pingOf("edge", ClientMessages.MAX_MESSAGE_BYTES));
      JsonNode pong = reply(socket);
      assertThat(pong.path("type").asText()).as(pong.toString()).isEqualTo("pong");
      assertThat(pong.get("id").asText()).isEqualTo("edge");
      socket.sendFragmented(pingOf("edge2", ClientMessages.MAX_MESSAGE_BYTES), 1000);
      JsonNode pong2 = reply(socket);
      assertThat(pong2.path("type").asText()).as(pong2.toString()).isEqualTo("pong");
      assertThat(pong2.get("id").asText()).isEqualTo("edge2");
    }
  }

  @Test
  void aStrictTextMessageOver64KibIsPayloadTooLarge() throws Exception {
    try (SocketClient socket = joinedNew()) {
      socket.send(pingOf("over", ClientMessages.MAX_MESSAGE_BYTES + 1));
      JsonNode error = expectError(socket, "payload_too_large", null);
      assertThat(error.path("error").path("message").asText()).contains("65537");
      stillUsable(socket);
      socket.send(pingOf("way-over", 300_000));
      expectError(socket, "payload_too_large", null);
      stillUsable(socket);
    }
  }

  @Test
  void aFragmentedTextMessageOver64KibIsPayloadTooLarge() throws Exception {
    try (SocketClient socket = joinedNew()) {
      socket.sendFragmented(pingOf("over", ClientMessages.MAX_MESSAGE_BYTES + 1), 4096);
      JsonNode error = expectError(socket, "payload_too_large", null);
      assertThat(error.path("error").path("message").asText()).contains("65537");
      stillUsable(socket);
      // Many small fragments, far over the limit.
      socket.sendFragmented(pingOf("way-over", 200_000), 997);
      expectError(socket, "payload_too_large", null);
      stillUsable(socket);
    }
  }

  @Test
  void aValidMessageSentInFragmentsIsAcked() throws Exception {
    try (SocketClient socket = joinedNew()) {
      socket.sendFragmented(
          "{\"type\": \"speak\", \"id\": \"frag\", \"text\": \"in pieces \u20ac\u00e9\"}", 7);
      JsonNode ack = reply(socket);
      assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("ack");
      assertThat(ack.get("id").asText()).isEqualTo("frag");
      assertThat(ack.get("seq").asLong()).isPositive();
      JsonNode heard =
          socket.next(
              m ->
                  "event".equals(m.path("type").asText())
                      && m.path("event").path("seq").asLong() == ack.get("seq").asLong());
      assertThat(heard.path("event").path("content").path("text").asText())
          .isEqualTo("in pieces \u20ac\u00e9");
      stillUsable(socket);
    }
  }

  @Test
  void aBinaryMessageIsABadRequest() throws Exception {
    try (SocketClient socket = joinedNew()) {
      socket.sendBinary("{\"type\": \"ping\", \"id\": \"bin\"}".getBytes(StandardCharsets.UTF_8));
      expectError(socket, "bad_request", null);
      stillUsable(socket);
      socket.sendBinary(new byte[0]);
      expectError(socket, "bad_request", null);
      stillUsable(socket);
    }
  }

  @Test
  void theMessageAfterTheLimitIsRateLimitedAndTheSocketStaysOpen() throws Exception {
    try (SocketClient socket = joinedNew()) {
      // The join was message 1; malformed messages count as well.
      int sent = 1;
      socket.send("{\"type\": \"fly\", \"id\": \"bad\"}");
      sent++;
      expectError(socket, "bad_request", TextNode.valueOf("bad"));
      while (sent < MESSAGE_LIMIT) {
        String id = "p" + sent;
        socket.send("{\"type\": \"ping\", \"id\": \"" + id + "\"}");
        sent++;
        JsonNode pong = reply(socket);
        assertThat(pong.path("type").asText()).as(pong.toString()).isEqualTo("pong");
        assertThat(pong.get("id").asText()).isEqualTo(id);
      }
      socket.send("{\"type\": \"ping\", \"id\": \"one-too-many\"}");
      JsonNode limited = expectError(socket, "rate_limited", TextNode.valueOf("one-too-many"));
      long retry = limited.path("error").path("retry_after_ms").asLong();
      assertThat(limited.path("error").path("retry_after_ms").isIntegralNumber()).isTrue();
      assertThat(retry).isPositive().isLessThanOrEqualTo(60_000);
      // Still open, and still answering: malformed messages past the limit are refused as well.
      socket.send("not json");
      assertThat(
              expectError(socket, "rate_limited", null)
                  .path("error")
                  .path("retry_after_ms")
                  .asLong())
          .isPositive();
      socket.send("{\"type\": \"speak\", \"id\": \"s\", \"text\": \"hi\"}");
      expectError(socket, "rate_limited", TextNode.valueOf("s"));
      assertThat(socket.isClosed()).isFalse();
    }
  }

  @Test
  void anActionBeforeAnyJoinJoinsTheDefaultRegionAndIsAcked() throws Exception {
    try (SocketClient socket = connectNew()) {
      socket.send("{\"type\": \"speak\", \"id\": \"first\", \"text\": \"where am I?\"}");
      JsonNode ack = reply(socket);
      assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("ack");
      assertThat(ack.get("id").asText()).isEqualTo("first");
      assertThat(ack.get("region_id").asText()).isEqualTo("main");
      socket.send("{\"type\": \"perceive\", \"id\": \"look\"}");
      JsonNode perception = reply(socket);
      assertThat(perception.path("type").asText())
          .as(perception.toString())
          .isEqualTo("perception");
      assertThat(perception.path("self").path("region_id").asText()).isEqualTo("main");
      stillUsable(socket);
    }
  }

  @ParameterizedTest(name = "speed {0}")
  @ValueSource(strings = {"4.9e-324", "1e-200", "1e-15", "0.000001"})
  void aMoveTooSlowToEverArriveLeavesTheRegionAnswering(String speed) throws Exception {
    try (SocketClient socket = joinedNew()) {
      socket.send(
          "{\"type\": \"move\", \"id\": \"crawl\", \"to\": "
              + at(250, 250, 21)
              + ", \"speed\": "
              + speed
              + "}");
      // Either answer would do (a walk that never arrives, or a refusal); none at all would not.
      JsonNode crawl = reply(socket);
      assertThat(crawl.path("id").asText()).isEqualTo("crawl");
      assertThat(crawl.path("type").asText() + " " + crawl.path("error").path("code").asText())
          .as(crawl.toString())
          .isIn("ack ", "error bad_request");
      // The region still answers this agent and others.
      socket.send("{\"type\": \"perceive\", \"id\": \"look\"}");
      JsonNode perception = reply(socket);
      assertThat(perception.path("type").asText())
          .as(perception.toString())
          .isEqualTo("perception");
      assertThat(perception.path("self").path("region_id").asText()).isEqualTo("garden");
      try (SocketClient other = joinedNew()) {
        other.send("{\"type\": \"speak\", \"id\": \"hi\", \"text\": \"anyone?\"}");
        JsonNode ack = reply(other);
        assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("ack");
      }
      stillUsable(socket);
    }
  }

  @Test
  void aResumeAfterASeqTheRegionHasNotReachedGoesLiveAndSilencesNoOne() throws Exception {
    // summit is this class's alone: the future resumer is the first client there on this node.
    try (SocketClient future = connectNew();
        SocketClient other = connectNew()) {
      future.send(
          "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \"summit\", \"position\": "
              + at(100, 100, 21)
              + ", \"resume_after_seq\": 999999999, \"perception_hz\": 0}");
      JsonNode welcome = reply(future);
      assertThat(welcome.path("type").asText()).as(welcome.toString()).isEqualTo("welcome");
      other.send(
          "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \"summit\", \"position\": "
              + at(105, 100, 21)
              + ", \"perception_hz\": 0}");
      assertThat(reply(other).path("type").asText()).isEqualTo("welcome");
      other.send("{\"type\": \"speak\", \"id\": \"hi\", \"text\": \"hello up here\"}");
      JsonNode ack = reply(other);
      assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("ack");
      long seq = ack.path("seq").asLong();
      assertThat(seq).isLessThan(999999999L);
      // Both hear the chat live: the speaker, and the agent that asked for events after a seq the
      // region has not reached.
      other.next(m -> m.path("event").path("seq").asLong() == seq);
      JsonNode heard = future.next(m -> m.path("event").path("seq").asLong() == seq);
      assertThat(heard.path("event").path("content").path("text").asText())
          .isEqualTo("hello up here");
      stillUsable(future);
    }
  }

  @Test
  void perceiveAfterLeaveIsNotFound() throws Exception {
    try (SocketClient socket = joinedNew()) {
      socket.send("{\"type\": \"leave\", \"id\": \"bye\"}");
      JsonNode ack = reply(socket);
      assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("ack");
      assertThat(ack.get("id").asText()).isEqualTo("bye");
      socket.send("{\"type\": \"perceive\", \"id\": \"look\"}");
      expectError(socket, "not_found", TextNode.valueOf("look"));
      stillUsable(socket);
      // A second leave has nothing to leave.
      socket.send("{\"type\": \"leave\", \"id\": \"again\"}");
      expectError(socket, "not_found", TextNode.valueOf("again"));
      stillUsable(socket);
    }
  }
}

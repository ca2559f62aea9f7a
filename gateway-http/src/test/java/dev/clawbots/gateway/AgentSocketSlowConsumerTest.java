package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading: the server queues at most {@code clawbots.websocket.buffer} messages
 * for it, then sends a last {@code error} ({@code unavailable}, {@code closing}, where to resume)
 * and closes normally once the client reads again; nothing is skipped, and a join with {@code
 * resume_after_seq} gives back exactly what the client missed.
 *
 * <p>What makes it deterministic: every buffer between the server's queue and the test is small and
 * bounded (a queue of 16, the server's socket send buffer and the listener's receive buffer asked
 * to be 4 KiB, the stream stages' buffers a few dozen messages), so a talker whose {@link #CHATS}
 * chats of about 1 KB all reach the listener's connection has sent many times what they can hold:
 * the server must have given up by then, whatever the timing. The listener only reads once the
 * talker has heard its own last chat (the listener's connection hears the same feed). {@code
 * leave-grace}, how long a closing connection waits for its client to read, is long enough that the
 * test reads before the server cuts the connection off.
 */
class AgentSocketSlowConsumerTest {

  private static final int BUFFER = 16;
  // Far more than the pipeline to a stalled reader can hold (see the class comment): with these
  // settings it took 57 chats (about 64 KB) before the server gave up.
  private static final int CHATS = 400;
  // Chats the talker may have sent and not yet heard back: its own connection's queue (16 too)
  // then holds at most 2 * WINDOW of its acks and events.
  private static final int WINDOW = 4;
  private static final String REGION = "lake";

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            data,
            "clawbots.websocket.buffer = "
                + BUFFER
                + "\n"
                + "clawbots.websocket.leave-grace = 120s\n"
                + "pekko.http.server.socket-options.so-send-buffer-size = 4096\n"
                + "clawbots.rate-limits.registration.limit = 1000\n"
                + "clawbots.rate-limits.actions.limit = 100000\n"
                + "clawbots.rate-limits.perception.limit = 100000\n"
                + "clawbots.rate-limits.websocket-messages.limit = 100000\n"
                + "clawbots.rate-limits.websocket-connections.limit = 1000\n");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String chatText(int i) {
    String head = String.format("chat %04d ", i);
    return head + "x".repeat(1000 - head.length());
  }

  private static boolean isEvent(JsonNode m) {
    return "event".equals(m.path("type").asText());
  }

  private static boolean isChat(JsonNode m) {
    return isEvent(m) && "chat".equals(m.path("event").path("type").asText());
  }

  @Test
  void aListenerThatStopsReadingIsToldWhereToResumeClosedNormallyAndMissesNothing()
      throws Exception {
    JsonNode listenerAgent = server.register("Listener");
    JsonNode talkerAgent = server.register("Talker");
    String listenerToken = listenerAgent.get("token").asText();

    List<JsonNode> given = new ArrayList<>();
    JsonNode closing;
    long welcomeSeq;
    List<Long> chatSeqs = new ArrayList<>();
    try (RawWebSocket listener =
        RawWebSocket.connect(server.server.port(), listenerToken, 4096, Duration.ofSeconds(30))) {
      listener.sendText(
          "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \""
              + REGION
              + "\", \"position\": {\"x\": 100, \"y\": 100, \"z\": 21}, \"perception_hz\": 0}");
      JsonNode welcome = TestServer.JSON.readTree(listener.readMessage().text());
      assertThat(welcome.path("type").asText()).as(welcome.toString()).isEqualTo("welcome");
      welcomeSeq = welcome.get("seq").asLong();
      // From here the listener reads nothing until the talker is done.

      try (SocketClient talker = SocketClient.connect(server, talkerAgent.get("token").asText())) {
        talker.send(
            "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \""
                + REGION
                + "\", \"position\": {\"x\": 105, \"y\": 100, \"z\": 21}, \"perception_hz\": 0}");
        assertThat(talker.replyTo("j").path("type").asText()).isEqualTo("welcome");
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int i = 0; i < CHATS + WINDOW; i++) {
          if (i < CHATS) {
            talker.send(
                "{\"type\": \"speak\", \"id\": \"c" + i + "\", \"text\": \"" + chatText(i) + "\"}");
          }
          if (i >= WINDOW) {
            String text = chatText(i - WINDOW);
            JsonNode own =
                talker.next(
                    m ->
                        isChat(m)
                            && text.equals(m.path("event").path("content").path("text").asText()));
            chatSeqs.add(own.path("event").path("seq").asLong());
          }
          assertThat(System.nanoTime()).as("the talker is done within 60 s").isLessThan(end);
        }
        assertThat(talker.isClosed()).as("the talker, who reads, is never closed").isFalse();
      }
      assertThat(chatSeqs).hasSize(CHATS).isSorted().doesNotHaveDuplicates();

      // Now read everything the server kept for the listener, to its end.
      RawWebSocket.Frame frame;
      while (true) {
        frame = listener.readMessage();
        if (frame.opcode() != RawWebSocket.TEXT) {
          break;
        }
        given.add(TestServer.JSON.readTree(frame.text()));
      }
      assertThat(frame.opcode())
          .as("a close frame ends the messages")
          .isEqualTo(RawWebSocket.CLOSE);
      assertThat(frame.closeStatus()).as("a normal close").isEqualTo(1000);
      // Nothing after the close frame: the server ends the connection once the client answers.
      try {
        listener.sendClose(1000);
      } catch (IOException alreadyClosed) {
        // The server may end the connection without waiting for the client's close frame.
      }
      assertEndOfStream(listener);
    }

    assertThat(given).isNotEmpty();
    closing = given.get(given.size() - 1);
    List<JsonNode> before = given.subList(0, given.size() - 1);
    assertThat(closing.path("type").asText()).as(closing.toString()).isEqualTo("error");
    assertThat(closing.path("closing").asBoolean()).as(closing.toString()).isTrue();
    assertThat(closing.path("error").path("code").asText()).isEqualTo("unavailable");
    assertThat(closing.path("error").path("message").asText()).isNotBlank();
    assertThat(closing.path("region_id").asText()).isEqualTo(REGION);
    assertThat(closing.path("resume_after_seq").isIntegralNumber()).as(closing.toString()).isTrue();
    long resume = closing.get("resume_after_seq").asLong();
    assertThat(resume).isGreaterThanOrEqualTo(welcomeSeq);
    assertThat(before)
        .as("only events come after the welcome")
        .allMatch(AgentSocketSlowConsumerTest::isEvent);

    // The events given: the listener's own arrival (the welcome's seq), then the chats it hears,
    // each once, in seq order (the talker's arrival is about the talker: the listener does not
    // perceive it).
    List<Long> seqs = before.stream().map(m -> m.path("event").path("seq").asLong()).toList();
    assertThat(seqs).isNotEmpty();
    assertThat(seqs.get(0)).isEqualTo(welcomeSeq);
    assertThat(before.get(0).path("event").path("type").asText()).isEqualTo("agent_joined");
    assertThat(before.subList(1, before.size())).allMatch(AgentSocketSlowConsumerTest::isChat);
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    // Among the chats, none skipped: they are the talker's first ones, with no gap.
    List<Long> chatsGiven =
        before.stream()
            .filter(AgentSocketSlowConsumerTest::isChat)
            .map(m -> m.path("event").path("seq").asLong())
            .toList();
    assertThat(chatsGiven)
        .as("the listener was cut off well before the end")
        .hasSizeLessThan(CHATS / 2);
    assertThat(chatsGiven).isEqualTo(chatSeqs.subList(0, chatsGiven.size()));
    // Where to resume is the last event it was given: the next one is the first it missed.
    assertThat(resume)
        .as("resume_after_seq is the last event given")
        .isEqualTo(seqs.get(seqs.size() - 1));

    // Back, resuming: the missed chats, in order, from right after resume_after_seq. A resumed
    // connection has the same small queue; a replay larger than the queue closes it again in the
    // same way, and the client resumes again from where that one says.
    List<Long> missed = chatSeqs.subList(chatsGiven.size(), CHATS);
    List<Long> replayed = new ArrayList<>();
    int connections = 0;
    while (replayed.size() < missed.size()) {
      assertThat(connections++).as("resumes needed").isLessThan(CHATS);
      try (SocketClient back = SocketClient.connect(server, listenerToken)) {
        back.send(
            "{\"type\": \"join\", \"id\": \"back\", \"region_id\": \""
                + REGION
                + "\", \"resume_after_seq\": "
                + resume
                + ", \"perception_hz\": 0}");
        JsonNode welcome = back.replyTo("back");
        assertThat(welcome.path("type").asText()).as(welcome.toString()).isEqualTo("welcome");
        long after = resume;
        long previous = resume;
        int progress = replayed.size();
        while (replayed.size() < missed.size()) {
          JsonNode m = back.next();
          if (m.path("closing").asBoolean()) {
            assertThat(m.path("error").path("code").asText())
                .as(m.toString())
                .isEqualTo("unavailable");
            assertThat(m.path("region_id").asText()).isEqualTo(REGION);
            resume = m.path("resume_after_seq").asLong();
            assertThat(resume).as("where the replay stopped").isEqualTo(previous);
            assertThat(back.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1000);
            break;
          }
          if (!isEvent(m)) {
            continue;
          }
          long seq = m.path("event").path("seq").asLong();
          assertThat(seq).as("events after %d, in order, each once", after).isGreaterThan(previous);
          if (previous == after) {
            assertThat(seq)
                .as("the first event replayed is the one right after")
                .isEqualTo(after + 1);
          }
          previous = seq;
          if (isChat(m)) {
            replayed.add(seq);
          }
        }
        assertThat(replayed.size()).as("each resume makes progress").isGreaterThan(progress);
      }
    }
    assertThat(replayed).isEqualTo(missed);
  }

  private static void assertEndOfStream(RawWebSocket socket) throws IOException {
    try {
      RawWebSocket.Frame extra = socket.readFrame();
      throw new AssertionError("a frame after the close: opcode " + extra.opcode());
    } catch (EOFException | SocketException expected) {
      // The server ended the connection.
    }
  }
}

package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawbots.persistence.TestWait;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One agent's socket under a seeded stream of 100,000 frames, most of them wrong in some way:
 * random text, mutated and truncated real messages, deep nesting, huge numbers, wrong types,
 * binary, fragmented and oversized messages, and some valid ones. Every frame gets exactly one
 * reply, the socket stays open, and afterwards the agent acts normally.
 *
 * <p>Replies are read as they come, on the client's own thread, and at most {@link #WINDOW} frames
 * are ever unanswered: the server queues at most that many replies (plus the events the valid
 * actions cause) for this client, far below its queue of 256, so the server's buffer is never what
 * limits the run, however the threads are scheduled.
 */
class AgentSocketFuzzTest {

  private static final long SEED = 0x5eed_c1a0_b075L;
  private static final int FRAMES = 100_000;
  private static final int WINDOW = 100;
  private static final int ACTION_ONE_IN = 5;
  private static final String REGION = "forest";
  private static final Set<String> CODES =
      Set.of(
          "bad_request",
          "unauthorized",
          "forbidden",
          "not_found",
          "conflict",
          "rate_limited",
          "payload_too_large",
          "unavailable",
          "internal");

  /** Reads JSON as the server does (RequestJson), to tell what a frame would do. */
  private static final ObjectMapper STRICT = new ObjectMapper();

  static {
    STRICT.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    STRICT
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build());
  }

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            data,
            "clawbots.rate-limits.registration.limit = 1000\n"
                + "clawbots.rate-limits.actions.limit = 1000000\n"
                + "clawbots.rate-limits.perception.limit = 1000000\n"
                + "clawbots.rate-limits.websocket-messages.limit = 1000000\n"
                + "clawbots.rate-limits.websocket-connections.limit = 1000\n");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** The fuzzed agent's socket: counts what comes back, keeps the replies to the final checks. */
  private static final class Counting implements WebSocket.Listener {
    final AtomicLong replies = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final Semaphore window = new Semaphore(WINDOW);
    final Map<String, AtomicLong> kinds = new ConcurrentHashMap<>();
    final Map<String, JsonNode> finals = new ConcurrentHashMap<>();
    final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final List<String> pushes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder text = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence part, boolean last) {
      text.append(part);
      if (last) {
        received(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    private void received(String message) {
      JsonNode m;
      try {
        m = TestServer.JSON.readTree(message);
      } catch (Exception e) {
        problems.add("not JSON: " + message);
        return;
      }
      String type = m.path("type").asText();
      if (type.equals("event")) {
        events.incrementAndGet();
        return;
      }
      String kind = type;
      if (type.equals("error")) {
        String code = m.path("error").path("code").asText();
        kind = "error:" + code;
        if (!CODES.contains(code) || !m.path("error").path("message").isTextual()) {
          problems.add("not the contract's error: " + message);
        }
        if (code.equals("internal") || m.has("closing")) {
          problems.add(message);
        }
      } else if (!Set.of("pong", "ack", "welcome", "perception").contains(type)) {
        problems.add("unexpected message: " + message);
      }
      if (type.equals("perception") && !m.has("id")) {
        // A push: every perceive sent has an id (see Frames#fair).
        pushes.add(message);
        return;
      }
      kinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      if (m.path("id").asText("").startsWith("final-")) {
        finals.put(m.path("id").asText(), m);
      }
      replies.incrementAndGet();
      window.release();
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }

    JsonNode awaitFinal(String id) {
      TestWait.until(Duration.ofSeconds(30), () -> finals.containsKey(id));
      return finals.get(id);
    }
  }

  @Test
  void aHundredThousandFramesOfGarbageGetAReplyEachAndTheAgentActsNormallyAfter() throws Exception {
    JsonNode fuzzed = server.register("Fuzzed");
    JsonNode witness = server.register("Witness");
    String fuzzedId = fuzzed.get("agent_id").asText();
    Counting counting = new Counting();
    WebSocket socket =
        server
            .http
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + fuzzed.get("token").asText())
            .buildAsync(SocketClient.wsUri(server, "/v1/ws/agent"), counting)
            .get(10, TimeUnit.SECONDS);
    Frames frames = new Frames(new Random(SEED));
    long sent = 0;
    long started = System.nanoTime();
    try {
      // Joined first, with perception pushes off.
      sent += send(socket, counting, Frame.text(frames.validJoin("final-first")));
      assertThat(counting.awaitFinal("final-first").path("type").asText()).isEqualTo("welcome");
      // Until that welcome the connection pushed at the default 1 Hz: a push may have raced it.
      // A perceive answered after it comes after any such push.
      sent +=
          send(socket, counting, Frame.text("{\"type\": \"perceive\", \"id\": \"final-sync\"}"));
      assertThat(counting.awaitFinal("final-sync").path("type").asText()).isEqualTo("perception");
      int pushesBefore = counting.pushes.size();

      for (int i = 0; i < FRAMES; i++) {
        sent += send(socket, counting, frames.next());
        if (counting.closed.isDone()) {
          break;
        }
      }
      long total = sent;
      TestWait.until(Duration.ofSeconds(60), () -> counting.replies.get() >= total);
      assertThat(counting.problems).isEmpty();
      assertThat(counting.pushes).as("no pushes with perception_hz 0").hasSize(pushesBefore);
      assertThat(counting.closed).as("the socket is still open").isNotDone();
      assertThat(counting.replies.get())
          .as("one reply per frame: %s", counting.kinds)
          .isEqualTo(sent);
      assertThat(sent).isGreaterThan(FRAMES);
      System.out.printf(
          "fuzz: %d frames in %d ms; replies %s; %d events%n",
          sent,
          (System.nanoTime() - started) / 1_000_000,
          new TreeMap<>(counting.kinds),
          counting.events.get());

      // The same agent, on the same socket, acts normally; a second agent hears it.
      try (SocketClient other = SocketClient.connect(server, witness.get("token").asText())) {
        other.send(
            "{\"type\": \"join\", \"id\": \"j\", \"region_id\": \""
                + REGION
                + "\", \"position\": {\"x\": 60, \"y\": 50, \"z\": 21}, \"perception_hz\": 0}");
        assertThat(other.replyTo("j").path("type").asText()).isEqualTo("welcome");

        // Out of wherever the fuzzing left it (if anywhere), so that the join places it.
        sent +=
            send(socket, counting, Frame.text("{\"type\": \"leave\", \"id\": \"final-leave\"}"));
        JsonNode left = counting.awaitFinal("final-leave");
        assertThat(left.path("type").asText() + left.path("error").path("code").asText())
            .isIn("ack", "errornot_found");

        sent +=
            send(
                socket,
                counting,
                Frame.text(
                    "{\"type\": \"join\", \"id\": \"final-join\", \"region_id\": \""
                        + REGION
                        + "\", \"position\": {\"x\": 50, \"y\": 50, \"z\": 21},"
                        + " \"perception_hz\": 0}"));
        JsonNode welcome = counting.awaitFinal("final-join");
        assertThat(welcome.path("type").asText()).as(welcome.toString()).isEqualTo("welcome");
        assertThat(welcome.path("region_id").asText()).isEqualTo(REGION);
        assertThat(welcome.path("position").path("x").asDouble()).isEqualTo(50);

        sent +=
            send(
                socket,
                counting,
                Frame.text(
                    "{\"type\": \"move\", \"id\": \"final-move\", \"to\": {\"x\": 55, \"y\": 50,"
                        + " \"z\": 21}}"));
        JsonNode moved = counting.awaitFinal("final-move");
        assertThat(moved.path("type").asText()).as(moved.toString()).isEqualTo("ack");
        assertThat(moved.path("region_id").asText()).isEqualTo(REGION);

        sent +=
            send(
                socket,
                counting,
                Frame.text(
                    "{\"type\": \"speak\", \"id\": \"final-speak\", \"text\": \"still here\"}"));
        JsonNode spoke = counting.awaitFinal("final-speak");
        assertThat(spoke.path("type").asText()).as(spoke.toString()).isEqualTo("ack");
        long seq = spoke.path("seq").asLong();
        JsonNode heard = other.next(m -> m.path("event").path("seq").asLong() == seq).path("event");
        assertThat(heard.path("type").asText()).isEqualTo("chat");
        assertThat(heard.path("source_agent").asText()).isEqualTo(fuzzedId);
        assertThat(heard.path("content").path("text").asText()).isEqualTo("still here");

        sent +=
            send(socket, counting, Frame.text("{\"type\": \"perceive\", \"id\": \"final-look\"}"));
        JsonNode perception = counting.awaitFinal("final-look");
        assertThat(perception.path("type").asText())
            .as(perception.toString())
            .isEqualTo("perception");
        assertThat(perception.path("self").path("agent_id").asText()).isEqualTo(fuzzedId);
        assertThat(perception.path("self").path("region_id").asText()).isEqualTo(REGION);
        assertThat(perception.path("nearby").findValuesAsText("agent_id"))
            .contains(witness.get("agent_id").asText());

        HttpResponse<String> region = server.get("/v1/regions/" + REGION);
        assertThat(region.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(region).path("agents").findValuesAsText("agent_id"))
            .contains(fuzzedId, witness.get("agent_id").asText());
      }
      long all = sent;
      TestWait.until(Duration.ofSeconds(30), () -> counting.replies.get() >= all);
      assertThat(counting.replies.get())
          .as("one reply per frame: %s", counting.kinds)
          .isEqualTo(sent);
      assertThat(counting.problems).isEmpty();
      assertThat(counting.pushes).hasSize(pushesBefore);
      assertThat(counting.closed).isNotDone();
    } finally {
      socket.abort();
    }
  }

  /** Sends one frame once fewer than {@link #WINDOW} are unanswered; the frames it counts. */
  private static int send(WebSocket socket, Counting counting, Frame frame) throws Exception {
    if (!counting.window.tryAcquire(30, TimeUnit.SECONDS)) {
      throw new AssertionError(
          "no reply for 30 s with "
              + WINDOW
              + " frames unanswered; replies so far "
              + counting.kinds
              + ", problems "
              + counting.problems);
    }
    if (frame.binary() != null) {
      socket.sendBinary(ByteBuffer.wrap(frame.binary()), true).get(30, TimeUnit.SECONDS);
    } else if (frame.fragment() > 0) {
      String t = frame.text();
      int size = frame.fragment();
      if (t.isEmpty()) {
        socket.sendText("", true).get(30, TimeUnit.SECONDS);
      }
      for (int i = 0; i < t.length(); ) {
        int end = Math.min(t.length(), i + size);
        // Never split a surrogate pair: each fragment must be whole UTF-16.
        if (end < t.length() && Character.isHighSurrogate(t.charAt(end - 1))) {
          end++;
        }
        socket.sendText(t.substring(i, end), end >= t.length()).get(30, TimeUnit.SECONDS);
        i = end;
      }
    } else {
      socket.sendText(frame.text(), true).get(30, TimeUnit.SECONDS);
    }
    return 1;
  }

  /** One client message: text (whole, or in fragments of {@code fragment} chars) or binary. */
  record Frame(String text, int fragment, byte[] binary) {
    static Frame text(String text) {
      return new Frame(text, 0, null);
    }
  }

  /** The seeded generator of frames. */
  static final class Frames {
    private static final String[] GESTURES = {
      "wave", "nod", "bow", "laugh", "shrug", "point", "dance", "sit", "stand"
    };
    private static final String[] REGIONS = {
      "main", "harbor", "market", "library", "garden", "plaza", "forest", "meadow", "lake", "summit"
    };
    private static final String[] HUGE = {
      "1e999",
      "-1e999",
      "1e-999",
      "4.9e-324",
      "1.7976931348623157e308",
      "-1.7976931348623157e308",
      "9223372036854775807",
      "9223372036854775808",
      "-9223372036854775809",
      "123456789012345678901234567890",
      "1" + "0".repeat(63),
      "1" + "0".repeat(64),
      "9".repeat(400),
      "0." + "0".repeat(200) + "1",
      "-0",
      "-0.0",
      "1E+2147483647",
      "12345678901234567890e-5"
    };
    private static final String[] TOKENS = {
      "{",
      "}",
      "[",
      "]",
      ":",
      ",",
      "\"",
      "\"type\"",
      "\"join\"",
      "\"move\"",
      "\"speak\"",
      "\"ping\"",
      "\"id\"",
      "\"to\"",
      "\"x\"",
      "1",
      "-",
      ".",
      "e",
      "true",
      "false",
      "null",
      " ",
      "\n",
      "\\",
      "\\u",
      "NaN",
      "Infinity",
      "\u0000",
      "\u00e9",
      "\u20ac",
      "\ud83d\ude00",
      "//",
      "/*",
      "'",
      "0x1F"
    };

    private final Random r;

    Frames(Random r) {
      this.r = r;
    }

    /**
     * The next frame. Never one that would turn perception pushes on or resume from early in a
     * region (see {@link #fair}); and of the frames the server would take to the region as an
     * action, only one in {@link #ACTION_ONE_IN}: each is journaled, a few milliseconds, and this
     * test is about what reaches the connection, not the region.
     */
    Frame next() {
      while (true) {
        Frame f = candidate();
        if (f.binary() != null) {
          return f;
        }
        JsonNode n = read(f.text());
        if (!fair(n)) {
          continue;
        }
        boolean action =
            n != null && n.isObject() && ClientMessages.ACTIONS.contains(n.path("type").asText());
        if (action && r.nextInt(ACTION_ONE_IN) != 0) {
          continue;
        }
        return f;
      }
    }

    /** {@code text} as the server reads it; null when it is not JSON to the server. */
    private static JsonNode read(String text) {
      try {
        return STRICT.readTree(text);
      } catch (Exception notJson) {
        return null;
      }
    }

    private Frame candidate() {
      int transport = r.nextInt(1000);
      if (transport < 10) {
        byte[] bytes = new byte[r.nextInt(300)];
        r.nextBytes(bytes);
        return new Frame(null, 0, bytes);
      }
      if (transport < 12) {
        return Frame.text(oversized());
      }
      String text = body();
      if (transport < 30) {
        return new Frame(text, 1 + r.nextInt(40), null);
      }
      return Frame.text(text);
    }

    private String body() {
      int k = r.nextInt(1000);
      if (k < 150) {
        return randomText(r.nextInt(r.nextInt(10) == 0 ? 3000 : 120));
      }
      if (k < 250) {
        return tokens();
      }
      if (k < 600) {
        return mutate(template(), 1 + r.nextInt(4));
      }
      if (k < 700) {
        String t = template();
        return t.substring(0, r.nextInt(t.length()));
      }
      if (k < 770) {
        return nested();
      }
      if (k < 850) {
        return hugeNumbers();
      }
      if (k < 980) {
        return wrongTypes();
      }
      return valid();
    }

    /**
     * Whether a frame the server reads as {@code n} is fair for counting replies. Not if it could
     * turn perception pushes on: a push is a message no frame asked for; nor a perceive with no id,
     * whose reply would look like one. Nor if it could resume from early in a region's history: a
     * replay of the agent's own events is tested in AgentSocketSlowConsumerTest, not here.
     */
    static boolean fair(JsonNode n) {
      if (n == null || !n.isObject()) {
        return true;
      }
      JsonNode id = n.get("id");
      if ("perceive".equals(n.path("type").asText()) && (id == null || id.isNull())) {
        // Its reply would be a perception with no id, like a push.
        return false;
      }
      JsonNode hz = n.get("perception_hz");
      JsonNode resume = n.get("resume_after_seq");
      return (hz == null || hz.isNull() || !hz.isNumber() || hz.asDouble() == 0)
          && (resume == null
              || !resume.isIntegralNumber()
              || !resume.canConvertToLong()
              || resume.asLong() < 0
              || resume.asLong() >= 10_000_000);
    }

    String validJoin(String id) {
      return "{\"type\": \"join\", \"id\": \""
          + id
          + "\", \"region_id\": \""
          + REGION
          + "\", \"position\": {\"x\": "
          + (20 + r.nextInt(200))
          + ", \"y\": "
          + (20 + r.nextInt(200))
          + ", \"z\": 21}, \"perception_hz\": 0}";
    }

    private String valid() {
      String id = "\"id\": \"v" + r.nextInt(1_000_000) + "\"";
      return switch (r.nextInt(8)) {
        case 0 -> "{\"type\": \"ping\", " + id + "}";
        case 1 -> "{\"type\": \"perceive\", " + id + "}";
        case 2 ->
            "{\"type\": \"move\", "
                + id
                + ", \"to\": {\"x\": "
                + (20 + r.nextInt(200))
                + ", \"y\": "
                + (20 + r.nextInt(200))
                + ", \"z\": 21}, \"speed\": "
                + (1 + r.nextInt(10))
                + "}";
        case 3 ->
            "{\"type\": \"speak\", "
                + id
                + ", \"text\": \""
                + randomText(1 + r.nextInt(40))
                    .replace("\\", "/")
                    .replace("\"", "'")
                    .replaceAll("\\p{Cntrl}", " ")
                + "x\", \"volume\": \""
                + new String[] {"whisper", "normal", "shout"}[r.nextInt(3)]
                + "\"}";
        case 4 ->
            "{\"type\": \"emote\", " + id + ", \"emote\": \"" + GESTURES[r.nextInt(9)] + "\"}";
        case 5 -> validJoin("v" + r.nextInt(1_000_000));
        case 6 -> "{\"type\": \"leave\", " + id + "}";
        default -> "{\"type\": \"ping\"}";
      };
    }

    /** A real message of every kind, as a client sends them. */
    private String template() {
      return switch (r.nextInt(10)) {
        case 0 -> validJoin("f" + r.nextInt(100));
        case 1 ->
            "{\"type\": \"join\", \"id\": 7, \"region_id\": \""
                + REGIONS[r.nextInt(REGIONS.length)]
                + "\", \"resume_after_seq\": 999999999, \"perception_hz\": 0}";
        case 2 ->
            "{\"type\": \"move\", \"id\": \"m\", \"to\": {\"x\": 60.5, \"y\": 70, \"z\": 21}, \"speed\": 4.5}";
        case 3 -> "{\"type\": \"move\", \"to\": {\"x\": 300, \"y\": -20, \"z\": 21}}";
        case 4 -> "{\"type\": \"speak\", \"id\": \"s\", \"text\": \"hi\", \"volume\": \"whisper\"}";
        case 5 -> "{\"type\": \"speak\", \"id\": 3, \"text\": \"psst\", \"to\": \"nobody-here\"}";
        case 6 -> "{\"type\": \"emote\", \"id\": 12, \"emote\": \"wave\"}";
        case 7 -> "{\"type\": \"perceive\", \"id\": \"p\"}";
        case 8 -> "{\"type\": \"leave\", \"id\": \"l\"}";
        default -> "{\"type\": \"ping\", \"id\": \"x\"}";
      };
    }

    private String mutate(String s, int times) {
      StringBuilder b = new StringBuilder(s);
      for (int i = 0; i < times && b.length() > 0; i++) {
        int at = r.nextInt(b.length());
        switch (r.nextInt(5)) {
          case 0 -> b.setCharAt(at, (char) (b.charAt(at) ^ (1 << r.nextInt(7))));
          case 1 -> b.deleteCharAt(at);
          case 2 -> b.insert(at, randomChar());
          case 3 -> b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
          default -> {
            int end = Math.min(b.length(), at + 1 + r.nextInt(8));
            b.insert(end, b.substring(at, end));
          }
        }
      }
      return whole(b.toString());
    }

    private String tokens() {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(40);
      for (int i = 0; i < n; i++) {
        b.append(TOKENS[r.nextInt(TOKENS.length)]);
      }
      return b.toString();
    }

    private String nested() {
      int depth = 1 + r.nextInt(r.nextBoolean() ? 40 : 5000);
      String inner =
          switch (r.nextInt(4)) {
            case 0 -> "[".repeat(depth) + "]".repeat(depth);
            case 1 -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            case 2 -> "[".repeat(depth);
            default -> "[{\"x\":".repeat(depth) + "null" + "}]".repeat(depth);
          };
      return switch (r.nextInt(4)) {
        case 0 -> inner;
        case 1 -> "{\"type\": \"ping\", \"id\": \"deep\", \"deep\": " + inner + "}";
        case 2 -> "{\"type\": \"move\", \"id\": \"deep\", \"to\": " + inner + "}";
        default -> "{\"type\": \"join\", \"position\": {\"x\": " + inner + ", \"y\": 1, \"z\": 1}}";
      };
    }

    private String number() {
      return r.nextInt(3) == 0
          ? Integer.toString(r.nextInt(300) - 20)
          : HUGE[r.nextInt(HUGE.length)];
    }

    private String hugeNumbers() {
      return switch (r.nextInt(5)) {
        case 0 ->
            "{\"type\": \"move\", \"id\": "
                + number()
                + ", \"to\": {\"x\": "
                + number()
                + ", \"y\": "
                + number()
                + ", \"z\": "
                + number()
                + "}, \"speed\": "
                + number()
                + "}";
        case 1 ->
            // resume_after_seq only huge or not a whole number: a resume from early in the region
            // would be a replay, not input handling (see AgentSocketSlowConsumerTest).
            "{\"type\": \"join\", \"id\": \"h\", \"region_id\": \""
                + REGION
                + "\", \"resume_after_seq\": "
                + HUGE[r.nextInt(HUGE.length)]
                + ", \"perception_hz\": "
                + (r.nextBoolean() ? "0" : HUGE[r.nextInt(HUGE.length)])
                + "}";
        case 2 -> "{\"type\": \"ping\", \"id\": " + HUGE[r.nextInt(HUGE.length)] + "}";
        case 3 ->
            "{\"type\": \"join\", \"position\": {\"x\": "
                + number()
                + ", \"y\": "
                + number()
                + ", \"z\": "
                + number()
                + "}, \"perception_hz\": 0}";
        default -> HUGE[r.nextInt(HUGE.length)];
      };
    }

    private String wrongTypes() {
      ObjectNode n;
      try {
        n = (ObjectNode) TestServer.JSON.readTree(template());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      List<String> fields = new ArrayList<>();
      n.fieldNames().forEachRemaining(fields::add);
      fields.add("to");
      fields.add("position");
      fields.add("speed");
      fields.add("volume");
      fields.add("resume_after_seq");
      String field = fields.get(r.nextInt(fields.size()));
      switch (r.nextInt(8)) {
        case 0 -> n.putArray(field).add(1).add("two");
        case 1 -> n.putObject(field).put("x", "y");
        case 2 -> n.put(field, r.nextBoolean());
        case 3 -> n.putNull(field);
        case 4 -> n.put(field, r.nextInt(1000) - 500);
        case 5 -> n.put(field, r.nextDouble() * 1000);
        case 6 -> n.put(field, randomText(r.nextInt(20)));
        default -> n.putObject(field).put("x", "1").put("y", true).putNull("z");
      }
      return n.toString();
    }

    private String oversized() {
      int size = ClientMessages.MAX_MESSAGE_BYTES + r.nextInt(2000) - 1000;
      String head = "{\"type\": \"ping\", \"id\": \"big\", \"pad\": \"";
      return head + "q".repeat(Math.max(0, size - head.length() - 2)) + "\"}";
    }

    private String randomText(int length) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < length; i++) {
        b.append(randomChar());
      }
      return b.toString();
    }

    /** A random code point (never a lone surrogate), from the ranges that matter most. */
    private String randomChar() {
      int cp =
          switch (r.nextInt(6)) {
            case 0 -> r.nextInt(0x20);
            case 1, 2 -> 0x20 + r.nextInt(0x5f);
            case 3 -> 0x80 + r.nextInt(0x780);
            case 4 -> {
              int c = 0x800 + r.nextInt(0x10000 - 0x800);
              yield Character.isSurrogate((char) c) ? 0xfffd : c;
            }
            default -> 0x10000 + r.nextInt(0x10ffff - 0x10000);
          };
      return new String(Character.toChars(cp));
    }

    /** {@code s} with any surrogate left alone by a mutation replaced: text frames are UTF-8. */
    private static String whole(String s) {
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          b.append(c).append(s.charAt(++i));
        } else {
          b.append(Character.isSurrogate(c) ? '\ufffd' : c);
        }
      }
      return b.toString();
    }
  }
}

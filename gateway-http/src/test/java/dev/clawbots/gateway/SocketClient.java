package dev.clawbots.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests (the JDK's {@link WebSocket}): what the server sends is kept in
 * order, and read back with a deadline.
 */
final class SocketClient implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(15);

  private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private SocketClient(HttpClient http, URI uri, String token) throws Exception {
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    this.socket = builder.buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
  }

  /** Connects to {@code server}'s agent WebSocket with {@code token} as a Bearer header. */
  static SocketClient connect(TestServer server, String token) throws Exception {
    return new SocketClient(server.http, wsUri(server, "/v1/ws/agent"), token);
  }

  static URI wsUri(TestServer server, String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + server.server.port() + pathAndQuery);
  }

  /** Connects to {@code uri} with no Authorization header. */
  static SocketClient connect(HttpClient http, URI uri) throws Exception {
    return new SocketClient(http, uri, null);
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  /** Sends {@code text} in fragments of {@code size} characters. */
  void sendFragmented(String text, int size) {
    for (int i = 0; i < text.length(); i += size) {
      boolean last = i + size >= text.length();
      socket.sendText(text.substring(i, Math.min(text.length(), i + size)), last).join();
    }
  }

  void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next message, whatever it is. */
  JsonNode next() throws InterruptedException {
    return next(m -> true);
  }

  /**
   * The first message that {@code wanted} accepts. Messages passed over stay unread, in order, for
   * the next reads; {@link #seen()} has everything received so far.
   */
  JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
    for (int i = 0; i < unread.size(); i++) {
      if (wanted.test(unread.get(i))) {
        return unread.remove(i);
      }
    }
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      JsonNode m = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
      if (m == null) {
        throw new AssertionError("no wanted message within " + DEADLINE + "; unread " + unread);
      }
      if (wanted.test(m)) {
        return m;
      }
      unread.add(m);
    }
  }

  private final List<JsonNode> unread = new ArrayList<>();
  private final List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Every message received so far, read or not. */
  List<JsonNode> seen() {
    return seen;
  }

  /** The next message of {@code type}, skipping others. */
  JsonNode next(String type) throws InterruptedException {
    return next(m -> type.equals(m.path("type").asText()));
  }

  /** The reply to the message sent with {@code id}. */
  JsonNode replyTo(String id) throws InterruptedException {
    return next(m -> id.equals(m.path("id").asText(null)));
  }

  /** Stops reading: the server's messages pile up in the socket, as with a stalled client. */
  void stall() {
    stalled = true;
  }

  private volatile boolean stalled;

  boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonNode m;
        try {
          m = TestServer.JSON.readTree(text.toString());
        } catch (Exception e) {
          m = TestServer.JSON.createObjectNode().put("unparsable", text.toString());
        }
        seen.add(m);
        received.add(m);
        text.setLength(0);
      }
      if (!stalled) {
        webSocket.request(1);
      }
      return null;
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
  }
}

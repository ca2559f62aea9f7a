package dev.clawbots.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A scripted agent on the agent WebSocket of a {@link LocalCluster}'s node: it joins its region,
 * then walks and talks, one action at a time, each retried with its {@code id} until acknowledged.
 * When its socket closes it connects to another live node and joins again with {@code
 * resume_after_seq}: the one the server's last message gave, or after a crash the last seq it saw.
 * It keeps what the cluster told it, for the test to check: every ack, every event, every close.
 */
final class WalkingAgent implements AutoCloseable {

  /** An acknowledged action: event {@code seq} of {@code regionId}, a walk's target if a move. */
  record Ack(String regionId, long seq, String type, double[] to) {}

  /** How a socket ended: after the server's closing message (and with which close code) or not. */
  record Disconnect(int node, boolean told, int code, long atNanos) {}

  private static final Duration REPLY_WITHIN = Duration.ofSeconds(6);
  private static final Duration ACTION_WITHIN = Duration.ofSeconds(40);

  final String agentId;
  final String region;
  private final String token;
  private final int home;
  private final Supplier<List<Integer>> liveNodes;
  private final HttpClient http;
  private final LocalCluster cluster;
  private final Random random;

  private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
  private final List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> heard = Collections.synchronizedList(new ArrayList<>());
  private final List<String> chat = Collections.synchronizedList(new ArrayList<>());
  private final List<Disconnect> disconnects = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> resumedAfter = Collections.synchronizedList(new ArrayList<>());

  private WebSocket socket;
  private volatile int node;
  private long lastSeen = -1;
  private Long resumeGiven;
  private boolean told;
  private int next;
  private volatile boolean walking;
  private Thread walker;

  WalkingAgent(
      LocalCluster cluster,
      JsonNode registration,
      String region,
      int home,
      Supplier<List<Integer>> liveNodes,
      long seed) {
    this.cluster = cluster;
    this.http = cluster.http;
    this.agentId = registration.get("agent_id").asText();
    this.token = registration.get("token").asText();
    this.region = region;
    this.home = home;
    this.liveNodes = liveNodes;
    this.random = new Random(seed);
  }

  /** Connects to its home node and joins its region at {@code x, y}. */
  void enter(double x, double y) throws InterruptedException {
    connect(home);
    ObjectNode join = message("join");
    join.put("region_id", region).put("perception_hz", 0);
    join.putObject("position").put("x", x).put("y", y).put("z", 21.0);
    perform(join);
  }

  /** Says {@code text} and waits for its ack. */
  void say(String text) throws InterruptedException {
    perform(message("speak").put("text", text));
  }

  /** Walks and talks on a thread of its own until {@link #halt()}. */
  void startWalking() {
    walking = true;
    walker = new Thread(this::walk, "agent-" + agentId);
    walker.setDaemon(true);
    walker.start();
  }

  /** Finishes the action in hand, then stops; the last action is acknowledged when this returns. */
  void halt() throws InterruptedException {
    walking = false;
    if (walker != null) {
      walker.join(ACTION_WITHIN.toMillis() + 5_000);
      if (walker.isAlive()) {
        throw new AssertionError(agentId + " did not finish its last action");
      }
    }
  }

  /**
   * After {@link #halt()}: reads what is still on its way until every acknowledged event of its
   * region has come, or {@code within} has passed. An ack and its event travel separately (the
   * event through the region's feed), so the event may come after the last read of the walk.
   */
  void hearOwnEvents(Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (socket != null && System.nanoTime() < end && !heardOwnEvents()) {
      read(Duration.ofMillis(200), null);
    }
  }

  private boolean heardOwnEvents() {
    Set<Long> had = new HashSet<>(heard());
    return acks().stream()
        .filter(a -> a.regionId().equals(region))
        .allMatch(a -> had.contains(a.seq()));
  }

  private void walk() {
    try {
      while (walking) {
        if (random.nextInt(10) < 6) {
          ObjectNode move = message("move").put("speed", 8.0);
          move.putObject("to")
              .put("x", 20 + random.nextInt(216))
              .put("y", 20 + random.nextInt(216))
              .put("z", 21.0);
          perform(move);
        } else {
          say("walker " + agentId + " says " + next);
        }
        // Pace the actions (the rate limits count them), reading what arrives meanwhile.
        read(Duration.ofMillis(150 + random.nextInt(200)), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure = e;
    }
  }

  private volatile Throwable failure;

  /** What went wrong on the walking thread, if anything did. */
  Throwable failure() {
    return failure;
  }

  /**
   * Sends {@code action} until it is acknowledged: again after an {@code unavailable} error or no
   * reply, and again on another node after the socket closes.
   */
  private void perform(ObjectNode action) throws InterruptedException {
    String id = agentId.substring(0, 8) + "-" + (next++);
    action.put("id", id);
    long end = System.nanoTime() + ACTION_WITHIN.toNanos();
    while (System.nanoTime() < end) {
      if (socket == null) {
        reconnect();
        continue;
      }
      socket.sendText(action.toString(), true);
      JsonNode reply = read(REPLY_WITHIN, id);
      if (reply == null) {
        continue;
      }
      String type = reply.path("type").asText();
      if (type.equals("ack") || type.equals("welcome")) {
        long seq = reply.path("seq").asLong();
        String regionId = reply.path("region_id").asText();
        double[] to = null;
        if (action.has("to")) {
          JsonNode t = action.get("to");
          to = new double[] {t.get("x").asDouble(), t.get("y").asDouble()};
        }
        acks.add(new Ack(regionId, seq, action.get("type").asText(), to));
        return;
      }
      String code = reply.path("error").path("code").asText();
      if (!code.equals("unavailable")) {
        throw new AssertionError(agentId + ": " + action + " refused: " + reply);
      }
    }
    throw new AssertionError(agentId + ": " + action + " not acknowledged in " + ACTION_WITHIN);
  }

  /**
   * Reads messages for up to {@code within}, keeping events, chat and closing messages; returns the
   * reply to {@code id} as soon as it comes, or null when the time is up or the socket closed.
   */
  private JsonNode read(Duration within, String id) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      JsonNode m = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
      if (m == null) {
        return null;
      }
      String type = m.path("type").asText();
      if (type.equals("_closed")) {
        disconnects.add(new Disconnect(node, told, m.path("code").asInt(-1), System.nanoTime()));
        socket = null;
        return null;
      }
      if (type.equals("event")) {
        JsonNode event = m.get("event");
        if (event.path("region_id").asText().equals(region)) {
          long seq = event.path("seq").asLong();
          heard.add(seq);
          lastSeen = Math.max(lastSeen, seq);
        }
      } else if (type.equals("error") && m.path("closing").asBoolean()) {
        told = true;
        if (m.has("resume_after_seq")) {
          resumeGiven = m.get("resume_after_seq").asLong();
        }
      }
      if (id != null && id.equals(m.path("id").asText(null))) {
        return m;
      }
    }
  }

  /** Connects to a live node (its home first) and joins its region again where it left off. */
  private void reconnect() throws InterruptedException {
    List<Integer> live = new ArrayList<>(liveNodes.get());
    if (live.contains(home)) {
      Collections.swap(live, 0, live.indexOf(home));
    }
    for (int candidate : live) {
      try {
        connect(candidate);
      } catch (RuntimeException refused) {
        continue;
      }
      long after = resumeGiven != null ? resumeGiven : lastSeen;
      ObjectNode join = message("join");
      join.put("region_id", region).put("perception_hz", 0).put("resume_after_seq", after);
      join.put("id", agentId.substring(0, 8) + "-j" + (next++));
      socket.sendText(join.toString(), true);
      JsonNode reply = read(REPLY_WITHIN, join.get("id").asText());
      if (reply != null && reply.path("type").asText().equals("welcome")) {
        resumedAfter.add(after);
        resumeGiven = null;
        return;
      }
      if (socket != null) {
        socket.abort();
        drainClose();
      }
    }
    // No node took it: the next attempt tries again.
    read(Duration.ofMillis(200), null);
  }

  private void drainClose() throws InterruptedException {
    // The aborted socket's close marker, so that it is not taken for the next socket's.
    for (JsonNode m = inbox.poll(1, TimeUnit.SECONDS);
        m != null && !m.path("type").asText().equals("_closed");
        m = inbox.poll(1, TimeUnit.SECONDS)) {
      // Messages of a socket being given up are dropped.
    }
    socket = null;
  }

  private void connect(int target) {
    told = false;
    node = target;
    URI uri = URI.create("ws://127.0.0.1:" + cluster.httpPort(target) + "/v1/ws/agent");
    socket =
        http.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .header("Authorization", "Bearer " + token)
            .buildAsync(uri, new Listener())
            .orTimeout(5, TimeUnit.SECONDS)
            .join();
  }

  private ObjectNode message(String type) {
    return LocalCluster.JSON.createObjectNode().put("type", type);
  }

  List<Ack> acks() {
    synchronized (acks) {
      return List.copyOf(acks);
    }
  }

  /** The seqs of its region's events it was given, in the order given. */
  List<Long> heard() {
    synchronized (heard) {
      return List.copyOf(heard);
    }
  }

  boolean heardSaid(String text) {
    synchronized (chat) {
      return chat.contains(text);
    }
  }

  List<Disconnect> disconnects() {
    synchronized (disconnects) {
      return List.copyOf(disconnects);
    }
  }

  List<Long> resumedAfter() {
    synchronized (resumedAfter) {
      return List.copyOf(resumedAfter);
    }
  }

  /** The node its socket is on now. */
  int node() {
    return node;
  }

  @Override
  public void close() {
    walking = false;
    WebSocket s = socket;
    if (s != null) {
      s.abort();
    }
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
        try {
          JsonNode m = LocalCluster.JSON.readTree(text.toString());
          // Chat is kept as it arrives, so that it is heard while the agent is not acting too.
          if (m.path("event").path("type").asText().equals("chat")) {
            chat.add(m.path("event").path("content").path("text").asText());
          }
          inbox.add(m);
        } catch (Exception e) {
          inbox.add(message("unparsable").put("text", text.toString()));
        }
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      inbox.add(message("_closed").put("code", statusCode));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      inbox.add(message("_closed").put("code", -1));
    }
  }
}

package dev.clawbots.opensim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * An OpenSimulator grid on a loopback port that behaves as {@code opensim.md} says, for tests: its
 * RemoteAdmin (XML-RPC POSTed to {@code /}, the password on every call, fault -32601 for a method
 * that is not enabled, every agent field a string) and, per region, the relay script at an HTTP-in
 * URL {@code /lslhttp/{uuid}/} running the bridge's batches with OSSL's rules: NPCs only in memory,
 * NULL_KEY past the NPC cap, the chat throttle (past 11 channel-0 messages in a second) counted. A
 * dropped URL answers 404; a script that does not answer in time, 500 "Script timeout".
 *
 * <p>It can be stopped (connections refused), started again on the same port, restarted (every NPC
 * forgotten, new relay URLs registered), slowed (relay answers held until released), and a region
 * restarted alone. Time for the chat throttle is the test's clock.
 */
public final class FakeGrid implements AutoCloseable {

  static final String NULL_KEY = "00000000-0000-0000-0000-000000000000";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An NPC in a region. */
  public static final class Npc {
    final String key;
    final String first;
    final String last;
    public volatile double x;
    public volatile double y;
    public volatile double z;

    Npc(String key, String first, String last, double x, double y, double z) {
      this.key = key;
      this.first = first;
      this.last = last;
      this.x = x;
      this.y = y;
      this.z = z;
    }

    public String name() {
      return first + " " + last;
    }
  }

  /** A line an NPC said: {@code how} is w, n or s. */
  public record Said(String npc, String how, String text, long at) {}

  /** A region of the grid, with its relay script. */
  public static final class Region {
    final String name;
    final String id = UUID.randomUUID().toString();
    public final Map<String, Npc> npcs = new ConcurrentHashMap<>();
    public final List<Said> chat = Collections.synchronizedList(new ArrayList<>());
    final List<String> animations = Collections.synchronizedList(new ArrayList<>());
    volatile String token;
    final AtomicInteger throttled = new AtomicInteger();

    Region(String name) {
      this.name = name;
    }

    Npc byName(String name) {
      return npcs.values().stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
    }
  }

  private final String password;
  private final LongSupplier nanos;
  private final Map<String, Region> regions = new LinkedHashMap<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private HttpServer server;
  private int port;

  volatile Set<String> enabledMethods = Set.of("all");
  volatile int npcCap = 40;
  volatile boolean scriptTimeouts;

  /** The secret the relay script was set up with. */
  public volatile String relaySecret = "relay-secret";

  private volatile CountDownLatch gate;
  public volatile BiConsumer<String, URI> registrar = (region, url) -> {};

  final Map<String, AtomicInteger> adminCalls = new ConcurrentHashMap<>();
  final AtomicInteger relayBatches = new AtomicInteger();
  final AtomicInteger staleAnswers = new AtomicInteger();
  final AtomicInteger oversizedBatches = new AtomicInteger();
  final AtomicInteger held = new AtomicInteger();

  public FakeGrid(String password, LongSupplier nanos, String... regionNames) {
    this.password = password;
    this.nanos = nanos;
    for (String name : regionNames) {
      regions.put(name, new Region(name));
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public Region region(String name) {
    return regions.get(name);
  }

  public URI relayUrl(String region) {
    return URI.create("http://127.0.0.1:" + port + "/lslhttp/" + regions.get(region).token + "/");
  }

  int adminCalls(String method) {
    return adminCalls.getOrDefault(method, new AtomicInteger()).get();
  }

  int adminCalls() {
    return adminCalls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Starts answering; every region's script gets a new URL and registers it. */
  public synchronized FakeGrid start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    port = server.getAddress().getPort();
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
    for (Region r : regions.values()) {
      regionStarted(r);
    }
    return this;
  }

  /** Stops answering: connections are refused. NPCs stay, as when only the network is away. */
  public synchronized void stop() {
    if (server != null) {
      release();
      server.stop(0);
      server = null;
    }
  }

  /** The simulator restarts: NPCs live only in memory, so all are gone; the scripts register. */
  public synchronized void restart() throws IOException {
    stop();
    regions.values().forEach(r -> r.npcs.clear());
    start();
  }

  /** One region restarts: its NPCs are gone, its old URL answers 404, the script registers. */
  void restartRegion(String name, boolean register) {
    Region r = regions.get(name);
    r.npcs.clear();
    r.token = UUID.randomUUID().toString();
    if (register) {
      registrar.accept(r.name, relayUrl(r.name));
    }
  }

  /** The script of {@code name} registers its current URL again (CHANGED_REGION_START). */
  public void register(String name) {
    registrar.accept(name, relayUrl(name));
  }

  private void regionStarted(Region r) {
    r.token = UUID.randomUUID().toString();
    registrar.accept(r.name, relayUrl(r.name));
  }

  /** Holds every relay answer until {@link #release()}. */
  void slowDown() {
    gate = new CountDownLatch(1);
  }

  void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** Moves an NPC as if something in-world pushed it. */
  void displace(String region, String key, double x, double y) {
    Npc n = regions.get(region).npcs.get(key);
    n.x = x;
    n.y = y;
  }

  @Override
  public void close() {
    stop();
    pool.shutdownNow();
  }

  // ---- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (path.equals("/simstatus") && exchange.getRequestMethod().equals("GET")) {
        answer(exchange, 200, "text/plain", "OK");
      } else if (path.equals("/") && exchange.getRequestMethod().equals("POST")) {
        answer(exchange, 200, "text/xml", XmlRpc.response(remoteAdmin(XmlRpc.parseCall(body))));
      } else if (path.startsWith("/lslhttp/")) {
        relay(exchange, path, body);
      } else {
        answer(exchange, 404, "text/plain", "Not Found");
      }
    } catch (RuntimeException | InterruptedException e) {
      answer(exchange, 500, "text/plain", "fake grid: " + e);
    } finally {
      exchange.close();
    }
  }

  private static void answer(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  // ---- RemoteAdmin (RemoteAdminPlugin.cs, as opensim.md reads it)

  private XmlRpc.Answer remoteAdmin(XmlRpc.Call call) {
    adminCalls.computeIfAbsent(call.method(), m -> new AtomicInteger()).incrementAndGet();
    if (!enabledMethods.contains("all") && !enabledMethods.contains(call.method())) {
      return new XmlRpc.Fault(-32601, "Requested method [" + call.method() + "] not found");
    }
    Object given = call.params().get("password");
    if (!(given instanceof String s) || s.isEmpty()) {
      return failure("missing string parameter password");
    }
    if (!s.equals(password)) {
      return failure("wrong password");
    }
    switch (call.method()) {
      case "admin_get_opensim_version":
        return ok(Map.of("version", "OpenSim 0.9.3.0 Fake"));
      case "admin_region_query":
        {
          Region r = regionOf(call.params());
          Map<String, Object> m = new LinkedHashMap<>();
          // An unknown region still answers success, with health 0.
          m.put("health", r == null ? 0 : 1);
          m.put("flags", 0);
          m.put("message", r == null ? "" : "ok");
          return ok(m);
        }
      case "admin_get_agents":
        {
          Region r = regionOf(call.params());
          if (r == null) {
            return failure("Region " + call.params().get("region_name") + " not found");
          }
          List<Object> agents = new ArrayList<>();
          for (Npc n : r.npcs.values()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", n.name());
            a.put("id", n.key);
            a.put("type", "Npc");
            a.put("current_parcel_id", UUID.randomUUID().toString());
            a.put("pos_x", Double.toString(n.x));
            a.put("pos_y", Double.toString(n.y));
            a.put("pos_z", Double.toString(n.z));
            a.put("is_flying", "False");
            agents.add(a);
          }
          Map<String, Object> region = new LinkedHashMap<>();
          region.put("name", r.name);
          region.put("id", r.id);
          region.put("agents", agents);
          return ok(Map.of("regions", List.of(region)));
        }
      case "admin_broadcast":
        return ok(Map.of("accepted", true));
      default:
        return new XmlRpc.Fault(-32601, "Requested method [" + call.method() + "] not found");
    }
  }

  private Region regionOf(Map<String, Object> params) {
    Object name = params.get("region_name");
    if (name != null) {
      return regions.get(name.toString());
    }
    Object id = params.get("region_id");
    return regions.values().stream()
        .filter(r -> r.id.equals(String.valueOf(id)))
        .findFirst()
        .orElse(null);
  }

  private static XmlRpc.Answer ok(Map<String, Object> fields) {
    Map<String, Object> m = new LinkedHashMap<>(fields);
    m.put("success", true);
    return new XmlRpc.Struct(m);
  }

  private static XmlRpc.Answer failure(String error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("success", false);
    m.put("error", error);
    m.put("accepted", false);
    return new XmlRpc.Struct(m);
  }

  // ---- The relay script (clawbots-relay.lsl, with OSSL's behaviour)

  private void relay(HttpExchange exchange, String path, String body)
      throws IOException, InterruptedException {
    String token = path.substring("/lslhttp/".length()).replace("/", "");
    Region region =
        regions.values().stream().filter(r -> token.equals(r.token)).findFirst().orElse(null);
    if (region == null) {
      staleAnswers.incrementAndGet();
      answer(exchange, 404, "text/plain", "Not Found");
      return;
    }
    if (!relaySecret.equals(exchange.getRequestHeaders().getFirst("X-ClawBots-Secret"))) {
      // The script refuses batches without the server's secret.
      answer(exchange, 403, "text/plain", "forbidden");
      return;
    }
    CountDownLatch g = gate;
    if (g != null) {
      held.incrementAndGet();
      g.await(60, TimeUnit.SECONDS);
      held.decrementAndGet();
    }
    relayBatches.incrementAndGet();
    if (body.getBytes(StandardCharsets.UTF_8).length > 2048) {
      oversizedBatches.incrementAndGet();
    }
    JsonNode batch = JSON.readTree(body);
    List<String> results = new ArrayList<>();
    for (JsonNode cmd : batch.get("cmds")) {
      results.add(run(region, cmd));
    }
    if (scriptTimeouts) {
      // The script ran it, but its answer came after the 25 s the grid waits.
      answer(exchange, 500, "text/plain", "Script timeout");
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("batch", batch.get("batch").asInt());
    out.put("results", results);
    answer(exchange, 200, "application/json", JSON.writeValueAsString(out));
  }

  private String run(Region r, JsonNode cmd) {
    String op = cmd.get(0).asText();
    switch (op) {
      case "c":
        {
          if (npcCap > 0 && r.npcs.size() >= npcCap) {
            return NULL_KEY;
          }
          Npc n =
              new Npc(
                  UUID.randomUUID().toString(),
                  cmd.get(1).asText(),
                  cmd.get(2).asText(),
                  cmd.get(3).asDouble(),
                  cmd.get(4).asDouble(),
                  cmd.get(5).asDouble());
          r.npcs.put(n.key, n);
          return n.key;
        }
      case "m":
        {
          Npc n = r.npcs.get(cmd.get(1).asText());
          if (n == null) {
            return "gone";
          }
          // A fake NPC walks in no time: it is at its target when the answer goes.
          n.x = cmd.get(2).asDouble();
          n.y = cmd.get(3).asDouble();
          n.z = cmd.get(4).asDouble();
          return "ok";
        }
      case "s":
        {
          Npc n = r.npcs.get(cmd.get(1).asText());
          if (n == null) {
            return "gone";
          }
          long now = nanos.getAsLong();
          synchronized (r.chat) {
            long lastSecond = r.chat.stream().filter(s -> now - s.at() < 1_000_000_000L).count();
            if (lastSecond >= 11) {
              // OSSL would now put the script to sleep for 2 s.
              r.throttled.incrementAndGet();
            }
            r.chat.add(new Said(n.name(), cmd.get(2).asText(), cmd.get(3).asText(), now));
          }
          return "ok";
        }
      case "a":
        {
          Npc n = r.npcs.get(cmd.get(1).asText());
          if (n == null) {
            return "gone";
          }
          r.animations.add(n.name() + ":" + cmd.get(2).asText());
          return "ok";
        }
      case "r":
        return r.npcs.remove(cmd.get(1).asText()) == null ? "gone" : "ok";
      default:
        return "unknown";
    }
  }
}

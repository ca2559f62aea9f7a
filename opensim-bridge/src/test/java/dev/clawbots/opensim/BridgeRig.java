package dev.clawbots.opensim;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Permission;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A bridge stepped by hand on a manual clock against a {@link FakeGrid}, with a thread standing in
 * for a region's: every region-side call goes through it, and the transport notes which threads the
 * grid was called from. {@link #tick()} moves the clock one step, steps the bridge, and waits for
 * every call to the grid to be answered, so that a test's sequence of events is the same every run.
 */
final class BridgeRig implements AutoCloseable {

  static final String MAIN = "ClawBots Main";
  static final String SECRET = "relay-secret";
  static final Duration STEP = Duration.ofMillis(100);

  final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  final FakeGrid grid;
  final RecordingMetrics metrics = new RecordingMetrics();
  final Set<String> gridCallThreads = ConcurrentHashMap.newKeySet();
  final ExecutorService regionThread =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "region-main"));
  final OpenSimBridge bridge;
  private long seq;

  BridgeRig(String password, int bridgeCap, String gridPassword) throws Exception {
    this(password, bridgeCap, gridPassword, 200);
  }

  BridgeRig(String password, int bridgeCap, String gridPassword, int chatQueue) throws Exception {
    this(password, bridgeCap, gridPassword, chatQueue, MAIN);
  }

  /** A rig whose grid has the regions {@code gridRegions}; the bridge mirrors main into MAIN. */
  BridgeRig(
      String password, int bridgeCap, String gridPassword, int chatQueue, String... gridRegions)
      throws Exception {
    grid = new FakeGrid(gridPassword, nanos::get, gridRegions);
    grid.start();
    BridgeSettings settings =
        new BridgeSettings(
            java.util.Optional.of(grid.url()),
            password,
            SECRET,
            Map.of("main", MAIN),
            chatQueue,
            10,
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            bridgeCap,
            Duration.ofSeconds(30),
            2.0,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            2048,
            STEP,
            Duration.ofSeconds(10));
    HttpGridTransport http = new HttpGridTransport(Duration.ofSeconds(2));
    GridTransport noted =
        (URI uri, String type, Map<String, String> headers, String body, Duration timeout) -> {
          gridCallThreads.add(Thread.currentThread().getName());
          return http.post(uri, type, headers, body, timeout);
        };
    bridge = new OpenSimBridge(settings, noted, nanos::get, metrics, null);
    grid.registrar = (region, url) -> bridge.register(region, url.toString(), SECRET);
    if (grid.region(MAIN) != null) {
      grid.register(MAIN);
    }
  }

  static BridgeRig standard() throws Exception {
    return new BridgeRig("pw", 0, "pw");
  }

  FakeGrid.Region main() {
    return grid.region(MAIN);
  }

  /** One step of the clock; the bridge steps and every call it made is answered. */
  void tick() {
    nanos.addAndGet(STEP.toNanos());
    bridge.step();
    await(bridge::idle, "the bridge's calls to the grid to be answered");
  }

  void ticks(int n) {
    for (int i = 0; i < n; i++) {
      tick();
    }
  }

  /** Ticks until {@code condition}, at most {@code max} ticks. */
  void tickUntil(BooleanSupplier condition, int max, String what) {
    for (int i = 0; i < max; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      tick();
    }
    if (!condition.getAsBoolean()) {
      throw new AssertionError("not within " + max + " ticks: " + what);
    }
  }

  /** Waits (real time, with a deadline) for something asynchronous. */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  // ---- The region's side, on the region's thread.

  /** Runs {@code call} on the region's thread and waits for it (5 s at most). */
  void onRegion(Runnable call) {
    try {
      CompletableFuture.runAsync(call, regionThread).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("a region-side call did not return at once", e);
    }
  }

  void event(RegionEvent e) {
    onRegion(() -> bridge.eventJournaled(e));
  }

  private Instant at() {
    return Instant.ofEpochSecond(1_800_000_000L);
  }

  RegionEvent joined(String id, String name, Vec3 at) {
    return new RegionEvent.AgentJoined("main", ++seq, seq, at(), id, name, at, Permission.DEFAULTS);
  }

  RegionEvent moveStarted(String id, Vec3 from, Vec3 to) {
    return new RegionEvent.MoveStarted("main", ++seq, seq, at(), id, from, to, 3.2);
  }

  RegionEvent arrived(String id, Vec3 at) {
    return new RegionEvent.Arrived("main", ++seq, seq, at(), id, at);
  }

  RegionEvent spoke(String id, String text, ChatRange volume, String to) {
    return new RegionEvent.Spoke("main", ++seq, seq, at(), id, text, volume, to, List.of(id));
  }

  RegionEvent emoted(String id, String emote) {
    return new RegionEvent.Emoted("main", ++seq, seq, at(), id, emote, List.of(id));
  }

  RegionEvent left(String id, Vec3 at) {
    return new RegionEvent.AgentLeft("main", ++seq, seq, at(), id, "left", at);
  }

  void moved(List<TickReport.AgentPosition> positions) {
    onRegion(() -> bridge.agentsMoved("main", seq, positions));
  }

  /** The NPC of an agent in the fake grid, or null. */
  FakeGrid.Npc npcOf(String agentId) {
    String key = bridge.npcs("main").get(agentId);
    return key == null ? null : main().npcs.get(key);
  }

  @Override
  public void close() {
    regionThread.shutdownNow();
    grid.close();
    bridge.close();
  }
}

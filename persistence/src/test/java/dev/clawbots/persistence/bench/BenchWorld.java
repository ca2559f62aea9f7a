package dev.clawbots.persistence.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.clawbots.persistence.JournalConfig;
import dev.clawbots.persistence.JournalSchema;
import dev.clawbots.region.GridMirror;
import dev.clawbots.region.Region;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionEnvironment;
import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.RegionSettings;
import dev.clawbots.region.Regions;
import dev.clawbots.region.TopicRegionFeed;
import dev.clawbots.world.GridCoord;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One benchmark run's world: a fresh PostgreSQL schema with the journal tables, one actor system
 * (no cluster, no sharding) on the production persistence.conf, regions spawned directly, the real
 * world clock, and a feed that counts what regions announce. Closing it stops the system and drops
 * the schema; a shutdown hook does the same if the run is cut short.
 */
final class BenchWorld implements AutoCloseable {

  static final String BASE_URL = "jdbc:postgresql://127.0.0.1:5432/clawbots";
  static final String USER = "clawbots";
  static final String PASSWORD = "clawbots";

  final String schema;
  final Config config;
  final ActorTestKit kit;
  final WorldClock clock = WorldClock.system();
  final CountingFeed feed;
  final Duration askTimeout;
  private final Map<String, ActorRef<RegionCommand>> running = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook;

  private BenchWorld(String schema, Config config, boolean topicFeed, Duration askTimeout) {
    this.schema = schema;
    this.config = config;
    this.askTimeout = askTimeout;
    this.kit = ActorTestKit.create("bench", config);
    this.feed = new CountingFeed(topicFeed ? new TopicRegionFeed(kit.system()) : null);
    this.hook = new Thread(this::closeQuietly, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Creates schema {@code bench_<hex>}, the journal tables in it, and the actor system. */
  static BenchWorld start(boolean topicFeed, Duration askTimeout) throws SQLException {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String schema = "bench_" + HexFormat.of().formatHex(random);
    execute("CREATE SCHEMA " + schema);
    try {
      Config resolved =
          ConfigFactory.load(
              ConfigFactory.parseString(
                      "pekko.loglevel = WARNING\n"
                          + "pekko.actor.testkit.typed.throw-on-shutdown-timeout = off\n"
                          + "clawbots.database.url = \""
                          + BASE_URL
                          + "?currentSchema="
                          + schema
                          + "\"\n")
                  .withFallback(ConfigFactory.parseResources("persistence.conf")));
      Config config = JournalConfig.from(Map.of(), resolved).applyTo(resolved);
      JournalSchema.createIfNotExists(config);
      System.out.println("# schema " + schema + "; " + journalSettings(config));
      return new BenchWorld(schema, config, topicFeed, askTimeout);
    } catch (SQLException | RuntimeException e) {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      throw e;
    }
  }

  /** The journal's batching, pool and replay settings in force, for the record. */
  static String journalSettings(Config c) {
    Config j = c.getConfig("jdbc-journal");
    Config db = c.getConfig(JournalConfig.SHARED_DATABASE_PATH + ".db");
    return "journal bufferSize="
        + j.getInt("bufferSize")
        + " batchSize="
        + j.getInt("batchSize")
        + " parallelism="
        + j.getInt("parallelism")
        + " replayBatchSize="
        + j.getInt("replayBatchSize")
        + " pool="
        + db.getInt("maxConnections")
        + " url="
        + db.getString("url");
  }

  /** {@code n} regions named {@code prefix-i} on a grid at most 20 cells wide. */
  static WorldMap grid(String prefix, int n) {
    int width = Math.min(n, 20);
    List<WorldMap.Placement> placements = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      placements.add(
          new WorldMap.Placement(
              prefix + "-" + i, prefix + " " + i, new GridCoord(i % width, i / width)));
    }
    return new WorldMap(placements);
  }

  /** The configured region settings with automatic ticks on and the given snapshot cadence. */
  RegionSettings settings(int snapshotEvery, int snapshotsKept) {
    RegionSettings b = RegionSettings.from(config);
    return new RegionSettings(
        true,
        snapshotEvery,
        snapshotsKept,
        b.passivateAfter(),
        b.agentIdleTimeout(),
        b.housekeepingInterval(),
        b.handoverTimeout(),
        b.handoverBackoffMax(),
        b.restartBackoffMin(),
        b.restartBackoffMax());
  }

  /** The configured region settings with automatic ticks on. */
  RegionSettings settings() {
    return RegionSettings.from(config).withAutomaticTicks(true);
  }

  RegionEnvironment environment(WorldMap map, RegionSettings settings) {
    return new RegionEnvironment(map, clock, settings, feed, GridMirror.NONE, running::get);
  }

  ActorRef<RegionCommand> spawn(String regionId, RegionEnvironment env) {
    ActorRef<RegionCommand> ref =
        kit.spawn(Region.create(regionId, env, null), regionId + "-" + System.nanoTime());
    running.put(regionId, ref);
    return ref;
  }

  void stop(String regionId) {
    ActorRef<RegionCommand> ref = running.remove(regionId);
    if (ref != null) {
      kit.stop(ref, Duration.ofSeconds(30));
    }
  }

  ActorRef<RegionCommand> ref(String regionId) {
    return running.get(regionId);
  }

  CompletionStage<RegionReply> ask(
      String regionId, Function<ActorRef<RegionReply>, RegionCommand> command) {
    return Regions.ask(running.get(regionId), command, askTimeout, kit.scheduler());
  }

  RegionReply.View view(String regionId, Duration timeout) {
    RegionReply r =
        Regions.ask(running.get(regionId), RegionCommand.View::new, timeout, kit.scheduler())
            .toCompletableFuture()
            .join();
    if (r instanceof RegionReply.View v) {
      return v;
    }
    throw new IllegalStateException(regionId + " answered View with " + r);
  }

  /** A single number from SQL run in this run's schema. */
  long queryLong(String sql) throws SQLException {
    try (Connection c = connect(BASE_URL + "?currentSchema=" + schema);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() {
    closeQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }

  private void closeQuietly() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      kit.shutdownTestKit();
    } catch (RuntimeException e) {
      System.err.println("# actor system shutdown: " + e);
    }
    try {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      System.out.println("# dropped schema " + schema);
    } catch (SQLException e) {
      System.err.println("# could not drop schema " + schema + ": " + e);
    }
  }

  /** Runs {@code sql}, one statement after another, in {@code schema}. */
  static void executeIn(String schema, String... sql) throws SQLException {
    try (Connection c = connect(BASE_URL + "?currentSchema=" + schema);
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  private static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, USER, PASSWORD);
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = connect(BASE_URL);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Counts what regions hand their feed, and optionally passes it on to a real one. */
  static final class CountingFeed implements RegionFeed {
    final LongAdder events = new LongAdder();
    final LongAdder movedReports = new LongAdder();
    final LongAdder movedPositions = new LongAdder();
    final LongAdder ticksStepped = new LongAdder();
    private final Map<String, Long> lastTick = new ConcurrentHashMap<>();
    private final RegionFeed next;

    CountingFeed(RegionFeed next) {
      this.next = next;
    }

    @Override
    public void eventJournaled(RegionEvent event) {
      events.increment();
      if (next != null) {
        next.eventJournaled(event);
      }
    }

    @Override
    public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
      movedReports.increment();
      movedPositions.add(moved.size());
      Long previous = lastTick.put(regionId, tick);
      ticksStepped.add(previous == null ? 1 : Math.max(0, tick - previous));
      if (next != null) {
        next.agentsMoved(regionId, tick, moved);
      }
    }
  }
}

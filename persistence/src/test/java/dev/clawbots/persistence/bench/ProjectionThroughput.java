package dev.clawbots.persistence.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.clawbots.persistence.JournalBackend;
import dev.clawbots.persistence.ReadSideProjection;
import dev.clawbots.persistence.ReadSideSchema;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldMap;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The projection's throughput against PostgreSQL's own insert rate on this machine, in one run.
 * Regions first fill the journal with {@code --events} events (half chat, which the projection
 * writes to both {@code events} and {@code chat_messages}, half walking); then the projection
 * starts from offset 0 and the time until it has written them all gives events per second. Then
 * {@code pgbench} inserts rows of the same shape into a copy of the {@code events} table: one row
 * per transaction (the commit rate, PostgreSQL's limit for one-by-one writes) and {@code --batch}
 * rows per transaction (its limit for the batched writes the projection does).
 */
final class ProjectionThroughput {

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

  private ProjectionThroughput() {}

  static void run(Options o) throws Exception {
    int events = o.integer("events", 100_000);
    int regions = o.integer("regions", 20);
    int agents = o.integer("agents", 10);
    int inflight = o.integer("inflight", 200);
    int batch = o.integer("batch", 500);
    int pgbenchSeconds = o.integer("pgbench-seconds", 20);
    int clients = o.integer("pgbench-clients", 2);
    o.rejectUnknown();

    String label = "projection[events=" + events + "]";
    try (BenchWorld world = BenchWorld.start(false, Duration.ofSeconds(30))) {
      String url =
          BenchWorld.BASE_URL + "?currentSchema=" + world.schema + "&reWriteBatchedInserts=true";
      ReadSideSchema.migrate(url, BenchWorld.USER, BenchWorld.PASSWORD, JournalBackend.POSTGRESQL);

      WorldMap map = BenchWorld.grid("proj", regions);
      for (var spec : map.regions()) {
        world.spawn(spec.id(), world.environment(map, world.settings()));
        for (int i = 0; i < agents; i++) {
          int k = i;
          String agent = spec.id() + "-a" + k;
          Vec3 home = new Vec3(20 + 10 * k, 50, 21);
          world
              .ask(
                  spec.id(),
                  r -> new RegionCommand.Join(agent, "Agent " + k, home, Permission.DEFAULTS, r))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
        }
      }
      AtomicLong sent = new AtomicLong(regions * (long) agents);
      long t0 = System.nanoTime();
      ClosedLoop building =
          new ClosedLoop(
              inflight,
              c -> {
                if (sent.incrementAndGet() > events) {
                  return null;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String region = map.regions().get(random.nextInt(regions)).id();
                int k = random.nextInt(agents);
                String agent = region + "-a" + k;
                if (random.nextBoolean()) {
                  return world.ask(
                      region,
                      r ->
                          new RegionCommand.Speak(
                              agent, "the tide is turning, " + k, ChatRange.NORMAL, null, r));
                }
                Vec3 to = new Vec3(20 + 10 * k + random.nextDouble(), 50, 21);
                return world.ask(region, r -> new RegionCommand.Move(agent, to, 10.0, r));
              },
              null);
      building.start();
      if (!building.await(900)) {
        building.stop();
        throw new IllegalStateException("building the journal took more than 15 minutes");
      }
      if (building.othersTotal() > 0) {
        throw new IllegalStateException("building: not accepted " + building.others());
      }
      for (var spec : map.regions()) {
        world.stop(spec.id()); // only the projection uses the database from here on
      }
      // Every event here is visible: no agent crosses, so no hand-over bookkeeping is journaled.
      long visible = world.queryLong("SELECT count(*) FROM event_journal");
      // Fresh tables have no statistics: until autovacuum analyzes them, PostgreSQL plans the tag
      // query (a page of 500 after an ordering) as a scan of the whole range, ~200 ms instead of
      // ~2 ms. A running server's journal is analyzed; this one is analyzed by hand.
      BenchWorld.executeIn(world.schema, "ANALYZE event_journal", "ANALYZE event_tag");
      Report.line(
          label,
          visible
              + " visible events journaled in "
              + Report.f((System.nanoTime() - t0) / 1e9)
              + " s by "
              + regions
              + " regions");
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl(url);
      hc.setUsername(BenchWorld.USER);
      hc.setPassword(BenchWorld.PASSWORD);
      hc.setMaximumPoolSize(2);
      ExecutorService blocking = Executors.newFixedThreadPool(2);
      try (HikariDataSource ds = new HikariDataSource(hc)) {
        Usage before = Usage.now();
        long p0 = System.nanoTime();
        ReadSideProjection projection =
            ReadSideProjection.start(
                world.kit.system(),
                ds,
                blocking,
                new ReadSideProjection.Settings(
                    batch, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5)));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (projection.projected() < visible) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "projected " + projection.projected() + " of " + visible + " in 10 minutes");
          }
          TimeUnit.MILLISECONDS.sleep(20); // polling a benchmark's progress, not a test
        }
        double seconds = (System.nanoTime() - p0) / 1e9;
        Usage after = Usage.now();
        projection.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        long rows = world.queryLong("SELECT count(*) FROM events");
        long chats = world.queryLong("SELECT count(*) FROM chat_messages");
        if (rows != visible) {
          throw new IllegalStateException("events holds " + rows + " rows, not " + visible);
        }
        double projected = visible / seconds;
        Report.figure(
            label,
            "projection_events_per_s",
            projected,
            "/s",
            visible
                + " events ("
                + chats
                + " of them chat, written twice) in "
                + Report.f(seconds)
                + " s, batch "
                + batch
                + "; "
                + before.describe(after));

        double single = pgbench(world.schema, 1, pgbenchSeconds, clients);
        double batched = pgbench(world.schema, batch, pgbenchSeconds, clients) * batch;
        Report.figure(
            label, "pgbench_rows_per_s_1_per_tx", single, "/s", clients + " clients, one row each");
        Report.figure(
            label,
            "pgbench_rows_per_s_" + batch + "_per_tx",
            batched,
            "/s",
            clients + " clients, " + batch + " rows per transaction");
        Report.figure(label, "projection / pgbench 1 per tx", projected / single, "ratio", "");
        Report.figure(
            label, "projection / pgbench " + batch + " per tx", projected / batched, "ratio", "");
      } finally {
        blocking.shutdownNow();
      }
    }
  }

  /** pgbench's transactions per second inserting {@code rows} event-shaped rows per transaction. */
  private static double pgbench(String schema, int rows, int seconds, int clients)
      throws Exception {
    String table = schema + ".pgbench_events";
    Path script = Files.createTempFile("pgbench-events-", ".sql");
    Files.writeString(
        script,
        "\\set region random(0, 199)\n"
            + "\\set base random(1, 1000000000)\n"
            + "INSERT INTO "
            + table
            + " SELECT 'proj-' || :region, :base::bigint * 1000 + g, 1234, 'chat', 'proj-a1', NULL,"
            + " '{\"text\": \"the tide is turning, 1\", \"volume\": \"normal\", \"private\": false}',"
            + " now() FROM generate_series(1, "
            + rows
            + ") g ON CONFLICT DO NOTHING;\n");
    try {
      BenchWorld.executeIn(
          schema,
          "CREATE TABLE IF NOT EXISTS pgbench_events (LIKE events INCLUDING DEFAULTS)",
          "ALTER TABLE pgbench_events ADD PRIMARY KEY (region, seq, created_at)");
      ProcessBuilder pb =
          new ProcessBuilder(
                  "pgbench",
                  "-n",
                  "-h",
                  "127.0.0.1",
                  "-U",
                  BenchWorld.USER,
                  "-c",
                  Integer.toString(clients),
                  "-j",
                  Integer.toString(clients),
                  "-T",
                  Integer.toString(seconds),
                  "-f",
                  script.toString(),
                  "clawbots")
              .redirectErrorStream(true);
      pb.environment().put("PGPASSWORD", BenchWorld.PASSWORD);
      Process p = pb.start();
      StringBuilder out = new StringBuilder();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.append(line).append('\n');
        }
      }
      if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("pgbench failed: " + out);
      }
      Matcher m = TPS.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("no tps in pgbench's output: " + out);
      }
      BenchWorld.executeIn(schema, "DROP TABLE pgbench_events");
      return Double.parseDouble(m.group(1));
    } finally {
      Files.deleteIfExists(script);
    }
  }
}

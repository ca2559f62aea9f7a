package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.clawbots.region.GridMirror;
import dev.clawbots.region.Region;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionEnvironment;
import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.RegionSettings;
import dev.clawbots.region.Regions;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.GridCoord;
import dev.clawbots.world.ManualClock;
import dev.clawbots.world.Permission;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read side's projection over events journaled by real regions: rows as the contract shapes
 * them, private chat kept out of public history, and every visible event written exactly once
 * however the projection is stopped, restarted, replayed or cut off from its database. Subclasses
 * say which database.
 */
abstract class ReadSideProjectionContract {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock wall =
      new ManualClock(WorldClock.DEFAULT_EPOCH.plus(Duration.ofDays(3)));
  private final WorldClock clock =
      new WorldClock(wall, WorldClock.DEFAULT_EPOCH, Duration.ofMillis(100), Duration.ofHours(4));
  // Fresh region ids per test: on PostgreSQL the tests share a schema and so a journal.
  private final String west = "w-" + UUID.randomUUID().toString().substring(0, 8);
  private final String east = "e-" + UUID.randomUUID().toString().substring(0, 8);
  private final WorldMap map =
      new WorldMap(
          List.of(
              new WorldMap.Placement(west, "West", new GridCoord(0, 0)),
              new WorldMap.Placement(east, "East", new GridCoord(1, 0))));
  private final Map<String, ActorRef<RegionCommand>> regions = new HashMap<>();
  private final Map<Long, Long> tickOfSeq = new HashMap<>();
  private final List<ReadSideProjection> projections = new ArrayList<>();
  private ActorTestKit kit;
  private HikariDataSource pool;
  private GatedDataSource gate;
  private ExecutorService blocking;

  /** The JDBC URL of an empty database, or of an empty schema. */
  abstract String databaseUrl();

  @BeforeEach
  void start() throws SQLException {
    Config journal = RegionJournalContract.journalAt(databaseUrl());
    ReadSideSchema.migrate(journal);
    Config config =
        ConfigFactory.parseString(
                "pekko.loglevel = WARNING\n"
                    + "jdbc-read-journal.refresh-interval = 50ms\n"
                    + "jdbc-read-journal.journal-sequence-retrieval.query-delay = 50ms\n")
            .withFallback(journal);
    kit = ActorTestKit.create("read-side", config);
    // The read side shares the journal's database, as the server's does: same URL and user.
    Config db = journal.getConfig(JournalConfig.SHARED_DATABASE_PATH + ".db");
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(db.getString("url"));
    hikari.setUsername(db.getString("user"));
    hikari.setPassword(db.getString("password"));
    hikari.setMaximumPoolSize(4);
    hikari.setPoolName("read-side-test");
    pool = new HikariDataSource(hikari);
    gate = new GatedDataSource(pool);
    blocking = Executors.newFixedThreadPool(4);
    for (String id : List.of(west, east)) {
      regions.put(id, kit.spawn(Region.create(id, environment(), null), id));
    }
  }

  @AfterEach
  void stop() {
    if (gate != null) {
      gate.open();
      gate.fail(false);
    }
    projections.forEach(p -> p.stop().toCompletableFuture().join());
    if (kit != null) {
      kit.shutdownTestKit();
    }
    if (pool != null) {
      pool.close();
    }
    if (blocking != null) {
      blocking.shutdownNow();
    }
  }

  private RegionEnvironment environment() {
    RegionFeed quiet =
        new RegionFeed() {
          @Override
          public void eventJournaled(RegionEvent event) {}

          @Override
          public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> m) {}
        };
    return new RegionEnvironment(
        map,
        clock,
        RegionSettings.from(kit.system().settings().config()),
        quiet,
        GridMirror.NONE,
        regions::get);
  }

  private ReadSideProjection project() {
    return project(new ReadSideProjection.Settings(500, Duration.ofMillis(20), ms(50), ms(200)));
  }

  private ReadSideProjection project(ReadSideProjection.Settings settings) {
    ReadSideProjection p = ReadSideProjection.start(kit.system(), gate, blocking, settings);
    projections.add(p);
    return p;
  }

  private void stopped(ReadSideProjection p) {
    p.stop().toCompletableFuture().join();
    projections.remove(p);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** Sends a command to a region and expects it accepted; answers the event's seq. */
  private long act(String region, Function<ActorRef<RegionReply>, RegionCommand> command) {
    RegionReply reply =
        Regions.ask(regions.get(region), command, DEADLINE, kit.scheduler())
            .toCompletableFuture()
            .join();
    assertThat(reply).isInstanceOf(RegionReply.Accepted.class);
    RegionReply.Accepted ok = (RegionReply.Accepted) reply;
    if (region.equals(west)) {
      tickOfSeq.put(ok.seq(), ok.acceptedTick());
    }
    return ok.seq();
  }

  private long join(String region, String agent, String name, Vec3 at) {
    return act(region, r -> new RegionCommand.Join(agent, name, at, Permission.DEFAULTS, r));
  }

  private long say(String region, String agent, String text, ChatRange volume, String to) {
    return act(region, r -> new RegionCommand.Speak(agent, text, volume, to, r));
  }

  private long emote(String region, String agent, String emote) {
    return act(region, r -> new RegionCommand.Emote(agent, emote, r));
  }

  /**
   * Ada and Bob meet in the west and talk, one tick apart: 7 events, chat at seqs 3 (public), 4
   * (private, to Bob) and 5 (public).
   */
  private long conversation() {
    join(west, "ada", "Ada", new Vec3(100, 100, 21));
    join(west, "bob", "Bob", new Vec3(105, 100, 21));
    wall.advance(ms(100));
    say(west, "ada", "hello", ChatRange.NORMAL, null);
    wall.advance(ms(100));
    say(west, "ada", "psst", ChatRange.WHISPER, "bob");
    wall.advance(ms(100));
    say(west, "bob", "HEY", ChatRange.SHOUT, null);
    emote(west, "ada", "wave");
    return act(west, r -> new RegionCommand.Move("ada", new Vec3(120, 100, 21), 2.0, r));
  }

  /** Three agents join {@code region}, then take {@code turns} turns to speak or emote. */
  private long chatter(String region, int turns) {
    for (int k = 0; k < 3; k++) {
      join(region, region + "-" + k, "Agent " + k, new Vec3(50 + k, 50, 21));
    }
    long seq = 3;
    for (int i = 0; i < turns; i++) {
      String agent = region + "-" + (i % 3);
      seq =
          i % 2 == 0
              ? say(region, agent, "line " + i, ChatRange.NORMAL, null)
              : emote(region, agent, "nod");
    }
    return seq;
  }

  private List<Long> seqs(String table, String region) {
    return query(
        "SELECT seq FROM " + table + " WHERE region = ? ORDER BY seq", region, r -> r.getLong(1));
  }

  private long tagOffset() {
    List<Long> offset =
        query(
            "SELECT last_seq FROM projection_offsets WHERE projection = 'events' AND region = ?",
            ProjectionOffsets.TAG_OFFSET,
            r -> r.getLong(1));
    return offset.isEmpty() ? 0 : offset.get(0);
  }

  /** Every column of a region's rows in both tables, as text, in seq order. */
  private List<String> everything(String region) {
    List<String> rows = new ArrayList<>();
    rows.addAll(
        query(
            "SELECT seq, world_tick, event_type, source_agent, target_agent, content, created_at"
                + " FROM events WHERE region = ? ORDER BY seq",
            region,
            ReadSideProjectionContract::row));
    rows.addAll(
        query(
            "SELECT seq, sender_id, sender_name, recipient_id, message, volume, world_tick,"
                + " created_at FROM chat_messages WHERE region = ? ORDER BY seq",
            region,
            ReadSideProjectionContract::row));
    return rows;
  }

  private static String row(ResultSet r) throws SQLException {
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
      columns.add(r.getString(i));
    }
    return String.join("|", columns);
  }

  private interface Column<T> {
    T read(ResultSet r) throws SQLException;
  }

  private <T> List<T> query(String sql, String parameter, Column<T> column) {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      List<T> values = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          values.add(column.read(r));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void update(String sql) {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** When the west's event {@code seq} took effect: the start of its tick. */
  private Instant startOf(long seq) {
    return clock.instantOf(tickOfSeq.get(seq));
  }

  private static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
  }

  private static Map<?, ?> json(String text) {
    try {
      return JSON.readValue(text, Map.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void visibleEventsAndChatLandInTheirTablesWithTheContractsColumns() {
    long last = conversation();
    ReadSideProjection p = project();

    TestWait.until(DEADLINE, () -> seqs("events", west).size() == last);

    record EventRow(long seq, long tick, String type, String source, String target, String json) {}
    List<EventRow> events =
        query(
            "SELECT seq, world_tick, event_type, source_agent, target_agent, content"
                + " FROM events WHERE region = ? ORDER BY seq",
            west,
            r ->
                new EventRow(
                    r.getLong(1),
                    r.getLong(2),
                    r.getString(3),
                    r.getString(4),
                    r.getString(5),
                    r.getString(6)));
    assertThat(events).extracting(EventRow::seq).containsExactlyElementsOf(oneTo(7));
    assertThat(events)
        .extracting(EventRow::type)
        .containsExactly(
            "agent_joined", "agent_joined", "chat", "chat", "chat", "emote", "move_started");
    assertThat(events)
        .extracting(EventRow::source)
        .containsExactly("ada", "bob", "ada", "ada", "bob", "ada", "ada");
    assertThat(events)
        .extracting(EventRow::target)
        .containsExactly(null, null, null, "bob", null, null, null);
    assertThat(events).allSatisfy(e -> assertThat(e.tick()).isEqualTo(tickOfSeq.get(e.seq())));
    assertThat(
            query(
                "SELECT created_at FROM events WHERE region = ? ORDER BY seq",
                west,
                r -> r.getObject(1, OffsetDateTime.class).toInstant()))
        .containsExactlyElementsOf(oneTo(7).stream().map(this::startOf).toList());
    assertThat(json(events.get(0).json()))
        .isEqualTo(json("{\"name\":\"Ada\",\"position\":{\"x\":100.0,\"y\":100.0,\"z\":21.0}}"));
    assertThat(json(events.get(3).json()))
        .isEqualTo(json("{\"text\":\"psst\",\"volume\":\"whisper\",\"private\":true}"));

    record ChatRow(
        long seq, String sender, String name, String to, String text, String volume, Instant at) {}
    assertThat(
            query(
                "SELECT seq, sender_id, sender_name, recipient_id, message, volume, created_at"
                    + " FROM chat_messages WHERE region = ? ORDER BY seq",
                west,
                r ->
                    new ChatRow(
                        r.getLong(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getString(6),
                        r.getObject(7, OffsetDateTime.class).toInstant())))
        .containsExactly(
            new ChatRow(3, "ada", "Ada", null, "hello", "normal", startOf(3)),
            new ChatRow(4, "ada", "Ada", "bob", "psst", "whisper", startOf(4)),
            new ChatRow(5, "bob", "Bob", null, "HEY", "shout", startOf(5)));
    TestWait.until(DEADLINE, () -> p.projected() == 7);
  }

  @Test
  void privateChatIsStoredButNeverInPublicHistory() {
    conversation();
    project();
    TestWait.until(DEADLINE, () -> seqs("chat_messages", west).size() == 3);
    ChatHistory chat = new ChatHistory(pool, blocking);
    EventHistory history = new EventHistory(pool, blocking);

    List<ChatMessage> latest = chat.publicChat(west, null, 10).toCompletableFuture().join();
    assertThat(latest).extracting(ChatMessage::message).containsExactly("HEY", "hello");
    assertThat(latest).extracting(ChatMessage::senderName).containsExactly("Bob", "Ada");
    assertThat(latest).extracting(ChatMessage::recipientId).containsOnlyNulls();
    assertThat(latest.get(1).createdAt()).isEqualTo(startOf(3));
    List<ChatMessage> older =
        chat.publicChat(west, latest.get(0).createdAt(), 10).toCompletableFuture().join();
    assertThat(older).extracting(ChatMessage::message).containsExactly("hello");
    assertThat(chat.publicChat(west, null, 1).toCompletableFuture().join()).hasSize(1);

    List<WireEvent> events = history.eventsAfter(west, 0, 1000).toCompletableFuture().join();
    assertThat(events).extracting(WireEvent::seq).containsExactly(1L, 2L, 3L, 5L, 6L, 7L);
    assertThat(events).extracting(WireEvent::targetAgent).containsOnlyNulls();
    assertThat(history.eventsAfter(west, 2, 2).toCompletableFuture().join())
        .extracting(WireEvent::seq)
        .containsExactly(3L, 5L);
    WireEvent joined = events.get(0);
    assertThat(joined.type()).isEqualTo("agent_joined");
    assertThat(joined.regionId()).isEqualTo(west);
    assertThat(joined.createdAt()).isEqualTo(startOf(1));
    assertThat(json(WireJson.write(joined)))
        .isEqualTo(
            json(
                "{\"seq\":1,\"region_id\":\""
                    + west
                    + "\",\"world_tick\":"
                    + tickOfSeq.get(1L)
                    + ",\"type\":\"agent_joined\",\"source_agent\":\"ada\","
                    + "\"content\":{\"name\":\"Ada\",\"position\":{\"x\":100.0,\"y\":100.0,"
                    + "\"z\":21.0}},\"created_at\":\""
                    + startOf(1)
                    + "\"}"));
  }

  @Test
  void aProjectionStoppedMidStreamAndRestartedNeitherLosesNorDuplicatesAnEvent() {
    long westLast = chatter(west, 25);
    long eastLast = chatter(east, 25);
    // One connection for the stored offset and two for batches; the third batch waits.
    gate.hold();
    gate.allow(3);
    ReadSideProjection first =
        project(new ReadSideProjection.Settings(5, Duration.ofMillis(20), ms(50), ms(200)));
    TestWait.until(DEADLINE, () -> first.projected() >= 5);
    CompletionStage<Done> stopping = first.stop();
    projections.remove(first);
    int writtenBeforeStop = seqs("events", west).size() + seqs("events", east).size();
    gate.open();
    stopping.toCompletableFuture().join();
    assertThat(writtenBeforeStop).isBetween(1, 10);

    // The world goes on while the projection is away.
    for (int i = 0; i < 10; i++) {
      westLast = emote(west, west + "-" + (i % 3), "bow");
    }
    ReadSideProjection second = project();
    long westTotal = westLast;
    TestWait.until(
        DEADLINE,
        () -> seqs("events", west).size() == westTotal && seqs("events", east).size() == eastLast);

    assertThat(seqs("events", west)).containsExactlyElementsOf(oneTo(westTotal));
    assertThat(seqs("events", east)).containsExactlyElementsOf(oneTo(eastLast));
    assertThat(seqs("chat_messages", west)).hasSize(13);
    assertThat(seqs("chat_messages", east)).hasSize(13);
    TestWait.until(DEADLINE, () -> second.lagSeconds() == 0);
    // Each event was written by exactly one of the two.
    assertThat(first.projected() + second.projected()).isEqualTo(westTotal + eastLast);
  }

  @Test
  void replayingTheJournalWritesNoDuplicates() {
    conversation();
    long eastLast = chatter(east, 6);
    ReadSideProjection first = project();
    TestWait.until(
        DEADLINE, () -> seqs("events", west).size() == 7 && seqs("events", east).size() == 9);
    TestWait.until(DEADLINE, () -> first.lagSeconds() == 0);
    stopped(first);
    long reached = tagOffset();
    List<String> westRows = everything(west);
    List<String> eastRows = everything(east);

    // The tag query starts over; the regions' offsets skip what is written.
    update("UPDATE projection_offsets SET last_seq = 0 WHERE region = '*'");
    ReadSideProjection again = project();
    TestWait.until(DEADLINE, () -> tagOffset() >= reached && again.lagSeconds() == 0);
    stopped(again);
    assertThat(again.projected()).isZero();
    assertThat(everything(west)).isEqualTo(westRows);
    assertThat(everything(east)).isEqualTo(eastRows);

    // Every offset lost: the rows themselves turn the replay away.
    update("DELETE FROM projection_offsets");
    ReadSideProjection fromScratch = project();
    TestWait.until(DEADLINE, () -> tagOffset() >= reached && fromScratch.lagSeconds() == 0);
    stopped(fromScratch);
    assertThat(fromScratch.projected()).isEqualTo(7 + eastLast);
    assertThat(everything(west)).isEqualTo(westRows);
    assertThat(everything(east)).isEqualTo(eastRows);
    assertThat(
            query(
                "SELECT last_seq FROM projection_offsets WHERE projection = 'events'"
                    + " AND region = ?",
                west,
                r -> r.getLong(1)))
        .containsExactly(7L);
  }

  @Test
  void lagIsZeroWhenCaughtUpAndGrowsWhileTheDatabaseIsAway() {
    conversation();
    ReadSideProjection p = project();
    TestWait.until(DEADLINE, () -> seqs("events", west).size() == 7);
    TestWait.until(DEADLINE, () -> p.lagSeconds() == 0);

    gate.fail(true);
    long last = 0;
    for (int i = 0; i < 3; i++) {
      last = say(west, "bob", "anyone?", ChatRange.NORMAL, null);
    }
    // The events were journaled long before now (the world clock is a manual one), and the
    // lag stays while the projection restarts and cannot even read its offset.
    TestWait.until(DEADLINE, () -> p.lagSeconds() > 0);
    int refused = gate.refused();
    TestWait.until(DEADLINE, () -> gate.refused() >= refused + 3);
    assertThat(p.lagSeconds()).isPositive();
    assertThat(seqs("events", west)).hasSize(7);

    gate.fail(false);
    long total = last;
    TestWait.until(DEADLINE, () -> seqs("events", west).size() == total);
    TestWait.until(DEADLINE, () -> p.lagSeconds() == 0);
    assertThat(seqs("events", west)).containsExactlyElementsOf(oneTo(total));
    assertThat(seqs("chat_messages", west)).containsExactly(3L, 4L, 5L, 8L, 9L, 10L);
  }

  @Test
  void aSpeakerWhoJoinedBeforeTheProjectionStartedIsNamedByTheRegistryOrByItsId() {
    // The projection that saw them join is gone; the next one starts after their joins.
    join(west, "cy", "Cy", new Vec3(10, 10, 21));
    join(west, "dee", "Dee", new Vec3(12, 10, 21));
    ReadSideProjection first = project();
    TestWait.until(DEADLINE, () -> seqs("events", west).size() == 2);
    stopped(first);
    update("INSERT INTO agents (agent_id, name, api_key_hash) VALUES ('cy', 'Cy Registered', 'x')");
    say(west, "cy", "hi", ChatRange.NORMAL, null);
    say(west, "dee", "hello", ChatRange.NORMAL, null);
    say(west, "cy", "again", ChatRange.NORMAL, null);
    project();
    TestWait.until(DEADLINE, () -> seqs("chat_messages", west).size() == 3);

    assertThat(
            query(
                "SELECT sender_name FROM chat_messages WHERE region = ? ORDER BY seq",
                west,
                r -> r.getString(1)))
        .containsExactly("Cy Registered", "dee", "Cy Registered");
  }

  @Test
  void registeredAgentsMessageCountsAndLastSeenComeFromTheirEventsOnceEach() {
    update("INSERT INTO agents (agent_id, name, api_key_hash) VALUES ('eve', 'Eve', 'x')");
    join(west, "eve", "Eve", new Vec3(10, 10, 21));
    say(west, "eve", "one", ChatRange.NORMAL, null);
    long last = say(west, "eve", "two", ChatRange.SHOUT, null);
    ReadSideProjection first = project();
    TestWait.until(DEADLINE, () -> seqs("events", west).size() == last);
    stopped(first);
    assertThat(
            query("SELECT message_count FROM agents WHERE agent_id = ?", "eve", r -> r.getLong(1)))
        .containsExactly(2L);
    assertThat(
            query(
                "SELECT last_seen FROM agents WHERE agent_id = ?",
                "eve",
                r -> r.getObject(1, java.time.OffsetDateTime.class).toInstant()))
        .containsExactly(
            query(
                    "SELECT created_at FROM events WHERE region = ? AND seq = " + last,
                    west,
                    r -> r.getObject(1, java.time.OffsetDateTime.class).toInstant())
                .get(0));

    // A replay from scratch skips what is written, and counts nothing again.
    update("DELETE FROM projection_offsets WHERE region = '*'");
    ReadSideProjection again = project();
    TestWait.until(DEADLINE, () -> again.lagSeconds() == 0);
    stopped(again);
    assertThat(
            query("SELECT message_count FROM agents WHERE agent_id = ?", "eve", r -> r.getLong(1)))
        .containsExactly(2L);
  }

  @Test
  void staysAreSessionsAndAddUpToTheAgentsTimeOnline() {
    update("INSERT INTO agents (agent_id, name, api_key_hash) VALUES ('sam', 'Sam', 'x')");
    join(west, "sam", "Sam", new Vec3(20, 20, 21));
    wall.advance(Duration.ofSeconds(5));
    act(west, r -> new RegionCommand.Leave("sam", r));
    join(west, "sam", "Sam", new Vec3(20, 20, 21));
    wall.advance(Duration.ofSeconds(2));
    long last = act(west, r -> new RegionCommand.Leave("sam", r));
    // Someone unregistered comes and goes too: no stay of theirs is written.
    join(west, "ghost", "Ghost", new Vec3(30, 30, 21));
    long ghost = act(west, r -> new RegionCommand.Leave("ghost", r));
    ReadSideProjection p = project();
    TestWait.until(DEADLINE, () -> seqs("events", west).size() == ghost);
    stopped(p);

    assertThat(
            query(
                "SELECT region || ' ' || end_reason FROM sessions WHERE agent_id = ?"
                    + " ORDER BY started_at",
                "sam",
                r -> r.getString(1)))
        .containsExactly(west + " leave", west + " leave");
    assertThat(
            query(
                "SELECT total_online_seconds FROM agents WHERE agent_id = ?",
                "sam",
                r -> r.getLong(1)))
        .containsExactly(7L);
    assertThat(
            query("SELECT agent_id FROM sessions WHERE agent_id = ?", "ghost", r -> r.getString(1)))
        .isEmpty();
    assertThat(last).isLessThan(ghost);
  }
}

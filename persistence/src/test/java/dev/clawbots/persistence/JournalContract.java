package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import dev.clawbots.persistence.JournalCounter.Add;
import dev.clawbots.persistence.JournalCounter.AddAll;
import dev.clawbots.persistence.JournalCounter.Added;
import dev.clawbots.persistence.JournalCounter.Recovered;
import dev.clawbots.persistence.JournalCounter.Report;
import dev.clawbots.persistence.JournalCounter.SnapshotTaken;
import dev.clawbots.persistence.JournalCounter.SnapshotsDeleted;
import dev.clawbots.persistence.JournalCounter.State;
import dev.clawbots.persistence.JournalCounter.Stop;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the journal must do on any backend: create its schema idempotently, keep a counter's events
 * and snapshots, recover the same state in a new actor system (from the latest snapshot and the
 * events after it, and from the events alone), and keep a burst of 500 events complete and in
 * order. Subclasses say which database.
 */
abstract class JournalContract {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The tests' own settings: the CBOR binding of the counter's messages, logging. */
  static final String TEST_SETTINGS =
      """
      pekko {
        loglevel = WARNING
        loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
        logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
        actor.serialization-bindings {
          "dev.clawbots.persistence.JournalCounter$CborSerializable" = jackson-cbor
        }
      }
      """;

  private final List<ActorTestKit> testKits = new ArrayList<>();

  /** The configuration the actor systems run on: persistence.conf with JournalConfig over it. */
  abstract Config config();

  abstract JournalBackend expectedBackend();

  /**
   * The server's way of building its configuration: {@code testLayer} and the test settings over
   * persistence.conf, then {@link JournalConfig} for {@code env} over that. The files are resolved
   * without the process's environment, so that a developer's {@code DATABASE_*} variables reach the
   * tests only through {@code env}.
   */
  static Config configFor(String testLayer, Map<String, String> env) {
    Config app =
        ConfigFactory.parseString(testLayer)
            .withFallback(ConfigFactory.parseString(TEST_SETTINGS))
            .withFallback(ConfigFactory.parseResources("persistence.conf"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve(ConfigResolveOptions.noSystem());
    return JournalConfig.from(env, app).applyTo(app);
  }

  @AfterEach
  void shutDownActorSystems() {
    testKits.forEach(ActorTestKit::shutdownTestKit);
    testKits.clear();
  }

  @Test
  void theConfigurationPointsThePluginAtTheExpectedBackend() {
    Config config = config();
    assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo("jdbc-journal");
    assertThat(config.getString(JournalConfig.SHARED_DATABASE_PATH + ".profile"))
        .isEqualTo(expectedBackend().slickProfile());
    assertThat(config.getString(JournalConfig.SHARED_DATABASE_PATH + ".db.driver"))
        .isEqualTo(expectedBackend().jdbcDriver());
  }

  @Test
  void createsTheSchemaIdempotently() throws Exception {
    JournalSchema.createIfNotExists(config());
    JournalSchema.createIfNotExists(config());
    ActorTestKit testKit = start("schema");
    JournalSchema.createIfNotExists(testKit.system())
        .toCompletableFuture()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    try (Connection connection = connect()) {
      for (String table : JournalSchema.TABLES) {
        try (PreparedStatement query =
                connection.prepareStatement("SELECT COUNT(*) FROM \"" + table + "\" WHERE 1 = 0");
            ResultSet rs = query.executeQuery()) {
          assertThat(rs.next()).as(table).isTrue();
        }
      }
    }
  }

  @Test
  void recoversTheSameStateInANewActorSystemFromSnapshotAndEvents() throws Exception {
    JournalSchema.createIfNotExists(config());
    JournalSchema.createIfNotExists(config());
    String persistenceId = "journal-contract-" + UUID.randomUUID();

    ActorTestKit first = start("first");
    TestProbe<Report> reports = first.createTestProbe();
    TestProbe<State> replies = first.createTestProbe();
    ActorRef<JournalCounter.Command> counter =
        first.spawn(JournalCounter.create(persistenceId, reports.ref(), true));
    reports.expectMessage(TIMEOUT, new Recovered(State.EMPTY, 0, 0));

    State expected = State.EMPTY;
    for (int amount = 1; amount <= 10; amount++) {
      expected = expected.add(amount);
      counter.tell(new Add(amount, replies.ref()));
      replies.expectMessage(TIMEOUT, expected);
    }
    // snapshotEvery(3, 2): snapshots at 3, 6 and 9; after the one at 9, the one at 3 goes.
    List<Report> snapshotReports =
        reports.fishForMessage(
            TIMEOUT,
            report ->
                report instanceof SnapshotsDeleted
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndCollect());
    assertThat(snapshotReports)
        .containsExactly(
            new SnapshotTaken(3),
            new SnapshotTaken(6),
            new SnapshotTaken(9),
            new SnapshotsDeleted());

    int cborSerializer =
        SerializationExtension.get(first.system()).serializerFor(Added.class).identifier();
    assertThat(SerializationExtension.get(first.system()).serializerFor(Added.class))
        .isInstanceOf(JacksonCborSerializer.class);
    shutDown(first);

    assertThat(longs("snapshot", "sequence_number", persistenceId)).containsExactly(6L, 9L);
    assertThat(longs("event_journal", "sequence_number", persistenceId))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    assertThat(longs("event_journal", "event_ser_id", persistenceId))
        .containsOnly((long) cborSerializer);
    assertThat(longs("snapshot", "snapshot_ser_id", persistenceId))
        .containsOnly((long) cborSerializer);
    assertThat(taggedEvents(persistenceId)).isEqualTo(10);

    ActorTestKit second = start("second");
    TestProbe<Report> recoveries = second.createTestProbe();
    ActorRef<JournalCounter.Command> fromSnapshot =
        second.spawn(JournalCounter.create(persistenceId, recoveries.ref(), true));
    recoveries.expectMessage(TIMEOUT, new Recovered(expected, 10, 1));
    stop(second, fromSnapshot);

    second.spawn(JournalCounter.create(persistenceId, recoveries.ref(), false));
    recoveries.expectMessage(TIMEOUT, new Recovered(expected, 10, 10));
  }

  @Test
  void keepsABurstOf500EventsCompleteAndInOrder() throws Exception {
    JournalSchema.createIfNotExists(config());
    String persistenceId = "journal-burst-" + UUID.randomUUID();

    ActorTestKit first = start("burst");
    TestProbe<Report> reports = first.createTestProbe();
    TestProbe<State> replies = first.createTestProbe();
    ActorRef<JournalCounter.Command> counter =
        first.spawn(JournalCounter.create(persistenceId, reports.ref(), true));
    reports.expectMessage(TIMEOUT, new Recovered(State.EMPTY, 0, 0));

    // 250 events in one persistAll, then 250 commands sent at once, each persisting one event.
    State expected = State.EMPTY;
    List<Integer> firstHalf = IntStream.rangeClosed(1, 250).boxed().toList();
    for (int amount : firstHalf) {
      expected = expected.add(amount);
    }
    counter.tell(new AddAll(firstHalf, replies.ref()));
    replies.expectMessage(TIMEOUT, expected);
    for (int amount = 251; amount <= 500; amount++) {
      counter.tell(new Add(amount, replies.ref()));
    }
    List<State> burstReplies = replies.receiveSeveralMessages(250, TIMEOUT);
    for (int i = 0; i < 250; i++) {
      expected = expected.add(251 + i);
      assertThat(burstReplies.get(i)).as("reply %d of the burst", i + 1).isEqualTo(expected);
    }
    stop(first, counter);
    shutDown(first);

    ActorTestKit second = start("burst-recovery");
    JdbcReadJournal readJournal =
        PersistenceQuery.get(second.system())
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    List<EventEnvelope> envelopes =
        readJournal
            .currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE)
            .runWith(Sink.seq(), second.system())
            .toCompletableFuture()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(envelopes).hasSize(500);
    long previousOffset = Long.MIN_VALUE;
    for (int i = 0; i < 500; i++) {
      EventEnvelope envelope = envelopes.get(i);
      assertThat(envelope.sequenceNr()).isEqualTo(i + 1);
      assertThat(envelope.event()).isEqualTo(new Added(i + 1));
      long offset = ((Sequence) envelope.offset()).value();
      assertThat(offset).as("journal ordering of event %d", i + 1).isGreaterThan(previousOffset);
      previousOffset = offset;
    }

    TestProbe<Report> recoveries = second.createTestProbe();
    ActorRef<JournalCounter.Command> fromSnapshot =
        second.spawn(JournalCounter.create(persistenceId, recoveries.ref(), true));
    Recovered recovered = recoveries.expectMessageClass(Recovered.class, TIMEOUT);
    assertThat(recovered.state()).isEqualTo(expected);
    assertThat(recovered.sequenceNr()).isEqualTo(500);
    assertThat(recovered.replayedEvents()).isLessThan(500);
    stop(second, fromSnapshot);

    second.spawn(JournalCounter.create(persistenceId, recoveries.ref(), false));
    recoveries.expectMessage(TIMEOUT, new Recovered(expected, 500, 500));
  }

  /**
   * Twenty writers persisting at once, so that the journal writes their events in shared batches:
   * every event is stored once, with its tag, and each writer's orderings follow its sequence
   * numbers, as queries by tag need.
   */
  @Test
  void keepsConcurrentWritersEventsTaggedAndInOrder() throws Exception {
    JournalSchema.createIfNotExists(config());
    int writers = 20;
    int events = 30;
    String prefix = "journal-concurrent-" + UUID.randomUUID() + "-";
    ActorTestKit kit = start("concurrent");
    TestProbe<Report> reports = kit.createTestProbe();
    TestProbe<State> replies = kit.createTestProbe();
    List<ActorRef<JournalCounter.Command>> counters = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      counters.add(kit.spawn(JournalCounter.create(prefix + w, reports.ref(), true)));
    }
    reports.receiveSeveralMessages(writers, TIMEOUT);
    for (int i = 1; i <= events; i++) {
      for (ActorRef<JournalCounter.Command> counter : counters) {
        counter.tell(new Add(i, replies.ref()));
      }
    }
    replies.receiveSeveralMessages(writers * events, TIMEOUT);
    for (int w = 0; w < writers; w++) {
      String persistenceId = prefix + w;
      assertThat(longs("event_journal", "sequence_number", persistenceId))
          .as("sequence numbers of %s", persistenceId)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, events).boxed().toList());
      assertThat(longs("event_journal", "ordering", persistenceId))
          .as("orderings of %s, by sequence number", persistenceId)
          .isSorted()
          .doesNotHaveDuplicates();
      assertThat(taggedEvents(persistenceId))
          .as("tagged events of %s", persistenceId)
          .isEqualTo(events);
    }
  }

  ActorTestKit start(String name) {
    ActorTestKit testKit = ActorTestKit.create("journal-" + name, config());
    testKits.add(testKit);
    return testKit;
  }

  void shutDown(ActorTestKit testKit) {
    testKits.remove(testKit);
    testKit.shutdownTestKit();
  }

  private static void stop(ActorTestKit testKit, ActorRef<JournalCounter.Command> counter) {
    TestProbe<Object> watcher = testKit.createTestProbe();
    counter.tell(new Stop());
    watcher.expectTerminated(counter, TIMEOUT);
  }

  Connection connect() throws SQLException {
    Config database = config().getConfig(JournalConfig.SHARED_DATABASE_PATH + ".db");
    return DriverManager.getConnection(
        database.getString("url"), database.getString("user"), database.getString("password"));
  }

  /** A column of the rows of {@code table} for one persistence id, by sequence number. */
  private List<Long> longs(String table, String column, String persistenceId) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT \"%s\" FROM \"%s\" WHERE \"persistence_id\" = ? ORDER BY \"sequence_number\""
                    .formatted(column, table))) {
      query.setString(1, persistenceId);
      List<Long> values = new ArrayList<>();
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getLong(1));
        }
      }
      return values;
    }
  }

  private long taggedEvents(String persistenceId) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM \"event_tag\" t JOIN \"event_journal\" j"
                    + " ON t.\"event_id\" = j.\"ordering\""
                    + " WHERE j.\"persistence_id\" = ? AND t.\"tag\" = ?")) {
      query.setString(1, persistenceId);
      query.setString(2, JournalCounter.TAG);
      try (ResultSet rs = query.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getLong(1);
      }
    }
  }
}

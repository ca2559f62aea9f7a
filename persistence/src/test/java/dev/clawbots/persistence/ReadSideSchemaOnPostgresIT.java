package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read side's migrations on PostgreSQL at {@code jdbc:postgresql://127.0.0.1:5432/clawbots}, as
 * {@code DATABASE_USER}/{@code DATABASE_PASSWORD} (default {@code clawbots}/{@code clawbots}); run
 * {@code deploy/dev-services.sh} first. Each test migrates a fresh schema of its own, named in the
 * URL's {@code currentSchema}, and drops it afterwards.
 */
class ReadSideSchemaOnPostgresIT {

  private static final String BASE_URL = "jdbc:postgresql://127.0.0.1:5432/clawbots";
  private static final DateTimeFormatter PARTITION_MONTH = DateTimeFormatter.ofPattern("yyyy_MM");

  private final String user = orDefault(System.getenv("DATABASE_USER"), "clawbots");
  private final String password = orDefault(System.getenv("DATABASE_PASSWORD"), "clawbots");
  private String schema;
  private String url;
  private Connection connection;

  @BeforeEach
  void createSchema() throws SQLException {
    schema = "it_readside_" + UUID.randomUUID().toString().replace("-", "");
    url = BASE_URL + "?currentSchema=" + schema;
    try (Connection admin = DriverManager.getConnection(BASE_URL, user, password);
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    connection = DriverManager.getConnection(url, user, password);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    connection.close();
    try (Connection admin = DriverManager.getConnection(BASE_URL, user, password);
        Statement statement = admin.createStatement()) {
      statement.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Test
  void migratesTwiceIntoItsSchemaWithEveryTableAndTheChatIndexes() throws SQLException {
    ReadSideSchema.migrate(url, user, password, JournalBackend.POSTGRESQL);
    ReadSideSchema.migrate(url, user, password, JournalBackend.POSTGRESQL);

    assertThat(
            strings(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", schema))
        .containsAll(ReadSideSchema.TABLES)
        .contains("flyway_schema_history");
    assertThat(
            strings(
                "SELECT version FROM flyway_schema_history WHERE type = 'SQL' ORDER BY installed_rank"))
        .containsExactly("1", "2", "3");
    assertThat(
            strings(
                "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = ?",
                schema,
                "chat_messages"))
        .contains("chat_messages_region_time_idx", "chat_messages_sender_time_idx");
  }

  @Test
  void partitionsEventsByMonthAheadOfTimeWithADefault() throws SQLException {
    ReadSideSchema.migrate(url, user, password, JournalBackend.POSTGRESQL);

    List<String> expected = new ArrayList<>();
    for (int month = 0; month <= ReadSideSchema.MONTHS_AHEAD; month++) {
      expected.add(partitionOf(thisMonth().plusMonths(month)));
    }
    expected.add("events_default");
    assertThat(partitions()).containsExactlyInAnyOrderElementsOf(expected);

    assertThat(ReadSideSchema.createEventPartitions(connection, ReadSideSchema.MONTHS_AHEAD))
        .isZero();
    ReadSideSchema.migrate(url, user, password, JournalBackend.POSTGRESQL);
    assertThat(partitions()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void storesAnEventOfThisMonthInItsPartitionAndAFarOneInTheDefault() throws SQLException {
    ReadSideSchema.migrate(url, user, password, JournalBackend.POSTGRESQL);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    OffsetDateTime farAhead = now.plusYears(2);

    assertThat(insertEvent("main", 1, now)).isEqualTo(1);
    assertThat(insertEvent("main", 2, farAhead)).isEqualTo(1);
    // A replayed event (same region, seq and timestamp) is skipped, not an error.
    assertThat(insertEvent("main", 1, now)).isZero();

    assertThat(partitionHolding("main", 1)).isEqualTo(partitionOf(now));
    assertThat(partitionHolding("main", 2)).isEqualTo("events_default");
    assertThat(strings("SELECT content ->> 'text' FROM events WHERE seq = 1"))
        .containsExactly("hello");
  }

  @Test
  void movesEventsOutOfTheDefaultWhenItCreatesTheirMonth() throws SQLException {
    ReadSideSchema.migrate(url, user, password, JournalBackend.POSTGRESQL);
    OffsetDateTime inFiveMonths = thisMonth().plusMonths(5).plusDays(3);
    insertEvent("east", 7, inFiveMonths);
    assertThat(partitionHolding("east", 7)).isEqualTo("events_default");

    assertThat(ReadSideSchema.createEventPartitions(connection, 5)).isEqualTo(2);
    assertThat(ReadSideSchema.createEventPartitions(connection, 5)).isZero();

    assertThat(partitionHolding("east", 7)).isEqualTo(partitionOf(inFiveMonths));
    assertThat(strings("SELECT region FROM events_default")).isEmpty();
  }

  private int insertEvent(String region, long seq, OffsetDateTime createdAt) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO events (region, seq, world_tick, event_type, source_agent, content,"
                + " created_at) VALUES (?, ?, ?, ?, ?, CAST(? AS JSONB), ?)"
                + " ON CONFLICT DO NOTHING")) {
      insert.setString(1, region);
      insert.setLong(2, seq);
      insert.setLong(3, 1000 + seq);
      insert.setString(4, "chat");
      insert.setString(5, "ada");
      insert.setString(6, "{\"text\": \"hello\", \"volume\": \"normal\"}");
      insert.setObject(7, createdAt);
      return insert.executeUpdate();
    }
  }

  private String partitionHolding(String region, long seq) throws SQLException {
    List<String> found =
        strings(
            "SELECT c.relname FROM events e JOIN pg_class c ON c.oid = e.tableoid"
                + " WHERE e.region = ? AND e.seq = ?",
            region,
            seq);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private List<String> partitions() throws SQLException {
    return strings(
        "SELECT child.relname FROM pg_inherits i"
            + " JOIN pg_class child ON child.oid = i.inhrelid"
            + " JOIN pg_class parent ON parent.oid = i.inhparent"
            + " JOIN pg_namespace n ON n.oid = parent.relnamespace"
            + " WHERE parent.relname = 'events' AND n.nspname = ?",
        schema);
  }

  private List<String> strings(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      List<String> values = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          values.add(result.getString(1));
        }
      }
      return values;
    }
  }

  private static OffsetDateTime thisMonth() {
    return OffsetDateTime.now(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
  }

  private static String partitionOf(OffsetDateTime time) {
    return "events_" + PARTITION_MONTH.format(time.withOffsetSameInstant(ZoneOffset.UTC));
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}

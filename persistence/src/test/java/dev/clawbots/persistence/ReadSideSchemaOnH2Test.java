package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read side's migrations on an in-memory H2 database, configured as the embedded default. */
class ReadSideSchemaOnH2Test {

  private static final OffsetDateTime NOW =
      OffsetDateTime.of(2026, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC);

  private String url;
  private Connection keepAlive;

  @BeforeEach
  void openDatabase() throws SQLException {
    url =
        "jdbc:h2:mem:readside_"
            + UUID.randomUUID().toString().replace("-", "")
            + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    keepAlive = connect();
  }

  @AfterEach
  void closeDatabase() throws SQLException {
    keepAlive.close();
  }

  @Test
  void migratesTwiceAndCreatesEveryTableAndTheChatIndexes() throws SQLException {
    ReadSideSchema.migrate(url, "sa", "", JournalBackend.H2);
    ReadSideSchema.migrate(url, "sa", "", JournalBackend.H2);

    DatabaseMetaData metaData = keepAlive.getMetaData();
    assertThat(tables(metaData)).containsAll(ReadSideSchema.TABLES);
    assertThat(indexes(metaData, "chat_messages"))
        .contains("chat_messages_region_time_idx", "chat_messages_sender_time_idx");
    try (Statement statement = keepAlive.createStatement();
        ResultSet applied =
            statement.executeQuery(
                "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'")) {
      applied.next();
      // V1 and V3: V2 (the partitions of events) is PostgreSQL's only.
      assertThat(applied.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void migratesASchemaThatAlreadyHoldsTheJournal() throws SQLException {
    try (Statement statement = keepAlive.createStatement()) {
      for (String ddl : JournalSchema.statements(JournalBackend.H2)) {
        statement.execute(ddl);
      }
    }

    ReadSideSchema.migrate(url, "sa", "", JournalBackend.H2);
    ReadSideSchema.migrate(url, "sa", "", JournalBackend.H2);

    assertThat(tables(keepAlive.getMetaData()))
        .containsAll(ReadSideSchema.TABLES)
        .containsAll(JournalSchema.TABLES);
  }

  @Test
  void writesAndReadsARowInEveryTable() throws SQLException {
    ReadSideSchema.migrate(url, "sa", "", JournalBackend.H2);

    try (PreparedStatement insert =
        keepAlive.prepareStatement(
            "INSERT INTO agents (agent_id, name, api_key_hash, permissions) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, "ada");
      insert.setString(2, "Ada");
      insert.setString(3, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA");
      insert.setArray(4, keepAlive.createArrayOf("VARCHAR", new Object[] {"move", "speak"}));
      insert.executeUpdate();
    }
    try (Statement statement = keepAlive.createStatement();
        ResultSet agent =
            statement.executeQuery(
                "SELECT name, permissions, prompts_allowed, message_count, created_at"
                    + " FROM agents WHERE agent_id = 'ada'")) {
      assertThat(agent.next()).isTrue();
      assertThat(agent.getString("name")).isEqualTo("Ada");
      Array permissions = agent.getArray("permissions");
      assertThat((Object[]) permissions.getArray()).containsExactly("move", "speak");
      assertThat(agent.getBoolean("prompts_allowed")).isTrue();
      assertThat(agent.getLong("message_count")).isZero();
      assertThat(agent.getObject("created_at", OffsetDateTime.class)).isNotNull();
    }

    execute(
        "INSERT INTO sessions (agent_id, region, started_at) VALUES (?, ?, ?)", "ada", "main", NOW);
    assertThat(single("SELECT region FROM sessions WHERE agent_id = 'ada'")).isEqualTo("main");

    execute(
        "INSERT INTO events (region, seq, world_tick, event_type, source_agent, content,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ? FORMAT JSON, ?)",
        "main",
        1L,
        42L,
        "chat",
        "ada",
        "{\"text\":\"hello\",\"volume\":\"normal\"}",
        NOW);
    assertThat(single("SELECT CAST(content AS VARCHAR) FROM events WHERE region = 'main'"))
        .isEqualTo("{\"text\":\"hello\",\"volume\":\"normal\"}");
    assertThatThrownBy(
            () ->
                execute(
                    "INSERT INTO events (region, seq, world_tick, event_type, created_at)"
                        + " VALUES (?, ?, ?, ?, ?)",
                    "main",
                    1L,
                    43L,
                    "emote",
                    NOW.plusMonths(2)))
        .isInstanceOf(SQLException.class);

    execute(
        "INSERT INTO chat_messages (region, seq, sender_id, sender_name, message, volume,"
            + " world_tick, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "main",
        1L,
        "ada",
        "Ada",
        "hello",
        "normal",
        42L,
        NOW);
    assertThat(
            single(
                "SELECT message FROM chat_messages WHERE region = 'main' AND recipient_id IS NULL"))
        .isEqualTo("hello");

    execute(
        "INSERT INTO spectator_sessions (spectator_id, name, target_kind, target_id, started_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        "spec-1",
        "Grace",
        "agent",
        "ada",
        NOW);
    assertThat(single("SELECT target_id FROM spectator_sessions WHERE spectator_id = 'spec-1'"))
        .isEqualTo("ada");

    execute(
        "INSERT INTO projection_offsets (projection, region, last_seq) VALUES (?, ?, ?)",
        "events",
        "main",
        1L);
    assertThat(single("SELECT CAST(last_seq AS VARCHAR) FROM projection_offsets")).isEqualTo("1");
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "sa", "");
  }

  private void execute(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = keepAlive.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }

  private String single(String sql) throws SQLException {
    try (Statement statement = keepAlive.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      assertThat(result.next()).isTrue();
      String value = result.getString(1);
      assertThat(result.next()).isFalse();
      return value;
    }
  }

  private static Set<String> tables(DatabaseMetaData metaData) throws SQLException {
    Set<String> tables = new HashSet<>();
    try (ResultSet result = metaData.getTables(null, null, "%", new String[] {"TABLE"})) {
      while (result.next()) {
        tables.add(result.getString("TABLE_NAME"));
      }
    }
    return tables;
  }

  private static List<String> indexes(DatabaseMetaData metaData, String table) throws SQLException {
    List<String> indexes = new ArrayList<>();
    try (ResultSet result = metaData.getIndexInfo(null, null, table, false, false)) {
      while (result.next()) {
        indexes.add(result.getString("INDEX_NAME"));
      }
    }
    return indexes;
  }
}

package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal on PostgreSQL at {@code DATABASE_URL} (default {@code
 * jdbc:postgresql://127.0.0.1:5432/clawbots}), as {@code DATABASE_USER}/{@code DATABASE_PASSWORD}
 * (default {@code clawbots}/{@code clawbots}); run {@code deploy/dev-services.sh} first. Every run
 * uses fresh persistence ids, so runs do not collide; the journal tables stay, as they would in
 * production.
 */
class JournalOnPostgresIT extends JournalContract {

  private static Config config;

  @BeforeAll
  static void configurePostgres() {
    config =
        configFor(
            "clawbots.database.url = \"jdbc:postgresql://127.0.0.1:5432/clawbots\"",
            System.getenv());
  }

  @Override
  Config config() {
    return config;
  }

  @Override
  JournalBackend expectedBackend() {
    return JournalBackend.POSTGRESQL;
  }

  @Test
  void batchesInsertsIntoMultiRowStatements() {
    assertThat(config.getString(JournalConfig.SHARED_DATABASE_PATH + ".db.url"))
        .contains("reWriteBatchedInserts=true");
    assertThat(config.getString(JournalConfig.JOURNAL_DAO_PATH))
        .isEqualTo(PostgresJournalDao.class.getName());
  }

  /**
   * Nodes starting together on an empty database: four create the schema at once, in a schema of
   * their own (through the URL's currentSchema), and all succeed with one set of tables.
   */
  @Test
  void createsTheSchemaOnceWhenSeveralNodesStartAtTheSameTime() throws Exception {
    String schema = "journal_schema_it_" + UUID.randomUUID().toString().replace("-", "");
    String url = config.getString(JournalConfig.SHARED_DATABASE_PATH + ".db.url");
    Config inSchema =
        config.withValue(
            JournalConfig.SHARED_DATABASE_PATH + ".db.url",
            ConfigValueFactory.fromAnyRef(url + "&currentSchema=" + schema));
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    ExecutorService nodes = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Void>> starts = new ArrayList<>();
      for (int node = 0; node < 4; node++) {
        starts.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    JournalSchema.createIfNotExists(inSchema);
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                },
                nodes));
      }
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      try (Connection connection = connect();
          PreparedStatement query =
              connection.prepareStatement(
                  "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                      + " ORDER BY table_name")) {
        query.setString(1, schema);
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
        assertThat(tables).containsExactly("event_journal", "event_tag", "snapshot");
      }
      try (Connection connection = connect();
          PreparedStatement query =
              connection.prepareStatement(
                  "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND indexname = ?")) {
        query.setString(1, schema);
        query.setString(2, "event_journal_ordering_idx");
        try (ResultSet rs = query.executeQuery()) {
          assertThat(rs.next()).as("event_journal_ordering_idx").isTrue();
        }
      }
    } finally {
      nodes.shutdownNow();
      try (Connection connection = connect();
          Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}

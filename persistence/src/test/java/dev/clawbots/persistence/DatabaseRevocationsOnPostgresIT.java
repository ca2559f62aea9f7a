package dev.clawbots.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Revocations on PostgreSQL, in a schema of their own that is dropped afterwards. */
class DatabaseRevocationsOnPostgresIT extends DatabaseRevocationsContract {

  static final String SCHEMA = "it_revocations_" + Long.toHexString(System.nanoTime());

  @BeforeAll
  static void createSchema() throws SQLException {
    TestCluster.createSchema(SCHEMA);
    ReadSideSchema.migrate(
        TestCluster.urlIn(SCHEMA), "clawbots", "clawbots", JournalBackend.POSTGRESQL);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    TestCluster.dropSchema(SCHEMA);
  }

  /** Each test starts from no revocations; the schema is shared by the class. */
  @BeforeEach
  void empty() throws SQLException {
    try (Connection c = TestCluster.connect();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM " + SCHEMA + ".revoked_tokens");
    }
  }

  @Override
  String[] database() {
    return new String[] {TestCluster.urlIn(SCHEMA), "clawbots", "clawbots"};
  }
}

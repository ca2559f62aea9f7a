package dev.clawbots.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The agent registry on PostgreSQL, in a schema of its own that is dropped afterwards. */
class AgentRegistryOnPostgresIT extends AgentRegistryContract {

  private static final String SCHEMA = "it_registry_" + Long.toHexString(System.nanoTime());

  @BeforeAll
  static void createSchema() throws SQLException {
    try (Connection c = TestCluster.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + SCHEMA);
    }
    ReadSideSchema.migrate(
        TestCluster.urlIn(SCHEMA), "clawbots", "clawbots", JournalBackend.POSTGRESQL);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection c = TestCluster.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @Override
  String[] database() {
    return new String[] {TestCluster.urlIn(SCHEMA), "clawbots", "clawbots"};
  }
}

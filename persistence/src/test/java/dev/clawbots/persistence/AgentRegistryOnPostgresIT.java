package dev.clawbots.persistence;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The agent registry on PostgreSQL, in a schema of its own that is dropped afterwards. */
class AgentRegistryOnPostgresIT extends AgentRegistryContract {

  private static final String SCHEMA = "it_registry_" + Long.toHexString(System.nanoTime());

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

  @Override
  String[] database() {
    return new String[] {TestCluster.urlIn(SCHEMA), "clawbots", "clawbots"};
  }
}

package dev.clawbots.persistence;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Spectator sessions on PostgreSQL, in a schema of its own that is dropped afterwards. */
class SpectatorSessionsOnPostgresIT extends SpectatorSessionsContract {

  private static final String SCHEMA = "it_spectators_" + Long.toHexString(System.nanoTime());

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

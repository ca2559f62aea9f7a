package dev.clawbots.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;

/**
 * The projection on PostgreSQL, a schema of its own per test (a projection reads the whole journal,
 * so tests sharing one would see each other's events), all dropped afterwards.
 */
class ReadSideProjectionOnPostgresIT extends ReadSideProjectionContract {

  private static final String PREFIX = "it_read_side_" + Long.toHexString(System.nanoTime());
  private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

  @Override
  String databaseUrl() {
    String schema = PREFIX + "_" + SCHEMAS.size();
    try (Connection c = TestCluster.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    SCHEMAS.add(schema);
    return TestCluster.urlIn(schema);
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    try (Connection c = TestCluster.connect();
        Statement s = c.createStatement()) {
      for (String schema : SCHEMAS) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}

package dev.clawbots.persistence;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Regions on PostgreSQL, in a schema of their own that is dropped afterwards. */
class RegionOnPostgresIT extends RegionJournalContract {

  private static final String SCHEMA = "it_regions_" + Long.toHexString(System.nanoTime());
  private static final String BASE = "jdbc:postgresql://127.0.0.1:5432/clawbots";

  @BeforeAll
  static void createSchema() throws SQLException {
    try (Connection c = DriverManager.getConnection(BASE, "clawbots", "clawbots");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + SCHEMA);
    }
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection c = DriverManager.getConnection(BASE, "clawbots", "clawbots");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @Override
  Config journal() {
    return journalAt(BASE + "?currentSchema=" + SCHEMA);
  }
}

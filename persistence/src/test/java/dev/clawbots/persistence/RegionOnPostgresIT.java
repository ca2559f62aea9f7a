package dev.clawbots.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
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
    Config resolved =
        ConfigFactory.load(
            ConfigFactory.parseString(
                    "clawbots.database.url = \"" + BASE + "?currentSchema=" + SCHEMA + "\"")
                .withFallback(ConfigFactory.parseResources("persistence.conf")));
    Config config = JournalConfig.from(Map.of(), resolved).applyTo(resolved);
    try {
      JournalSchema.createIfNotExists(config);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return config;
  }
}

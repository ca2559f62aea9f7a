package dev.clawbots.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database the journal and snapshot store run on. The JDBC URL decides it; each backend names
 * the Slick profile and JDBC driver pekko-persistence-jdbc needs for it, and the plugin's own
 * schema script for it.
 */
public enum JournalBackend {
  /** A PostgreSQL server: the backend for a cluster, and for anything that must outlive a node. */
  POSTGRESQL(
      "PostgreSQL",
      "slick.jdbc.PostgresProfile$",
      "org.postgresql.Driver",
      "schema/postgres/postgres-create-schema.sql"),

  /** The embedded H2 database: the default, a file under {@code ./data}, for one node. */
  H2("H2 (embedded)", "slick.jdbc.H2Profile$", "org.h2.Driver", "schema/h2/h2-create-schema.sql");

  private final String displayName;
  private final String slickProfile;
  private final String jdbcDriver;
  private final String createSchemaScript;

  JournalBackend(
      String displayName, String slickProfile, String jdbcDriver, String createSchemaScript) {
    this.displayName = displayName;
    this.slickProfile = slickProfile;
    this.jdbcDriver = jdbcDriver;
    this.createSchemaScript = createSchemaScript;
  }

  /** A name for people, as in a startup log line: {@code PostgreSQL}, {@code H2 (embedded)}. */
  public String displayName() {
    return displayName;
  }

  /**
   * The Slick profile pekko-persistence-jdbc is configured with, e.g. {@code
   * slick.jdbc.H2Profile$}.
   */
  public String slickProfile() {
    return slickProfile;
  }

  /** The JDBC driver class. */
  public String jdbcDriver() {
    return jdbcDriver;
  }

  /**
   * The classpath resource, inside the pekko-persistence-jdbc jar, of the plugin's create script.
   */
  String createSchemaScript() {
    return createSchemaScript;
  }

  /**
   * The backend a Slick profile stands for.
   *
   * @throws IllegalArgumentException for a profile other than PostgreSQL's or H2's
   */
  public static JournalBackend ofSlickProfile(String profile) {
    for (JournalBackend backend : values()) {
      if (backend.slickProfile.equals(profile)) {
        return backend;
      }
    }
    throw new IllegalArgumentException(
        "unsupported Slick profile '"
            + profile
            + "': the journal runs on "
            + POSTGRESQL.slickProfile
            + " or "
            + H2.slickProfile);
  }

  /**
   * The backend a connection is to, from its driver's product name.
   *
   * @throws SQLException for a database other than PostgreSQL or H2, or when the driver cannot say
   */
  static JournalBackend of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    if ("PostgreSQL".equals(product)) {
      return POSTGRESQL;
    } else if ("H2".equals(product)) {
      return H2;
    }
    throw new SQLException("unsupported database '" + product + "': use PostgreSQL or H2");
  }
}

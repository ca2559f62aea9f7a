package dev.clawbots.persistence;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Creates and upgrades the read side's tables ({@code agents}, {@code sessions}, {@code events},
 * {@code chat_messages}, {@code spectator_sessions}, {@code projection_offsets}) and the record of
 * revoked tokens ({@code revoked_tokens}) with Flyway migrations, on PostgreSQL or H2. The server
 * calls it at every start, after {@link JournalSchema}; it is idempotent, and Flyway's own lock
 * makes it safe from several nodes at once.
 *
 * <p>The migrations are SQL files, one set per backend: {@value #POSTGRESQL_LOCATION} and {@value
 * #H2_LOCATION}, twins that create the same tables. On PostgreSQL {@code events} is partitioned by
 * month of {@code created_at}, with a default partition so that an insert never fails; after
 * migrating, this calls {@code create_event_partitions(}{@value #MONTHS_AHEAD}{@code )}, so every
 * start keeps partitions for this month and the next {@value #MONTHS_AHEAD} in place. On H2 {@code
 * events} is one table.
 *
 * <p>The tables land in the connection's current schema: PostgreSQL's {@code currentSchema} URL
 * parameter, or the search path's first schema; on H2 the default schema.
 */
public final class ReadSideSchema {

  /** The tables the migrations create, on either backend. */
  public static final Set<String> TABLES =
      Set.of(
          "agents",
          "sessions",
          "events",
          "chat_messages",
          "spectator_sessions",
          "projection_offsets",
          "revoked_tokens");

  /** Months after the current one that have a partition of {@code events} after every start. */
  public static final int MONTHS_AHEAD = 3;

  static final String POSTGRESQL_LOCATION = "classpath:db/migration/postgresql";
  static final String H2_LOCATION = "classpath:db/migration/h2";

  private static final Object EMBEDDED_LOCK = new Object();

  private ReadSideSchema() {}

  /**
   * Migrates the database the given configuration points the journal at ({@value
   * JournalConfig#SHARED_DATABASE_PATH}): the read side lives beside the journal.
   *
   * @param config the effective, resolved configuration, as for {@link
   *     JournalSchema#createIfNotExists(Config)}
   * @throws org.flywaydb.core.api.FlywayException when a migration fails
   * @throws SQLException when the partitions cannot be created
   */
  public static void migrate(Config config) throws SQLException {
    Config database = config.getConfig(JournalConfig.SHARED_DATABASE_PATH);
    migrate(
        database.getString("db.url"),
        database.hasPath("db.user") ? database.getString("db.user") : null,
        database.hasPath("db.password") ? database.getString("db.password") : null,
        JournalBackend.ofSlickProfile(database.getString("profile")));
  }

  /** Migrates the journal's database. */
  public static void migrate(JournalConfig journal) throws SQLException {
    migrate(journal.toConfig());
  }

  /**
   * Migrates the database at {@code url} with the backend's migrations and, on PostgreSQL, creates
   * the partitions of {@code events} for this month and the next {@value #MONTHS_AHEAD}.
   *
   * @throws org.flywaydb.core.api.FlywayException when a migration fails
   * @throws SQLException when the partitions cannot be created
   */
  public static void migrate(String url, String user, String password, JournalBackend backend)
      throws SQLException {
    FluentConfiguration configuration =
        Flyway.configure(ReadSideSchema.class.getClassLoader())
            .dataSource(url, user, password)
            .locations(location(backend))
            // The journal's tables (JournalSchema) share the schema and come first: a schema with
            // tables but no history yet is baselined below V1, so every migration still runs.
            .baselineOnMigrate(true)
            .baselineVersion("0");
    if (backend == JournalBackend.POSTGRESQL) {
      Flyway flyway = configuration.load();
      flyway.migrate();
      try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
        connection.setAutoCommit(true);
        createEventPartitions(connection, MONTHS_AHEAD);
      }
    } else {
      synchronized (EMBEDDED_LOCK) {
        configuration.load().migrate();
      }
    }
  }

  /**
   * Calls {@code create_event_partitions(monthsAhead)} on PostgreSQL: the partitions of {@code
   * events} for this month (UTC) and the next {@code monthsAhead}, those that are missing.
   *
   * @return how many partitions it created
   */
  static int createEventPartitions(Connection connection, int monthsAhead) throws SQLException {
    try (PreparedStatement call =
        connection.prepareStatement("SELECT create_event_partitions(?)")) {
      call.setInt(1, monthsAhead);
      try (ResultSet result = call.executeQuery()) {
        result.next();
        return result.getInt(1);
      }
    }
  }

  /** The Flyway location of a backend's migrations. */
  static String location(JournalBackend backend) {
    return switch (backend) {
      case POSTGRESQL -> POSTGRESQL_LOCATION;
      case H2 -> H2_LOCATION;
    };
  }
}

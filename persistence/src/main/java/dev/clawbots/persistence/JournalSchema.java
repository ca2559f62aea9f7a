package dev.clawbots.persistence;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * Creates the journal's tables ({@code event_journal}, {@code event_tag}, {@code snapshot}) and
 * their indexes when they do not exist, on PostgreSQL or H2. The server calls it at every start,
 * before the region actors run; it is idempotent and safe to run from several nodes at once.
 *
 * <p>The DDL is the plugin's own: the create script bundled in the pekko-persistence-jdbc jar for
 * the backend ({@code schema/postgres/postgres-create-schema.sql}, {@code
 * schema/h2/h2-create-schema.sql}), read at run time, so the tables always match the plugin on the
 * classpath. Three changes make it safe to repeat: indexes are created {@code IF NOT EXISTS} (the
 * scripts' tables already are, their indexes are not); the {@code public.} schema qualifier is
 * dropped, so the tables land where the plugin looks for them (its table names are unqualified,
 * resolved through the connection's search path); and the durable-state table, which the project
 * does not use, is left out. On PostgreSQL the statements run in one transaction holding an
 * advisory lock, because concurrent {@code CREATE TABLE IF NOT EXISTS} in PostgreSQL can still fail
 * with a duplicate-key error; DDL is transactional there, so nodes starting together create the
 * tables once, and a failure leaves nothing half-made.
 *
 * <p>The plugin's {@code testkit.javadsl.SchemaUtils.createIfNotExists} is not used: it is marked
 * as meant for tests, runs the unmodified scripts, and logs every failing statement at DEBUG and
 * carries on, so a second run "succeeds" only by swallowing the duplicate-index error, and a real
 * failure (no permission, a wrong schema) would pass unnoticed until the first write.
 */
public final class JournalSchema {

  /** The tables the journal and the snapshot store need. */
  public static final Set<String> TABLES = Set.of("event_journal", "event_tag", "snapshot");

  /** PostgreSQL advisory lock key that serialises schema creation across nodes ("clawbots"). */
  static final long ADVISORY_LOCK_KEY = 0x636c6177626f7473L;

  private static final Pattern CREATE_TABLE =
      Pattern.compile(
          "(?is)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+(?:\"?\\w+\"?\\.)?\"?(\\w+)\"?.*");
  private static final Pattern CREATE_INDEX =
      Pattern.compile(
          "(?is)CREATE\\s+(UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?"
              + "(\"?\\w+\"?)\\s+ON\\s+((?:\"?\\w+\"?\\.)?\"?(\\w+)\"?.*)");
  private static final Pattern CREATE_SEQUENCE =
      Pattern.compile("(?is)CREATE\\s+SEQUENCE\\s+IF\\s+NOT\\s+EXISTS\\s+.*");
  private static final Pattern SCHEMA_QUALIFIER = Pattern.compile("(?i)\\bpublic\\.");

  private static final Object EMBEDDED_LOCK = new Object();

  private JournalSchema() {}

  /**
   * Creates the tables on the database the given configuration points the plugin at ({@value
   * JournalConfig#SHARED_DATABASE_PATH}), if they do not exist. Blocks until done.
   *
   * @param config the effective, resolved configuration: {@code persistence.conf} with {@link
   *     JournalConfig#toConfig()} over it
   * @throws SQLException when the database cannot be reached or refuses the DDL
   */
  public static void createIfNotExists(Config config) throws SQLException {
    Config database = config.getConfig(JournalConfig.SHARED_DATABASE_PATH);
    JournalBackend backend = JournalBackend.ofSlickProfile(database.getString("profile"));
    String url = database.getString("db.url");
    String user = database.hasPath("db.user") ? database.getString("db.user") : null;
    String password = database.hasPath("db.password") ? database.getString("db.password") : null;
    String driver =
        database.hasPath("db.driver") ? database.getString("db.driver") : backend.jdbcDriver();
    List<String> statements = statements(backend);
    try (Connection connection = connect(driver, url, user, password)) {
      if (backend == JournalBackend.POSTGRESQL) {
        createOnPostgres(connection, statements);
      } else {
        synchronized (EMBEDDED_LOCK) {
          createOnH2(connection, statements);
        }
      }
    }
  }

  /**
   * {@link #createIfNotExists(Config)} with the system's configuration, on Pekko's dispatcher for
   * blocking work. The stage fails with the {@link SQLException} if the DDL fails.
   */
  public static CompletionStage<Done> createIfNotExists(ActorSystem<?> system) {
    Config config = system.settings().config();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            createIfNotExists(config);
            return Done.getInstance();
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        system.dispatchers().lookup(DispatcherSelector.blocking()));
  }

  /**
   * The idempotent DDL for a backend, in the order it runs: the plugin's create script for the
   * journal, tag and snapshot tables, with indexes made {@code IF NOT EXISTS} and the {@code
   * public.} qualifier dropped.
   *
   * @throws IllegalStateException if the plugin's script has changed shape so that it can no longer
   *     be made idempotent, or no longer creates all of {@link #TABLES}
   */
  public static List<String> statements(JournalBackend backend) {
    String script = readScript(backend.createSchemaScript());
    List<String> statements = new ArrayList<>();
    Set<String> created = new LinkedHashSet<>();
    for (String raw : script.split(";")) {
      String statement = withoutComments(raw).strip();
      if (statement.isEmpty()) {
        continue;
      }
      statement = SCHEMA_QUALIFIER.matcher(statement).replaceAll("");
      Matcher table = CREATE_TABLE.matcher(statement);
      Matcher index = CREATE_INDEX.matcher(statement);
      if (table.matches()) {
        String name = table.group(1).toLowerCase(Locale.ROOT);
        if (TABLES.contains(name)) {
          statements.add(statement);
          created.add(name);
        }
      } else if (index.matches()) {
        if (TABLES.contains(index.group(4).toLowerCase(Locale.ROOT))) {
          String unique = index.group(1) == null ? "" : "UNIQUE ";
          statements.add(
              "CREATE "
                  + unique
                  + "INDEX IF NOT EXISTS "
                  + index.group(2)
                  + " ON "
                  + index.group(3));
        }
      } else if (!CREATE_SEQUENCE.matcher(statement).matches()) {
        throw new IllegalStateException(
            "unexpected statement in the plugin's "
                + backend.createSchemaScript()
                + ", which JournalSchema cannot make idempotent: "
                + statement);
      }
    }
    if (!created.equals(TABLES)) {
      throw new IllegalStateException(
          "the plugin's "
              + backend.createSchemaScript()
              + " creates "
              + created
              + " but the journal needs "
              + TABLES);
    }
    return List.copyOf(statements);
  }

  private static void createOnPostgres(Connection connection, List<String> statements)
      throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      // A node that starts while another holds the lock waits for it, then finds the tables.
      statement.execute("SET LOCAL lock_timeout = '60s'");
      statement.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
      for (String ddl : statements) {
        statement.execute(ddl);
      }
      connection.commit();
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  private static void createOnH2(Connection connection, List<String> statements)
      throws SQLException {
    // H2 commits each DDL statement by itself; the embedded database has one process, and the
    // lock around this call keeps its threads from racing each other.
    connection.setAutoCommit(true);
    try (Statement statement = connection.createStatement()) {
      for (String ddl : statements) {
        statement.execute(ddl);
      }
    }
  }

  private static Connection connect(String driverClass, String url, String user, String password)
      throws SQLException {
    Driver driver;
    try {
      driver =
          (Driver)
              Class.forName(driverClass, true, JournalSchema.class.getClassLoader())
                  .getDeclaredConstructor()
                  .newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new SQLException("cannot load the JDBC driver " + driverClass, e);
    }
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    Connection connection = driver.connect(url, properties);
    if (connection == null) {
      throw new SQLException(
          driverClass + " does not accept the URL " + JournalConfig.withoutPassword(url));
    }
    return connection;
  }

  private static String readScript(String resource) {
    try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is not on the classpath: is pekko-persistence-jdbc missing?");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static String withoutComments(String sql) {
    StringBuilder kept = new StringBuilder(sql.length());
    for (String line : sql.split("\\R")) {
      if (!line.strip().startsWith("--")) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }
}

package dev.clawbots.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.EventTagTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.SimpleJdbcAction;

/**
 * pekko-persistence-jdbc's journal DAO on PostgreSQL, with the plugin's write path replaced. The
 * plugin inserts a batch of tagged events with Slick's insert-returning, which PostgreSQL's driver
 * cannot batch: one round trip per event, each waiting for the JVM's thread to be scheduled again,
 * and under load a batch of 40 events held its transaction open for hundreds of milliseconds. Here
 * a batch is one transaction of two statements whatever its size: a multi-row {@code INSERT ...
 * RETURNING} of the events, whose orderings are matched back by persistence id and sequence number,
 * then one multi-row insert of their tags. The rows, tables and columns are the plugin's own (names
 * from its configuration), so its reads, recovery and queries are unchanged. Everything but {@link
 * #writeJournalRows} is the plugin's. Named in {@code jdbc-journal.dao} by {@link
 * dev.clawbots.persistence.JournalConfig} when the journal is on PostgreSQL.
 */
public final class PostgresJournalDao extends DefaultJournalDao {

  /** Rows per statement, so that a statement's parameters stay far below PostgreSQL's 32,767. */
  static final int ROWS_PER_STATEMENT = 1000;

  private static final int EVENT_COLUMNS = 12;

  public PostgresJournalDao(
      JdbcBackend.JdbcDatabaseDef db,
      JdbcProfile profile,
      JournalConfig journalConfig,
      Serialization serialization,
      ExecutionContext ec,
      Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(
      Seq<Tuple2<JournalPekkoSerializationRow, Set<String>>> xs) {
    List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows =
        new ArrayList<>(CollectionConverters.asJava(xs));
    // As the plugin does: within a persistence id, orderings follow sequence numbers.
    rows.sort(Comparator.comparingLong(r -> r._1().sequenceNumber()));
    SimpleJdbcAction<BoxedUnit> write =
        SimpleJdbcAction.apply(
            context -> {
              inTransaction(context.connection(), rows);
              return BoxedUnit.UNIT;
            });
    return run(write);
  }

  /**
   * Slick's {@code run} takes an action of any effect, a type ({@code Nothing}) that Java cannot
   * write, hence the raw type.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Future<BoxedUnit> run(SimpleJdbcAction<BoxedUnit> action) {
    return db().run((DBIOAction) action);
  }

  private void inTransaction(
      Connection connection, List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows) {
    try {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
          List<Tuple2<JournalPekkoSerializationRow, Set<String>>> chunk =
              rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
          insertTags(connection, chunk, insertEvents(connection, chunk));
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new JournalWriteFailed(e);
    }
  }

  /** Inserts the events; answers each one's ordering, by persistence id and sequence number. */
  private Map<String, Long> insertEvents(
      Connection connection, List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows)
      throws SQLException {
    EventJournalTableConfiguration table = journalConfig().eventJournalTableConfiguration();
    EventJournalTableColumnNames c = table.columnNames();
    StringBuilder sql =
        new StringBuilder("INSERT INTO ")
            .append(qualified(table.schemaName(), table.tableName()))
            .append(" (")
            .append(
                String.join(
                    ", ",
                    quoted(c.deleted()),
                    quoted(c.persistenceId()),
                    quoted(c.sequenceNumber()),
                    quoted(c.writer()),
                    quoted(c.writeTimestamp()),
                    quoted(c.adapterManifest()),
                    quoted(c.eventPayload()),
                    quoted(c.eventSerId()),
                    quoted(c.eventSerManifest()),
                    quoted(c.metaPayload()),
                    quoted(c.metaSerId()),
                    quoted(c.metaSerManifest())))
            .append(") VALUES ");
    appendPlaceholders(sql, rows.size(), EVENT_COLUMNS);
    sql.append(" RETURNING ")
        .append(quoted(c.ordering()))
        .append(", ")
        .append(quoted(c.persistenceId()))
        .append(", ")
        .append(quoted(c.sequenceNumber()));
    Map<String, Long> orderings = new HashMap<>(rows.size() * 2);
    try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
      int p = 1;
      for (Tuple2<JournalPekkoSerializationRow, Set<String>> row : rows) {
        JournalPekkoSerializationRow e = row._1();
        insert.setBoolean(p++, e.deleted());
        insert.setString(p++, e.persistenceId());
        insert.setLong(p++, e.sequenceNumber());
        insert.setString(p++, e.writer());
        insert.setLong(p++, e.writeTimestamp());
        insert.setString(p++, e.adapterManifest());
        insert.setBytes(p++, e.eventPayload());
        insert.setInt(p++, e.eventSerId());
        insert.setString(p++, e.eventSerManifest());
        insert.setBytes(p++, orNull(e.metaPayload()));
        Integer metaSerId = (Integer) orNull(e.metaSerId());
        if (metaSerId == null) {
          insert.setNull(p++, Types.INTEGER);
        } else {
          insert.setInt(p++, metaSerId);
        }
        insert.setString(p++, orNull(e.metaSerManifest()));
      }
      try (ResultSet keys = insert.executeQuery()) {
        while (keys.next()) {
          orderings.put(key(keys.getString(2), keys.getLong(3)), keys.getLong(1));
        }
      }
    }
    if (orderings.size() != rows.size()) {
      throw new IllegalStateException(
          "the journal returned " + orderings.size() + " orderings for " + rows.size() + " events");
    }
    return orderings;
  }

  private void insertTags(
      Connection connection,
      List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows,
      Map<String, Long> orderings)
      throws SQLException {
    List<Long> eventIds = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (Tuple2<JournalPekkoSerializationRow, Set<String>> row : rows) {
      long ordering = orderings.get(key(row._1().persistenceId(), row._1().sequenceNumber()));
      for (String tag : CollectionConverters.asJava(row._2())) {
        eventIds.add(ordering);
        tags.add(tag);
      }
    }
    if (tags.isEmpty()) {
      return;
    }
    EventTagTableConfiguration table = journalConfig().eventTagTableConfiguration();
    StringBuilder sql =
        new StringBuilder("INSERT INTO ")
            .append(qualified(table.schemaName(), table.tableName()))
            .append(" (")
            .append(quoted(table.columnNames().eventId()))
            .append(", ")
            .append(quoted(table.columnNames().tag()))
            .append(") VALUES ");
    appendPlaceholders(sql, tags.size(), 2);
    try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
      int p = 1;
      for (int i = 0; i < tags.size(); i++) {
        insert.setLong(p++, eventIds.get(i));
        insert.setString(p++, tags.get(i));
      }
      insert.executeUpdate();
    }
  }

  private static void appendPlaceholders(StringBuilder sql, int rows, int columns) {
    String row = "(" + "?, ".repeat(columns - 1) + "?)";
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(row);
    }
  }

  private static String key(String persistenceId, long sequenceNumber) {
    return sequenceNumber + ":" + persistenceId;
  }

  /** As Slick names a table: quoted, and in its schema when one is configured. */
  static String qualified(Option<String> schema, String table) {
    return schema.isDefined() && !schema.get().isEmpty()
        ? quoted(schema.get()) + "." + quoted(table)
        : quoted(table);
  }

  static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static <T> T orNull(Option<T> option) {
    return option.isDefined() ? option.get() : null;
  }

  /** A batch of events the database refused; every write in it fails, as with the plugin. */
  static final class JournalWriteFailed extends RuntimeException {
    JournalWriteFailed(SQLException cause) {
      super("writing events to the journal failed: " + cause.getMessage(), cause);
    }
  }
}

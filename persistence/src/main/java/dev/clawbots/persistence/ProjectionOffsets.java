package dev.clawbots.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One projection's rows in {@code projection_offsets}: per region the highest seq it has written,
 * and, in the row of region {@value #TAG_OFFSET}, where its tag query stands in the journal (the
 * read journal's {@code ordering}). Region ids match {@code [a-z0-9-]}, so {@code *} is never a
 * region's. Every call works inside the caller's transaction.
 */
final class ProjectionOffsets {

  /** The region column of the row that holds the tag query's offset. */
  static final String TAG_OFFSET = "*";

  private final String projection;
  private final JournalBackend backend;

  ProjectionOffsets(String projection, JournalBackend backend) {
    this.projection = projection;
    this.backend = backend;
  }

  /** The tag query's stored offset, 0 (the journal's start) when there is none. */
  long tagOffset(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT last_seq FROM projection_offsets WHERE projection = ? AND region = ?")) {
      s.setString(1, projection);
      s.setString(2, TAG_OFFSET);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  /**
   * Locks the rows of {@code regions} (creating missing ones at 0) until the transaction ends, and
   * answers what they hold. Rows are taken in sorted order, so two writers never deadlock.
   */
  Map<String, Long> lock(Connection c, Collection<String> regions) throws SQLException {
    TreeSet<String> sorted = new TreeSet<>(regions);
    try (PreparedStatement s = c.prepareStatement(insertMissing())) {
      for (String region : sorted) {
        s.setString(1, projection);
        s.setString(2, region);
        s.addBatch();
      }
      s.executeBatch();
    }
    String in = "?" + ", ?".repeat(sorted.size() - 1);
    Map<String, Long> offsets = new HashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT region, last_seq FROM projection_offsets WHERE projection = ? AND region IN ("
                + in
                + ") ORDER BY region FOR UPDATE")) {
      s.setString(1, projection);
      int i = 2;
      for (String region : sorted) {
        s.setString(i++, region);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          offsets.put(r.getString(1), r.getLong(2));
        }
      }
    }
    return offsets;
  }

  /** Moves each row forward to its new value; never back, should another writer be ahead. */
  void advance(Connection c, Map<String, Long> offsets) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE projection_offsets SET last_seq = ?, updated_at = CURRENT_TIMESTAMP"
                + " WHERE projection = ? AND region = ? AND last_seq < ?")) {
      for (Map.Entry<String, Long> offset : new TreeMap<>(offsets).entrySet()) {
        s.setLong(1, offset.getValue());
        s.setString(2, projection);
        s.setString(3, offset.getKey());
        s.setLong(4, offset.getValue());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private String insertMissing() {
    return switch (backend) {
      case POSTGRESQL ->
          "INSERT INTO projection_offsets (projection, region, last_seq)"
              + " VALUES (?, ?, 0) ON CONFLICT DO NOTHING";
      case H2 ->
          "MERGE INTO projection_offsets t USING (VALUES (CAST(? AS VARCHAR(64)),"
              + " CAST(? AS VARCHAR(64)))) AS s(projection, region)"
              + " ON t.projection = s.projection AND t.region = s.region"
              + " WHEN NOT MATCHED THEN INSERT (projection, region, last_seq)"
              + " VALUES (s.projection, s.region, 0)";
    };
  }
}

package dev.clawbots.persistence;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Sequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch of journaled region events into {@code events} and {@code chat_messages}, agents'
 * stays into {@code sessions} ({@link Stays}) and their statistics into {@code agents}, in one
 * transaction with the projection's offsets: the rows of the regions it touches are locked, events
 * at or below a region's {@code last_seq} are skipped, and the new {@code last_seq}s and the tag
 * query's offset are stored before the commit. So a batch is applied whole or not at all, and once.
 * The rows are also inserted so that a row already there is left alone, which makes a replay with
 * lost offsets harmless too.
 */
final class ReadSideWriter {

  /** What a batch did: events written (past the offsets) and the time of its last event. */
  record Written(int projected, Instant lastEventAt) {}

  private static final Logger log = LoggerFactory.getLogger(ReadSideWriter.class);

  private final DataSource dataSource;
  private final String projection;
  private final SenderNames names = new SenderNames();
  private volatile JournalBackend backend;

  ReadSideWriter(DataSource dataSource, String projection) {
    this.dataSource = dataSource;
    this.projection = projection;
  }

  /** Where the tag query resumes: the journal ordering of the last event written. */
  long tagOffset() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return offsets(c).tagOffset(c);
    }
  }

  /** Writes a batch of envelopes in journal order; blocks. */
  Written write(List<EventEnvelope> batch) throws SQLException {
    long ordering = 0;
    List<RegionEvent> events = new ArrayList<>(batch.size());
    for (EventEnvelope envelope : batch) {
      ordering = Math.max(ordering, ((Sequence) envelope.offset()).value());
      if (envelope.event() instanceof RegionEvent event) {
        events.add(event);
      } else {
        log.warn(
            "skipping {} at {}: not a region event",
            envelope.event().getClass().getName(),
            envelope.persistenceId());
      }
    }
    Set<String> rows = new HashSet<>();
    rows.add(ProjectionOffsets.TAG_OFFSET);
    events.forEach(e -> rows.add(e.regionId()));

    try (Connection c = dataSource.getConnection()) {
      ProjectionOffsets offsets = offsets(c);
      c.setAutoCommit(false);
      try {
        Map<String, Long> done = offsets.lock(c, rows);
        Map<String, Long> advanced = new HashMap<>();
        int projected = insert(c, events, done, advanced);
        advanced.put(ProjectionOffsets.TAG_OFFSET, ordering);
        offsets.advance(c, advanced);
        c.commit();
        Instant last = events.isEmpty() ? null : events.get(events.size() - 1).at();
        return new Written(projected, last);
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    }
  }

  private int insert(
      Connection c, List<RegionEvent> events, Map<String, Long> done, Map<String, Long> advanced)
      throws SQLException {
    int projected = 0;
    int chats = 0;
    Map<String, Activity> activity = new HashMap<>();
    try (PreparedStatement eventRow = c.prepareStatement(eventInsert());
        PreparedStatement chatRow = c.prepareStatement(chatInsert())) {
      for (RegionEvent event : events) {
        names.learn(event);
        if (!event.visible()) {
          continue;
        }
        String region = event.regionId();
        long last = advanced.getOrDefault(region, done.getOrDefault(region, 0L));
        if (event.seq() <= last) {
          continue;
        }
        if (event.seq() != last + 1) {
          log.warn("region {}: seq {} follows {}, a gap in the journal", region, event.seq(), last);
        }
        bindEvent(eventRow, WireEvent.of(event).orElseThrow());
        eventRow.addBatch();
        if (event instanceof RegionEvent.Spoke spoke) {
          bindChat(c, chatRow, spoke);
          chatRow.addBatch();
          chats++;
        }
        Stays.apply(c, event);
        advanced.put(region, event.seq());
        projected++;
        if (event instanceof RegionEvent.Prompted || event.agentId() == null) {
          // A spectator's or an OpenSim avatar's doing, not an agent's activity.
          continue;
        }
        activity.merge(
            event.agentId(),
            new Activity(event instanceof RegionEvent.Spoke ? 1 : 0, event.at()),
            Activity::plus);
      }
      if (projected > 0) {
        eventRow.executeBatch();
      }
      if (chats > 0) {
        chatRow.executeBatch();
      }
    }
    recordActivity(c, activity);
    return projected;
  }

  /** What a batch saw an agent do: chat messages sent, and when it last did anything. */
  private record Activity(long messages, Instant lastSeen) {
    Activity plus(Activity other) {
      return new Activity(
          messages + other.messages, lastSeen.isAfter(other.lastSeen) ? lastSeen : other.lastSeen);
    }
  }

  /**
   * The registry's statistics, counted from the events themselves and in the same transaction, so
   * that a replayed event (skipped above) is never counted twice. Agents that are not registered
   * (none is, in some tests) are simply not updated.
   */
  private static void recordActivity(Connection c, Map<String, Activity> activity)
      throws SQLException {
    if (activity.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE agents SET message_count = message_count + ?,"
                + " last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ?"
                + " ELSE last_seen END WHERE agent_id = ?")) {
      for (Map.Entry<String, Activity> e : activity.entrySet()) {
        Object seen = e.getValue().lastSeen().atOffset(ZoneOffset.UTC);
        s.setLong(1, e.getValue().messages());
        s.setObject(2, seen);
        s.setObject(3, seen);
        s.setString(4, e.getKey());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void bindEvent(PreparedStatement s, WireEvent wire) throws SQLException {
    s.setString(1, wire.regionId());
    s.setLong(2, wire.seq());
    s.setLong(3, wire.worldTick());
    s.setString(4, wire.type());
    setNullable(s, 5, wire.sourceAgent());
    setNullable(s, 6, wire.targetAgent());
    s.setString(7, WireJson.write(wire.content()));
    s.setObject(8, wire.createdAt().atOffset(ZoneOffset.UTC));
  }

  private void bindChat(Connection c, PreparedStatement s, RegionEvent.Spoke spoke)
      throws SQLException {
    s.setString(1, spoke.regionId());
    s.setLong(2, spoke.seq());
    s.setString(3, spoke.agentId());
    s.setString(4, names.of(c, spoke.agentId()));
    setNullable(s, 5, spoke.to());
    s.setString(6, spoke.text());
    s.setString(7, spoke.volume().wireName());
    s.setLong(8, spoke.tick());
    s.setObject(9, spoke.at().atOffset(ZoneOffset.UTC));
  }

  private static void setNullable(PreparedStatement s, int index, String value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }

  private ProjectionOffsets offsets(Connection c) throws SQLException {
    if (backend == null) {
      backend = JournalBackend.of(c);
    }
    return new ProjectionOffsets(projection, backend);
  }

  // Both statements bind region and seq first, then the other columns in table order.

  private String eventInsert() {
    return switch (backend) {
      case POSTGRESQL ->
          "INSERT INTO events (region, seq, world_tick, event_type, source_agent,"
              + " target_agent, content, created_at) VALUES (?, ?, ?, ?, ?, ?, CAST(? AS JSONB), ?)"
              + " ON CONFLICT DO NOTHING";
      case H2 ->
          "MERGE INTO events t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS BIGINT)))"
              + " AS s(region, seq) ON t.region = s.region AND t.seq = s.seq"
              + " WHEN NOT MATCHED THEN INSERT (region, seq, world_tick, event_type, source_agent,"
              + " target_agent, content, created_at)"
              + " VALUES (s.region, s.seq, ?, ?, ?, ?, ? FORMAT JSON, ?)";
    };
  }

  private String chatInsert() {
    return switch (backend) {
      case POSTGRESQL ->
          "INSERT INTO chat_messages (region, seq, sender_id, sender_name,"
              + " recipient_id, message, volume, world_tick, created_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
      case H2 ->
          "MERGE INTO chat_messages t USING (VALUES (CAST(? AS VARCHAR(64)),"
              + " CAST(? AS BIGINT))) AS s(region, seq) ON t.region = s.region AND t.seq = s.seq"
              + " WHEN NOT MATCHED THEN INSERT (region, seq, sender_id, sender_name, recipient_id,"
              + " message, volume, world_tick, created_at)"
              + " VALUES (s.region, s.seq, ?, ?, ?, ?, ?, ?, ?)";
    };
  }
}

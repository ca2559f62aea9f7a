package dev.clawbots.persistence;

import dev.clawbots.region.RegionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Agents' stays in regions, written by the projection from the events that begin and end them into
 * {@code sessions}: a row from an {@code agent_joined} or a crossing in, ended by the agent's
 * {@code agent_left} ({@code leave} or {@code idle}) or crossing out ({@code crossed}) in the same
 * region, whose length is added to the agent's {@code total_online_seconds}. Called within the
 * projection's transaction for each event written once, so a stay is never counted twice. Agents
 * that are not registered are left out, as everywhere in the registry.
 */
final class Stays {

  private Stays() {}

  static void apply(Connection c, RegionEvent event) throws SQLException {
    if (event instanceof RegionEvent.AgentJoined || event instanceof RegionEvent.CrossedIn) {
      begin(c, event.agentId(), event.regionId(), event.at());
    } else if (event instanceof RegionEvent.AgentLeft left) {
      end(
          c,
          left.agentId(),
          left.regionId(),
          left.at(),
          "idle".equals(left.reason()) ? "idle" : "leave");
    } else if (event instanceof RegionEvent.CrossedOut out) {
      end(c, out.agentId(), out.regionId(), out.at(), "crossed");
    }
  }

  private static void begin(Connection c, String agentId, String region, Instant at)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO sessions (agent_id, region, started_at)"
                + " SELECT agent_id, ?, ? FROM agents WHERE agent_id = ?")) {
      s.setString(1, region);
      s.setObject(2, utc(at));
      s.setString(3, agentId);
      s.executeUpdate();
    }
  }

  private static void end(Connection c, String agentId, String region, Instant at, String reason)
      throws SQLException {
    long sessionId;
    Instant started;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT session_id, started_at FROM sessions"
                + " WHERE agent_id = ? AND region = ? AND ended_at IS NULL"
                + " ORDER BY started_at DESC, session_id DESC")) {
      s.setString(1, agentId);
      s.setString(2, region);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return;
        }
        sessionId = r.getLong(1);
        started = r.getObject(2, OffsetDateTime.class).toInstant();
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE session_id = ?")) {
      s.setObject(1, utc(at));
      s.setString(2, reason);
      s.setLong(3, sessionId);
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE agents SET total_online_seconds = total_online_seconds + ?"
                + " WHERE agent_id = ?")) {
      s.setLong(1, Math.max(0, Duration.between(started, at).toSeconds()));
      s.setString(2, agentId);
      s.executeUpdate();
    }
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}

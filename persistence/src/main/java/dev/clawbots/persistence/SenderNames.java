package dev.clawbots.persistence;

import dev.clawbots.region.RegionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of speaking agents, for {@code chat_messages.sender_name}: a chat event carries only
 * the speaker's id. A speaker is in the region it speaks in, so it arrived there by an {@code
 * AgentJoined} or a {@code CrossedIn}, both of which carry its name, and the projection has seen
 * that event first, unless it started after it. Such speakers are looked up in the registry's
 * {@code agents} table (which is where the gateway takes names from), and, for an agent the
 * registry does not know, named by their id.
 *
 * <p>The map holds the agents in the world: an agent that leaves is forgotten, so it never grows
 * with all the agents that ever came.
 */
final class SenderNames {

  private final Map<String, String> names = new ConcurrentHashMap<>();

  /** Learns from or forgets by an event, in journal order. */
  void learn(RegionEvent event) {
    if (event instanceof RegionEvent.AgentJoined e) {
      names.put(e.agentId(), e.name());
    } else if (event instanceof RegionEvent.CrossedIn e) {
      names.put(e.agentId(), e.crossing().name());
    } else if (event instanceof RegionEvent.AgentLeft e) {
      names.remove(e.agentId());
    }
  }

  /** The agent's name, looked up in {@code agents} on {@code c} when not learnt from events. */
  String of(Connection c, String agentId) throws SQLException {
    String known = names.get(agentId);
    if (known != null) {
      return known;
    }
    String name = agentId;
    try (PreparedStatement s = c.prepareStatement("SELECT name FROM agents WHERE agent_id = ?")) {
      s.setString(1, agentId);
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          name = r.getString(1);
        }
      }
    }
    names.put(agentId, name);
    return name;
  }
}

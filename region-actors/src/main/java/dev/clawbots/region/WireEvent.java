package dev.clawbots.region;

import dev.clawbots.world.Vec3;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An event as clients see it: the contract's {@code Event}, {@code {"seq", "region_id",
 * "world_tick", "type", "source_agent"?, "target_agent"?, "content", "created_at"}}. Written as
 * JSON by {@link WireJson}; the same shape goes to Redis, REST and the WebSockets.
 */
public record WireEvent(
    long seq,
    String regionId,
    long worldTick,
    String type,
    String sourceAgent,
    String targetAgent,
    Map<String, Object> content,
    Instant createdAt) {

  /** The client's view of a journaled event; empty for bookkeeping events clients never see. */
  public static Optional<WireEvent> of(RegionEvent event) {
    if (!event.visible()) {
      return Optional.empty();
    }
    Map<String, Object> content = new LinkedHashMap<>();
    String type;
    String target = null;
    if (event instanceof RegionEvent.AgentJoined e) {
      type = "agent_joined";
      content.put("name", e.name());
      content.put("position", e.position());
    } else if (event instanceof RegionEvent.AgentLeft e) {
      type = "agent_left";
      content.put("reason", e.reason());
      putIfPresent(content, "position", e.position());
    } else if (event instanceof RegionEvent.MoveStarted e) {
      type = "move_started";
      putIfPresent(content, "from", e.from());
      content.put("to", e.to());
      content.put("speed", e.speed());
    } else if (event instanceof RegionEvent.Arrived e) {
      type = "arrived";
      content.put("position", e.position());
    } else if (event instanceof RegionEvent.Spoke e) {
      type = "chat";
      target = e.to();
      content.put("text", e.text());
      content.put("volume", e.volume().wireName());
      content.put("private", e.to() != null);
    } else if (event instanceof RegionEvent.Emoted e) {
      type = "emote";
      content.put("emote", e.emote());
    } else if (event instanceof RegionEvent.CrossedOut e) {
      type = "region_crossed";
      crossing(content, e.regionId(), e.toRegion(), "out", e.crossing().entry());
      content.put("moving_to", e.crossing().target());
    } else if (event instanceof RegionEvent.CrossedIn e) {
      type = "region_crossed";
      crossing(content, e.fromRegion(), e.regionId(), "in", e.crossing().entry());
      content.put("moving_to", e.crossing().target());
    } else if (event instanceof RegionEvent.Prompted e) {
      type = "prompt";
      // Addressed to the agent; its source is a spectator, not an agent.
      target = e.agentId();
      content.put("spectator_id", e.spectatorId());
      content.put("spectator_name", e.spectatorName());
      content.put("text", e.text());
    } else if (event instanceof RegionEvent.AvatarSpoke e) {
      type = "chat";
      content.put("text", e.text());
      content.put("volume", e.volume().wireName());
      content.put("private", false);
      // Not an agent's words: a person's, in the OpenSimulator grid the region is mirrored in.
      content.put("source", "opensim");
      content.put("speaker_name", e.avatarName());
      putIfPresent(content, "speaker_id", e.avatarId());
      putIfPresent(content, "position", e.position());
    } else {
      throw new IllegalArgumentException("no wire form for " + event.getClass().getName());
    }
    return Optional.of(
        new WireEvent(
            event.seq(),
            event.regionId(),
            event.tick(),
            type,
            event instanceof RegionEvent.Prompted ? null : event.agentId(),
            target,
            content,
            event.at()));
  }

  private static void crossing(
      Map<String, Object> content, String from, String to, String direction, Vec3 entry) {
    content.put("from_region", from);
    content.put("to_region", to);
    content.put("direction", direction);
    // Where the agent enters the destination, in the destination's coordinates.
    content.put("entry", entry);
  }

  private static void putIfPresent(Map<String, Object> content, String key, Object value) {
    if (value != null) {
      content.put(key, value);
    }
  }
}

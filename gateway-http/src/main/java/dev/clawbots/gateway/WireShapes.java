package dev.clawbots.gateway;

import dev.clawbots.persistence.AgentRecord;
import dev.clawbots.persistence.ChatMessage;
import dev.clawbots.region.RegionReply;
import dev.clawbots.world.Heard;
import dev.clawbots.world.Perception;
import dev.clawbots.world.Permission;
import dev.clawbots.world.TimeOfDay;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.Weather;
import dev.clawbots.world.WorldClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Engine values in the contract's shapes, where those differ from the records' own. */
final class WireShapes {

  private WireShapes() {}

  /** {@code {"hour", "minute", "day_night"}}. */
  static Map<String, Object> time(TimeOfDay t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hour", t.hour());
    m.put("minute", t.minute());
    m.put("day_night", t.dayNight().wireName());
    return m;
  }

  /** {@code {"kind", "temperature_c", "wind_speed_mps", "wind_direction_deg", "cloud_cover"}}. */
  static Map<String, Object> weather(Weather w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", w.kind().wireName());
    m.put("temperature_c", w.temperatureC());
    m.put("wind_speed_mps", w.windSpeedMps());
    m.put("wind_direction_deg", w.windDirectionDeg());
    m.put("cloud_cover", w.cloudCover());
    return m;
  }

  /**
   * {@code GET /v1/regions}: {@code {"region_id", "name", "grid_x", "grid_y", "agents_online"}}.
   */
  static Map<String, Object> regionSummary(RegionReply.View v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("region_id", v.regionId());
    m.put("name", v.name());
    m.put("grid_x", v.gridX());
    m.put("grid_y", v.gridY());
    m.put("agents_online", v.agents().size());
    return m;
  }

  /**
   * The contract's perception: {@code {"world_tick", "self", "nearby", "heard", "time",
   * "weather"}}. A heard message or emote has the event shape without {@code seq}: the engine keeps
   * what an agent heard, not the seq it was journaled under.
   */
  static Map<String, Object> perception(Perception p, WorldClock clock) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("world_tick", p.worldTick());
    Map<String, Object> self = new LinkedHashMap<>();
    self.put("agent_id", p.self().agentId());
    self.put("region_id", p.self().regionId());
    self.put("position", p.self().position());
    if (p.self().movingTo() != null) {
      self.put("moving_to", p.self().movingTo());
    }
    m.put("self", self);
    List<Map<String, Object>> nearby = new ArrayList<>();
    for (Perception.Nearby n : p.nearby()) {
      Map<String, Object> other = new LinkedHashMap<>();
      other.put("agent_id", n.agentId());
      other.put("name", n.name());
      other.put("position", n.position());
      other.put("distance", n.distance());
      nearby.add(other);
    }
    m.put("nearby", nearby);
    List<Map<String, Object>> heard = new ArrayList<>();
    for (Heard h : p.heard()) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("region_id", p.self().regionId());
      event.put("world_tick", h.tick());
      Map<String, Object> content = new LinkedHashMap<>();
      if (h.kind() == Heard.Kind.CHAT) {
        event.put("type", "chat");
        event.put("source_agent", h.sourceAgent());
        if (h.to() != null) {
          event.put("target_agent", h.to());
        }
        content.put("text", h.text());
        content.put("volume", h.volume().wireName());
        content.put("private", h.to() != null);
      } else {
        event.put("type", "emote");
        event.put("source_agent", h.sourceAgent());
        content.put("emote", h.text());
      }
      event.put("content", content);
      event.put("created_at", clock.instantOf(h.tick()));
      heard.add(event);
    }
    m.put("heard", heard);
    m.put("time", time(p.time()));
    m.put("weather", weather(p.weather()));
    return m;
  }

  /** {@code GET /v1/agents/{id}}; {@code region} and {@code position} null when it is nowhere. */
  static Map<String, Object> agent(AgentRecord a, String region, Vec3 position) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("agent_id", a.agentId());
    m.put("name", a.name());
    m.put("description", a.description());
    m.put("online", region != null);
    m.put("region", region);
    m.put("position", position);
    m.put("last_seen", a.lastSeen());
    m.put("message_count", a.messageCount());
    m.put("permissions", a.permissions().stream().map(Permission::wireName).sorted().toList());
    return m;
  }

  /**
   * A public chat message as the contract lists it: {@code {"sender_id", "sender_name",
   * "recipient_id", "message", "volume", "created_at"}} ({@code recipient_id} is only ever on
   * private messages, which are never listed, so it is left out).
   */
  static Map<String, Object> chatMessage(ChatMessage c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sender_id", c.senderId());
    m.put("sender_name", c.senderName());
    m.put("recipient_id", c.recipientId());
    m.put("message", c.message());
    m.put("volume", c.volume());
    m.put("created_at", c.createdAt());
    return m;
  }

  /** {@code GET /v1/regions/{id}}. */
  static Map<String, Object> region(RegionReply.View v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("region_id", v.regionId());
    m.put("name", v.name());
    m.put("grid_x", v.gridX());
    m.put("grid_y", v.gridY());
    m.put("world_tick", v.worldTick());
    m.put("time", time(v.time()));
    m.put("weather", weather(v.weather()));
    List<Map<String, Object>> agents = new ArrayList<>();
    for (RegionReply.AgentView a : v.agents()) {
      Map<String, Object> agent = new LinkedHashMap<>();
      agent.put("agent_id", a.agentId());
      agent.put("name", a.name());
      agent.put("position", a.position());
      if (a.movingTo() != null) {
        agent.put("moving_to", a.movingTo());
      }
      agents.add(agent);
    }
    m.put("agents", agents);
    return m;
  }
}

package dev.clawbots.gateway;

import dev.clawbots.region.RegionReply;
import dev.clawbots.world.TimeOfDay;
import dev.clawbots.world.Weather;
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

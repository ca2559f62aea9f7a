package dev.clawbots.region;

import com.typesafe.config.Config;
import dev.clawbots.world.GridCoord;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The world's clock and map, read from {@code clawbots.world}. */
public final class WorldConfig {

  private WorldConfig() {}

  public static WorldClock clock(Config config, Clock wallClock) {
    Config c = config.getConfig("clawbots.world");
    return new WorldClock(
        wallClock,
        Instant.parse(c.getString("epoch")),
        c.getDuration("tick-interval"),
        c.getDuration("day-length"));
  }

  public static WorldMap map(Config config) {
    List<WorldMap.Placement> placements = new ArrayList<>();
    for (Config r : config.getConfigList("clawbots.world.regions")) {
      placements.add(
          new WorldMap.Placement(
              r.getString("id"),
              r.hasPath("name") ? r.getString("name") : r.getString("id"),
              new GridCoord(r.getInt("grid-x"), r.getInt("grid-y"))));
    }
    return new WorldMap(placements);
  }
}

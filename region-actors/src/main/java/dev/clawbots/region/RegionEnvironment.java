package dev.clawbots.region;

import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * What every region of a node needs from outside: the map of the world, the world clock, its
 * settings, its ports (feed, mirror, metrics), and a way to reach another region (through sharding,
 * or a probe in tests).
 */
public record RegionEnvironment(
    WorldMap map,
    WorldClock clock,
    RegionSettings settings,
    RegionFeed feed,
    GridMirror mirror,
    Function<String, RecipientRef<RegionCommand>> regions,
    RegionMetrics metrics) {

  /** An environment whose regions report no metrics. */
  public RegionEnvironment(
      WorldMap map,
      WorldClock clock,
      RegionSettings settings,
      RegionFeed feed,
      GridMirror mirror,
      Function<String, RecipientRef<RegionCommand>> regions) {
    this(map, clock, settings, feed, mirror, regions, RegionMetrics.NONE);
  }
}

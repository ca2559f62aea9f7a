package dev.clawbots.world.bench;

import dev.clawbots.world.GridCoord;
import dev.clawbots.world.ManualClock;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.RegionSpec;
import dev.clawbots.world.WorldClock;

/** The empty region the engine's benchmarks fill: no neighbours, default clock, tick 0. */
final class BenchRegion {

  private BenchRegion() {}

  static RegionSimulation empty() {
    WorldClock clock =
        new WorldClock(
            new ManualClock(WorldClock.DEFAULT_EPOCH),
            WorldClock.DEFAULT_EPOCH,
            WorldClock.DEFAULT_TICK_INTERVAL,
            WorldClock.DEFAULT_DAY_LENGTH);
    return new RegionSimulation(
        RegionSpec.standalone("bench", "Bench", new GridCoord(0, 0)), clock, 0);
  }
}

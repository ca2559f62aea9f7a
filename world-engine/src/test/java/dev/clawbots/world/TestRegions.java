package dev.clawbots.world;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** Regions and clocks for tests: a manual clock at the default epoch and 100 ms ticks. */
final class TestRegions {

  static final Set<Permission> ALL = Permission.DEFAULTS;

  private TestRegions() {}

  static WorldClock clock() {
    return new WorldClock(
        new ManualClock(WorldClock.DEFAULT_EPOCH),
        WorldClock.DEFAULT_EPOCH,
        Duration.ofMillis(100),
        Duration.ofHours(4));
  }

  static RegionSpec spec(String id, Edge... neighbours) {
    Set<Edge> edges = neighbours.length == 0 ? Set.of() : EnumSet.of(neighbours[0], neighbours);
    return new RegionSpec(id, id, new GridCoord(0, 0), edges, RegionSpec.DEFAULT_SPAWN);
  }

  static RegionSimulation region(Edge... neighbours) {
    return new RegionSimulation(spec("main", neighbours), clock(), 0);
  }

  static Decision.Join join(String id, double x, double y) {
    return new Decision.Join(id, "Agent " + id, new Vec3(x, y, 21), ALL);
  }

  static Happening accepted(Outcome<Happening> outcome) {
    if (outcome instanceof Outcome.Accepted<Happening> a) {
      return a.value();
    }
    throw new AssertionError("expected acceptance, got " + outcome);
  }

  static Rejection rejected(Outcome<?> outcome) {
    if (outcome instanceof Outcome.Rejected<?> r) {
      return r.rejection();
    }
    throw new AssertionError("expected rejection, got " + outcome);
  }
}

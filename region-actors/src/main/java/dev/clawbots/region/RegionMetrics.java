package dev.clawbots.region;

/**
 * The port through which a region reports how it is doing, for metrics: how long its steps take,
 * how long the journal takes to store what it persists, and how many agents it holds. The server
 * wires it to Kamon; tests and the engine demo use {@link #NONE}. Calls must return at once.
 */
public interface RegionMetrics {

  /** Reports nothing. */
  RegionMetrics NONE =
      new RegionMetrics() {
        @Override
        public void stepped(String regionId, long nanos) {}

        @Override
        public void journaled(String regionId, int events, long nanos) {}

        @Override
        public void population(String regionId, int agents) {}

        @Override
        public void stopped(String regionId) {}
      };

  /** The region brought its world up to the current tick, which took {@code nanos}. */
  void stepped(String regionId, long nanos);

  /** The journal stored {@code events} of the region's events in one write, in {@code nanos}. */
  void journaled(String regionId, int events, long nanos);

  /** The region holds {@code agents} agents now. */
  void population(String regionId, int agents);

  /** The region stopped on this node: its figures are reported elsewhere from now on, if at all. */
  void stopped(String regionId);
}

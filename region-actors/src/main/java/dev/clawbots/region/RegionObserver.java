package dev.clawbots.region;

import dev.clawbots.world.TickReport;
import java.util.List;

/**
 * Receives what changed in a region: each visible event once it is journaled, in seq order, and the
 * agents that moved on each tick. Called on the region's own thread, so an implementation must
 * return at once and never block: queue, publish asynchronously, or drop.
 */
public interface RegionObserver {

  void eventJournaled(RegionEvent event);

  void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved);
}

package dev.clawbots.world;

import java.util.List;

/**
 * Everything needed to rebuild a region's positions and walks exactly: a restored region goes on as
 * if it had never stopped.
 */
public record RegionSnapshot(long tick, List<AgentState> agents) {

  public RegionSnapshot {
    agents = List.copyOf(agents);
  }
}

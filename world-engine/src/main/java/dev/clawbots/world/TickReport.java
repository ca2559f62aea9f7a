package dev.clawbots.world;

import java.util.List;

/**
 * What stepping a region to {@code tick} changed: the agents that moved, with their new positions,
 * and the arrivals and crossings, in the order they happened.
 */
public record TickReport(long tick, List<AgentPosition> moved, List<Happening> happenings) {

  public record AgentPosition(String agentId, Vec3 position) {}

  public boolean isQuiet() {
    return moved.isEmpty() && happenings.isEmpty();
  }
}

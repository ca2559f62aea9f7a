package dev.clawbots.world;

import java.util.Set;

/**
 * An agent as its region knows it, at one tick.
 *
 * @param walk the walk under way, or null when standing
 * @param lastActiveTick the tick of the agent's last decision, for idle timeouts
 */
public record AgentState(
    String agentId,
    String name,
    Vec3 position,
    Walk walk,
    Set<Permission> permissions,
    long lastActiveTick) {

  /** Where the agent is heading, or null when standing. */
  public Vec3 movingTo() {
    return walk == null ? null : walk.target();
  }
}

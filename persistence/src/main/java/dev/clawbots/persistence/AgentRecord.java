package dev.clawbots.persistence;

import dev.clawbots.world.Permission;
import java.time.Instant;
import java.util.Set;

/**
 * A registered agent as the registry stores it. {@code apiKeyHash} is the argon2 encoding of its
 * key; the key itself is never stored. {@code lastSeen} is null until the agent first acts.
 */
public record AgentRecord(
    String agentId,
    String name,
    String description,
    String avatar,
    String ownerId,
    String defaultRegion,
    String apiKeyHash,
    Set<Permission> permissions,
    boolean promptsAllowed,
    Instant createdAt,
    Instant lastSeen,
    long messageCount,
    long totalOnlineSeconds) {

  public AgentRecord {
    permissions = Set.copyOf(permissions);
  }
}

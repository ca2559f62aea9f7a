package dev.clawbots.persistence;

import java.util.Objects;

/**
 * The names of every Redis key and channel of the contract, under one configured prefix, so that
 * several worlds (or test runs) can share a Redis without seeing each other. The prefix is used as
 * given: {@code "clawbots:"} gives {@code clawbots:events:main}; the empty prefix gives the
 * contract's bare names.
 *
 * <p>Channels: {@link #events}, {@link #positions}, {@link #spectator}, {@link #systemBroadcast}.
 * Keys: {@link #events} (also a stream), {@link #session}, {@link #pos}, {@link #regionAgents},
 * {@link #ratelimit}, {@link #revoked}, {@link #worldTick}. The nodes' own: {@link #feed}. {@code
 * docs/redis.md} says what each holds.
 */
public record RedisKeys(String prefix) {

  public RedisKeys {
    Objects.requireNonNull(prefix, "prefix must not be null (use \"\" for none)");
  }

  /** The contract's names with no prefix. */
  public static RedisKeys unprefixed() {
    return new RedisKeys("");
  }

  /** Channel and stream of a region's events: {@code events:{region_id}}. */
  public String events(String regionId) {
    return prefix + "events:" + regionId;
  }

  /**
   * The nodes' own channel of a region's events, {@code feed:{region_id}}: each event with its
   * audience ({@link dev.clawbots.region.FeedEvent}), which gateways need to filter what an agent
   * perceives and the contract's {@code events:{region_id}} does not carry. Not part of the
   * contract: outside readers use {@link #events}.
   */
  public String feed(String regionId) {
    return prefix + "feed:" + regionId;
  }

  /** Channel of the agents that moved on each tick: {@code positions:{region_id}}. */
  public String positions(String regionId) {
    return prefix + "positions:" + regionId;
  }

  /** Channel of what spectators send to an agent: {@code spectator:{agent_id}}. */
  public String spectator(String agentId) {
    return prefix + "spectator:" + agentId;
  }

  /** Channel of messages to every node: {@code system:broadcast}. */
  public String systemBroadcast() {
    return prefix + "system:broadcast";
  }

  /** An agent's stay in the world: {@code session:{agent_id}}. */
  public String session(String agentId) {
    return prefix + "session:" + agentId;
  }

  /** An agent's last known position, expiring after 30 s: {@code pos:{region_id}:{agent_id}}. */
  public String pos(String regionId, String agentId) {
    return prefix + "pos:" + regionId + ":" + agentId;
  }

  /** The agents of a region, scored by last activity: {@code region:{region_id}:agents}. */
  public String regionAgents(String regionId) {
    return prefix + "region:" + regionId + ":agents";
  }

  /** The counter of a rate-limit window: {@code ratelimit:{agent_id}:{action}}. */
  public String ratelimit(String agentId, String action) {
    return prefix + "ratelimit:" + agentId + ":" + action;
  }

  /** A revoked token, until it would have expired: {@code revoked:{jti}}. */
  public String revoked(String jti) {
    return prefix + "revoked:" + jti;
  }

  /** The world's current tick: {@code world:tick}. */
  public String worldTick() {
    return prefix + "world:tick";
  }
}

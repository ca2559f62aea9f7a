package dev.clawbots.persistence;

/**
 * Whether this node can reach Redis now: what {@code /health/ready} reports as {@code redis: ok} or
 * {@code down}, and what the Redis-backed stores ask before they try Redis at all, so that a caller
 * never waits on a Redis that is known to be away.
 */
public interface RedisHealth {

  /** True while the connection is up and answering. */
  boolean isUp();

  /**
   * How many times the connection has come up since start: 1 after the first connection, one more
   * after each reconnection. A change since a caller last looked means that Redis may have
   * restarted in between, empty, and that what the caller wrote there may be gone.
   */
  long timesUp();
}

package dev.clawbots.persistence;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limits shared through Redis while it is reachable, and counted on this node while it is not
 * (the degraded mode): a limit is never skipped because Redis is away, only enforced per node.
 * While {@link RedisHealth} says Redis is down, Redis is not tried at all, so an action never waits
 * for it; when a Redis call fails, that acquisition is counted locally instead.
 *
 * <p>The two sets of counters are independent: an agent that changes sides mid-window starts a
 * fresh window on the other side.
 */
public final class RedisOrLocalRateLimiter implements RateLimiter {

  private static final Logger log = LoggerFactory.getLogger(RedisOrLocalRateLimiter.class);

  private final RateLimiter redis;
  private final RateLimiter local;
  private final RedisHealth health;
  private final AtomicLong localDecisions = new AtomicLong();
  private final Failures failures = new Failures(log, "counting a rate limit in Redis");

  public RedisOrLocalRateLimiter(RateLimiter redis, RateLimiter local, RedisHealth health) {
    this.redis = redis;
    this.local = local;
    this.health = health;
  }

  @Override
  public CompletionStage<RateDecision> tryAcquire(
      String agentId, String action, int limit, Duration window) {
    RateDecision.checkLimit(limit, window);
    if (!health.isUp()) {
      return locally(agentId, action, limit, window);
    }
    CompletionStage<RateDecision> shared;
    try {
      shared = redis.tryAcquire(agentId, action, limit, window);
    } catch (RuntimeException e) {
      failures.record(e);
      return locally(agentId, action, limit, window);
    }
    return shared.exceptionallyCompose(
        failure -> {
          failures.record(failure);
          return locally(agentId, action, limit, window);
        });
  }

  /** Decisions taken on this node's counters since start. */
  public long localDecisions() {
    return localDecisions.get();
  }

  /** Redis calls that failed since start (each then decided locally). */
  public long failures() {
    return failures.count();
  }

  private CompletionStage<RateDecision> locally(
      String agentId, String action, int limit, Duration window) {
    localDecisions.incrementAndGet();
    return local.tryAcquire(agentId, action, limit, window);
  }
}

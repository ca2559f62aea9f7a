package dev.clawbots.gateway;

import com.typesafe.config.Config;
import dev.clawbots.persistence.RateDecision;
import dev.clawbots.persistence.RateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * The contract's rate limits ({@code clawbots.rate-limits}), applied through the node's {@link
 * RateLimiter}: a refusal is the contract's {@code rate_limited} error with {@code retry_after_ms}.
 */
final class RateLimits {

  /** One limit: at most {@code limit} in each {@code window}. */
  record Limit(int limit, Duration window) {
    Limit {
      if (limit < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException(
            "a rate limit needs limit >= 1 and a positive window, not " + limit + " per " + window);
      }
    }
  }

  private final RateLimiter limiter;
  private final Map<String, Limit> limits;

  RateLimits(RateLimiter limiter, Map<String, Limit> limits) {
    this.limiter = limiter;
    this.limits = Map.copyOf(limits);
  }

  static RateLimits from(Config config, RateLimiter limiter) {
    Config c = config.getConfig("clawbots.rate-limits");
    Map<String, Limit> limits = new TreeMap<>();
    for (String name : c.root().keySet()) {
      try {
        limits.put(name, new Limit(c.getInt(name + ".limit"), c.getDuration(name + ".window")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "clawbots.rate-limits." + name + ": " + e.getMessage(), e);
      }
    }
    return new RateLimits(limiter, limits);
  }

  /**
   * Counts one {@code action} by {@code who} (an agent id, or {@code ip:address}) and completes
   * with nothing when allowed, or with the error to answer.
   */
  CompletionStage<java.util.Optional<ApiError>> acquire(String who, String action) {
    Limit limit = limits.get(action);
    if (limit == null) {
      throw new IllegalArgumentException("no rate limit named " + action);
    }
    return limiter
        .tryAcquire(who, action, limit.limit(), limit.window())
        .thenApply(decision -> refusal(decision, action, limit));
  }

  private static java.util.Optional<ApiError> refusal(
      RateDecision decision, String action, Limit limit) {
    if (decision.allowed()) {
      return java.util.Optional.empty();
    }
    ApiMetrics.rateLimitsHit(action).increment();
    return java.util.Optional.of(
        new ApiError(
            "rate_limited",
            "at most "
                + limit.limit()
                + " "
                + action
                + " per "
                + limit.window().toString().substring(2).toLowerCase()
                + "; try again later",
            Math.max(1, decision.retryAfter().toMillis())));
  }
}

package dev.clawbots.persistence;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer of a {@link RateLimiter}: whether the action may go ahead, how many more the window
 * allows, and, when it may not, how long until the window resets (the error's {@code
 * retry_after_ms}).
 */
public record RateDecision(boolean allowed, int remaining, Duration retryAfter) {

  public RateDecision {
    if (remaining < 0) {
      throw new IllegalArgumentException("remaining must be 0 or more, not " + remaining);
    }
    Objects.requireNonNull(retryAfter, "retryAfter must not be null (use Duration.ZERO)");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative, not " + retryAfter);
    }
  }

  /**
   * The decision for the {@code count}th acquisition of a window that allows {@code limit} and
   * resets in {@code untilReset}: every limiter decides this way, so that the local fallback
   * answers as Redis would.
   */
  static RateDecision counted(long count, int limit, Duration untilReset) {
    boolean allowed = count <= limit;
    int remaining = (int) Math.max(0, limit - count);
    Duration wait = untilReset.isNegative() ? Duration.ZERO : untilReset;
    return new RateDecision(allowed, remaining, allowed ? Duration.ZERO : wait);
  }

  /** Rejects a limit or window that no limiter can apply. */
  static void checkLimit(int limit, Duration window) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    }
    Objects.requireNonNull(window, "window must not be null");
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("window must be at least 1 ms, not " + window);
    }
  }
}

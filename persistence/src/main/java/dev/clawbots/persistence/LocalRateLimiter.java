package dev.clawbots.persistence;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Rate limits counted in this node's memory: what the server uses with no Redis configured, and
 * while Redis is away. Each node counts only what reaches it, so an agent whose requests are spread
 * over several nodes gets up to the limit on each.
 *
 * <p>Memory holds only open windows: windows that have ended are dropped by a sweep that runs, at
 * most once every {@code sweepEvery}, on the acquisition that finds it due.
 */
public final class LocalRateLimiter implements RateLimiter {

  private record Key(String agentId, String action) {}

  private record Window(long endsAtMillis, long count) {}

  private final LongSupplier millis;
  private final long sweepEveryMillis;
  private final AtomicLong nextSweep;
  private final ConcurrentHashMap<Key, Window> windows = new ConcurrentHashMap<>();

  /** Limits on the monotonic clock, swept every 10 s. */
  public LocalRateLimiter() {
    this(() -> System.nanoTime() / 1_000_000, Duration.ofSeconds(10));
  }

  /**
   * @param millis the clock, in milliseconds; only differences between its readings matter
   * @param sweepEvery how often to drop windows that have ended
   */
  public LocalRateLimiter(LongSupplier millis, Duration sweepEvery) {
    if (sweepEvery.toMillis() < 1) {
      throw new IllegalArgumentException("sweepEvery must be at least 1 ms, not " + sweepEvery);
    }
    this.millis = millis;
    this.sweepEveryMillis = sweepEvery.toMillis();
    this.nextSweep = new AtomicLong(millis.getAsLong() + sweepEveryMillis);
  }

  @Override
  public CompletionStage<RateDecision> tryAcquire(
      String agentId, String action, int limit, Duration window) {
    RateDecision.checkLimit(limit, window);
    long now = millis.getAsLong();
    sweepIfDue(now);
    long length = window.toMillis();
    Window counted =
        windows.compute(
            new Key(agentId, action),
            (key, open) ->
                open == null || now >= open.endsAtMillis()
                    ? new Window(now + length, 1)
                    : new Window(open.endsAtMillis(), open.count() + 1));
    return CompletableFuture.completedFuture(
        RateDecision.counted(
            counted.count(), limit, Duration.ofMillis(counted.endsAtMillis() - now)));
  }

  /** How many windows are held: those open, and those ended since the last sweep. */
  public int windows() {
    return windows.size();
  }

  private void sweepIfDue(long now) {
    long due = nextSweep.get();
    if (now >= due && nextSweep.compareAndSet(due, now + sweepEveryMillis)) {
      // Removes a window only if it is still the one tested, never one reopened meanwhile.
      windows.values().removeIf(w -> w.endsAtMillis() <= now);
    }
  }
}

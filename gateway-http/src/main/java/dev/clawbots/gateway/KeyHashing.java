package dev.clawbots.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Argon2 work (hashing a new API key, checking one), on its own small dispatcher and bounded: at
 * most {@code maxWaiting} jobs wait or run at once, and one more is refused at once with {@code
 * unavailable} and a {@code retry_after_ms}. Without the bound, a burst of registrations queues
 * work faster than two threads finish it: every request then waits past HTTP's request timeout and
 * is answered 503 anyway, while the hashing of the abandoned ones goes on, so under load nearly
 * nothing gets through. With it, the excess is told to come back and what is accepted finishes in
 * time.
 */
final class KeyHashing {

  private final Executor executor;
  private final int maxWaiting;
  private final long retryAfterMs;
  private final AtomicInteger waiting = new AtomicInteger();

  KeyHashing(Executor executor, int maxWaiting, long retryAfterMs) {
    if (maxWaiting < 1) {
      throw new IllegalArgumentException("max-waiting must be at least 1, not " + maxWaiting);
    }
    this.executor = executor;
    this.maxWaiting = maxWaiting;
    this.retryAfterMs = retryAfterMs;
  }

  /** Runs {@code work} on the hashing dispatcher, or fails at once when too much waits already. */
  <T> CompletableFuture<T> run(Supplier<T> work) {
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      return CompletableFuture.failedFuture(
          new ApiError.Failure(
              new ApiError(
                  "unavailable", "too many API keys are being hashed; try again", retryAfterMs)));
    }
    try {
      return CompletableFuture.supplyAsync(work, executor)
          .whenComplete((result, failure) -> waiting.decrementAndGet());
    } catch (RuntimeException rejected) {
      waiting.decrementAndGet();
      return CompletableFuture.failedFuture(rejected);
    }
  }

  /** Jobs waiting or running now. */
  int waiting() {
    return waiting.get();
  }
}

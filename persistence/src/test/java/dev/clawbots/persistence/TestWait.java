package dev.clawbots.persistence;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, checking it every 5 ms. */
final class TestWait {

  private TestWait() {}

  static void until(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + deadline);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }
}

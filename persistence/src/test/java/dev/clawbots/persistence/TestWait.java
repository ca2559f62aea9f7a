package dev.clawbots.persistence;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a condition with a deadline, checking it every 5 ms. Shared with gateway-http's tests
 * through this module's test jar.
 */
public final class TestWait {

  /** A condition to wait for; it may throw, for example while it asks a server. */
  @FunctionalInterface
  public interface Condition {
    boolean met() throws Exception;
  }

  private TestWait() {}

  /** Returns once {@code condition} holds; fails with an assertion error past {@code deadline}. */
  public static void until(Duration deadline, Condition condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!check(condition)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + deadline);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  private static boolean check(Condition condition) {
    try {
      return condition.met();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("checking the condition failed", e);
    }
  }
}

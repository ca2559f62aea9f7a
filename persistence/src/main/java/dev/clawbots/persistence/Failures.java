package dev.clawbots.persistence;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A count of the Redis commands that failed, logged on the first and then on every thousandth, so
 * that an outage shows in the log without flooding it and the count can go to metrics.
 */
final class Failures {

  private final Logger log;
  private final String what;
  private final AtomicLong count = new AtomicLong();

  /**
   * @param what what failed, as the log should say it ("writing presence to Redis")
   */
  Failures(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  void record(Throwable failure) {
    long before = count.getAndIncrement();
    if (before % 1000 == 0) {
      log.warn("{} failed ({} so far): {}", what, before + 1, failure.toString());
    }
  }

  long count() {
    return count.get();
  }
}

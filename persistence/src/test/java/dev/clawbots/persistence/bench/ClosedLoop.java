package dev.clawbots.persistence.bench;

import dev.clawbots.region.RegionReply;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A fixed number of asks in flight: each of {@code chains} chains sends one ask, waits for its
 * reply, and sends the next, until the window closes, {@link #stop()} is called, or the request
 * source returns null. Replies that arrive inside the measuring window are counted and their
 * latencies kept (plain longs, sorted at the end).
 */
final class ClosedLoop {

  private final int chains;
  private final IntFunction<CompletionStage<RegionReply>> request;
  private final Consumer<RegionReply> observer;
  private final LongAdder acceptedInWindow = new LongAdder();
  private final LongAdder acceptedTotal = new LongAdder();
  private final Map<String, LongAdder> others = new ConcurrentHashMap<>();
  private final long[][] latencies;
  private final int[] counts;
  private final CountDownLatch done;
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;
  private volatile boolean stopped;

  /**
   * @param request the ask chain {@code i} sends next, or null when there is nothing more to send
   * @param observer sees every reply (may be null)
   */
  ClosedLoop(
      int chains,
      IntFunction<CompletionStage<RegionReply>> request,
      Consumer<RegionReply> observer) {
    this.chains = chains;
    this.request = request;
    this.observer = observer;
    this.latencies = new long[chains][1024];
    this.counts = new int[chains];
    this.done = new CountDownLatch(chains);
  }

  /** Replies that arrive in {@code [start, end)} (System.nanoTime) are measured; none after end. */
  ClosedLoop window(long start, long end) {
    this.windowStart = start;
    this.windowEnd = end;
    return this;
  }

  ClosedLoop start() {
    for (int c = 0; c < chains; c++) {
      next(c);
    }
    return this;
  }

  void stop() {
    stopped = true;
  }

  /** Waits for every chain to finish its last ask; false if {@code seconds} pass first. */
  boolean await(long seconds) throws InterruptedException {
    return done.await(seconds, TimeUnit.SECONDS);
  }

  private void next(int c) {
    if (stopped || System.nanoTime() >= windowEnd) {
      done.countDown();
      return;
    }
    long t0 = System.nanoTime();
    CompletionStage<RegionReply> ask;
    try {
      ask = request.apply(c);
    } catch (RuntimeException e) {
      others.computeIfAbsent("send failed: " + e, k -> new LongAdder()).increment();
      done.countDown();
      return;
    }
    if (ask == null) {
      done.countDown();
      return;
    }
    ask.whenComplete(
        (reply, failure) -> {
          long t1 = System.nanoTime();
          record(c, reply, failure, t0, t1);
          next(c);
        });
  }

  private void record(int c, RegionReply reply, Throwable failure, long t0, long t1) {
    if (observer != null && reply != null) {
      observer.accept(reply);
    }
    if (reply instanceof RegionReply.Accepted) {
      acceptedTotal.increment();
      if (t1 >= windowStart && t1 < windowEnd) {
        acceptedInWindow.increment();
        if (counts[c] == latencies[c].length) {
          latencies[c] = Arrays.copyOf(latencies[c], counts[c] * 2);
        }
        latencies[c][counts[c]++] = t1 - t0;
      }
    } else {
      String what;
      if (failure != null) {
        what = "failure " + failure.getClass().getSimpleName();
      } else if (reply instanceof RegionReply.Rejected r) {
        what = r.code() + "/" + r.reason();
      } else {
        what = String.valueOf(reply == null ? null : reply.getClass().getSimpleName());
      }
      others.computeIfAbsent(what, k -> new LongAdder()).increment();
    }
  }

  long acceptedInWindow() {
    return acceptedInWindow.sum();
  }

  long acceptedTotal() {
    return acceptedTotal.sum();
  }

  /** Replies other than Accepted, by kind, over the whole run (warm-up included). */
  Map<String, Long> others() {
    Map<String, Long> m = new TreeMap<>();
    others.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  long othersTotal() {
    return others.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Latencies (ns) of the Accepted replies in the window, sorted. Call after {@link #await}. */
  long[] sortedLatencies() {
    int n = 0;
    for (int c : counts) {
      n += c;
    }
    long[] all = new long[n];
    int at = 0;
    for (int c = 0; c < chains; c++) {
      System.arraycopy(latencies[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    return all;
  }

  /** The {@code q} quantile (nearest rank) of sorted values, or -1 if there are none. */
  static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}

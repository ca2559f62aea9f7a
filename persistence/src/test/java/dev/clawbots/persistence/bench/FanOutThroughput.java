package dev.clawbots.persistence.bench;

import dev.clawbots.persistence.RedisKeys;
import dev.clawbots.persistence.RedisLink;
import dev.clawbots.persistence.RedisRegionFeed;
import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fan-out through Lettuce against the machine's limit, in one run: {@code redis-benchmark} running
 * {@code PUBLISH} of a typical event's JSON (not pipelined, then 16 deep), then this node's {@link
 * RedisRegionFeed} publishing the same number of events (each a {@code PUBLISH} and an {@code XADD}
 * to the capped stream) and of position updates (a {@code PUBLISH} each). One subscriber listens
 * throughout, as a node would, and the feed's figures count messages it received, so they are end
 * to end. The feed's in-flight commands are bounded by a window, since its connection rejects
 * commands past its queue rather than grow without bound.
 */
final class FanOutThroughput {

  private static final Pattern RPS = Pattern.compile("([0-9.]+) requests per second");

  private FanOutThroughput() {}

  static void run(Options options) throws Exception {
    String url = options.string("url", "redis://127.0.0.1:6379");
    int messages = options.integer("messages", 200_000);
    int window = options.integer("window", 1_000);
    int repeats = options.integer("repeats", 3);
    options.rejectUnknown();
    URI redis = URI.create(url);
    String prefix = "bench-" + Long.toHexString(System.nanoTime()) + ":";
    String json = WireJson.write(WireEvent.of(spoke(1)).orElseThrow());
    Report.line("fanout", "payload " + json.length() + " bytes: " + json);

    RedisClient client = RedisClient.create(url);
    StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
    AtomicLong received = new AtomicLong();
    subscriber.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            received.incrementAndGet();
          }
        });
    subscriber.sync().subscribe(prefix + "raw", prefix + "events:main", prefix + "positions:main");

    try (RedisLink link = RedisLink.open(url, RedisLink.Settings.defaults())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!link.isUp() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      RedisRegionFeed feed =
          new RedisRegionFeed(link, new RedisKeys(prefix), RedisRegionFeed.STREAM_LENGTH);
      List<TickReport.AgentPosition> moved = new ArrayList<>();
      for (int a = 0; a < 3; a++) {
        moved.add(new TickReport.AgentPosition("agent-" + a, new Vec3(10 + a, 20, 21)));
      }
      long seq = 0;
      for (int r = 1; r <= repeats; r++) {
        String run = "run " + r;
        // Redis's own limit: PUBLISH answered per second, to a channel nobody listens to, so that
        // no subscriber's reading limits it.
        double raw = redisBenchmark(redis, messages, 1, prefix + "raw", json);
        double rawPipelined = redisBenchmark(redis, messages, 16, prefix + "raw", json);
        Report.figure("fanout", "redis-benchmark PUBLISH", raw, "msg/s", "50 clients, " + run);
        Report.figure("fanout", "redis-benchmark PUBLISH -P 16", rawPipelined, "msg/s", run);

        // The feed as a region uses it: commands answered per second, at most `window` waiting.
        long base = seq;
        double events =
            answered(feed, messages, window, i -> feed.eventJournaled(spoke(base + i + 1)));
        seq += messages;
        double positions =
            answered(feed, messages, window, i -> feed.agentsMoved("main", i, moved));
        Report.figure(
            "fanout",
            "RedisRegionFeed events",
            events,
            "msg/s",
            "two PUBLISHes (events: and feed:) + XADD each, " + run);
        Report.figure("fanout", "RedisRegionFeed positions", positions, "msg/s", run);
        Report.figure("fanout", "events / redis-benchmark", events / raw, "ratio", run);
        Report.figure("fanout", "positions / redis-benchmark", positions / raw, "ratio", run);
        Report.figure(
            "fanout", "positions / redis-benchmark -P 16", positions / rawPipelined, "ratio", run);

        // End to end: what one node's subscriber receives per second while the feed publishes.
        long before = received.get();
        long t0 = System.nanoTime();
        long e2eBase = seq;
        answered(feed, messages, window, i -> feed.eventJournaled(spoke(e2eBase + i + 1)));
        seq += messages;
        awaitReceived(
            received, before + messages, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        Report.figure(
            "fanout",
            "events received by one subscriber",
            messages / ((System.nanoTime() - t0) / 1e9),
            "msg/s",
            run);
        if (feed.failures() > 0) {
          throw new IllegalStateException(feed.failures() + " commands failed");
        }
      }
      feed.close();
    } finally {
      try (var c = client.connect()) {
        c.sync().del(prefix + "events:main");
      }
      subscriber.close();
      client.shutdown();
    }
  }

  /**
   * Messages per second {@code publish} sent and Redis answered, calling it {@code n} times with at
   * most {@code window} commands waiting for an answer.
   */
  private static double answered(
      RedisRegionFeed feed, int n, int window, java.util.function.IntConsumer publish) {
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
    for (int i = 0; i < n; i++) {
      while (feed.inFlight() > window) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Redis stopped answering after " + i + " messages");
        }
        // Parked, not spinning: on 2 cores a spinning producer takes the core Redis needs.
        LockSupport.parkNanos(20_000);
      }
      publish.accept(i);
    }
    while (feed.inFlight() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(feed.inFlight() + " commands never answered");
      }
      LockSupport.parkNanos(20_000);
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private static RegionEvent spoke(long seq) {
    return new RegionEvent.Spoke(
        "main",
        seq,
        1234,
        Instant.parse("2026-11-22T12:00:00Z"),
        "agent-0042",
        "Has anyone seen the lighthouse keeper since the storm?",
        ChatRange.NORMAL,
        null,
        List.of());
  }

  private static void awaitReceived(AtomicLong received, long target, long deadline) {
    while (received.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("received " + received.get() + " of " + target);
      }
      LockSupport.parkNanos(20_000);
    }
  }

  /** {@code redis-benchmark}'s requests per second publishing {@code json} to {@code channel}. */
  private static double redisBenchmark(URI redis, int n, int pipeline, String channel, String json)
      throws Exception {
    Process p =
        new ProcessBuilder(
                "redis-benchmark",
                "-h",
                redis.getHost(),
                "-p",
                Integer.toString(redis.getPort()),
                "-n",
                Integer.toString(n),
                "-P",
                Integer.toString(pipeline),
                "-q",
                "PUBLISH",
                channel,
                json)
            .redirectErrorStream(true)
            .start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
      }
    }
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("redis-benchmark failed: " + out);
    }
    // -q prints progress lines separated by carriage returns; the last figure is the result.
    Matcher m = RPS.matcher(out);
    double rps = -1;
    while (m.find()) {
      rps = Double.parseDouble(m.group(1));
    }
    if (rps < 0) {
      throw new IllegalStateException("no figure in redis-benchmark's output: " + out);
    }
    return rps;
  }
}

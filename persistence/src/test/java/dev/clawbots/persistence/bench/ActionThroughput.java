package dev.clawbots.persistence.bench;

import dev.clawbots.region.RegionCommand;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldMap;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario {@code actions}: how many actions per second regions accept on the PostgreSQL journal.
 * Agents join first (not measured); then a fixed number of {@code Move} asks stay in flight, each
 * to a random agent of its chain's region and a random point inside the region, for a warm-up and a
 * measured window. Counts Accepted replies per second, their p50/p99 latency, and every reply that
 * is not Accepted.
 */
final class ActionThroughput {

  private ActionThroughput() {}

  static void run(Options o) throws Exception {
    String only = o.string("only", "both");
    int manyRegions = o.integer("regions", 200);
    int agents = o.integer("agents", 50);
    int inflightOne = o.integer("inflight-one", 64);
    int inflightMany = o.integer("inflight-many", 400);
    int warmup = o.integer("warmup", 10);
    int duration = o.integer("duration", 20);
    boolean topic = o.string("feed", "count").equals("topic");
    o.rejectUnknown();

    try (BenchWorld world = BenchWorld.start(topic, Duration.ofSeconds(10))) {
      if (!only.equals("many")) {
        measure(world, "one", 1, agents, inflightOne, warmup, duration);
      }
      if (!only.equals("one")) {
        measure(world, "many", manyRegions, agents, inflightMany, warmup, duration);
      }
    }
  }

  private static void measure(
      BenchWorld world,
      String prefix,
      int regions,
      int agents,
      int inflight,
      int warmup,
      int duration)
      throws Exception {
    String label = "actions[regions=" + regions + " inflight=" + inflight + "]";
    WorldMap map = BenchWorld.grid(prefix, regions);
    var env = world.environment(map, world.settings());
    List<String> ids = map.regions().stream().map(s -> s.id()).toList();
    for (String id : ids) {
      world.spawn(id, env);
    }

    // Everyone joins, standing on a grid inside the region: not measured.
    int joins = regions * agents;
    AtomicInteger nextJoin = new AtomicInteger();
    ClosedLoop joining =
        new ClosedLoop(
                Math.min(inflight, joins),
                c -> {
                  int i = nextJoin.getAndIncrement();
                  if (i >= joins) {
                    return null;
                  }
                  String region = ids.get(i % regions);
                  int k = i / regions;
                  String agent = "a" + k;
                  Vec3 at = new Vec3(8 + (k % 10) * 24, 8 + (k / 10) * 24 % 240, 21);
                  return world.ask(
                      region,
                      r -> new RegionCommand.Join(agent, agent, at, Permission.DEFAULTS, r));
                },
                null)
            .start();
    if (!joining.await(300) || joining.othersTotal() > 0) {
      throw new IllegalStateException(label + ": joining failed: " + joining.others());
    }
    System.out.printf(
        "# %s: %d agents joined; load average %s%n", label, joins, Usage.loadAverage());

    long start = System.nanoTime();
    long windowStart = start + TimeUnit.SECONDS.toNanos(warmup);
    long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(duration);
    ClosedLoop load =
        new ClosedLoop(
                inflight,
                c -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  String region = ids.get(c % regions);
                  String agent = "a" + random.nextInt(agents);
                  Vec3 to =
                      new Vec3(1 + random.nextDouble() * 254, 1 + random.nextDouble() * 254, 21);
                  return world.ask(region, r -> new RegionCommand.Move(agent, to, null, r));
                },
                null)
            .window(windowStart, windowEnd)
            .start();
    sleepUntil(windowStart);
    Usage u0 = Usage.now();
    ThreadCpu t0 = ThreadCpu.now();
    long events0 = world.feed.events.sum();
    String load0 = Usage.loadAverage();
    sleepUntil(windowEnd);
    ThreadCpu t1 = ThreadCpu.now();
    Usage u1 = Usage.now();
    long events1 = world.feed.events.sum();
    String load1 = Usage.loadAverage();
    boolean drained = load.await(30);
    long seqAfter = 0;
    for (String id : ids) {
      seqAfter += world.view(id, Duration.ofSeconds(30)).seq();
    }

    double seconds = u0.seconds(u1);
    long accepted = load.acceptedInWindow();
    long[] lat = load.sortedLatencies();
    double cpuMicrosPerAction = (u1.processCpuNanos() - u0.processCpuNanos()) / 1e3 / accepted;
    Report.figure(
        label,
        "accepted_per_s",
        accepted / seconds,
        "/s",
        accepted + " Accepted in " + Report.f(seconds) + " s after " + warmup + " s warm-up");
    Report.figure(label, "latency_p50", ClosedLoop.quantile(lat, 0.50) / 1e6, "ms", "ask to reply");
    Report.figure(label, "latency_p99", ClosedLoop.quantile(lat, 0.99) / 1e6, "ms", "ask to reply");
    Report.figure(label, "latency_max", ClosedLoop.quantile(lat, 1.0) / 1e6, "ms", "ask to reply");
    Report.figure(
        label,
        "events_journaled_per_s",
        (events1 - events0) / seconds,
        "/s",
        "MoveStarted + Arrived, as the feed saw them");
    Report.figure(
        label,
        "not_accepted",
        load.othersTotal(),
        "replies",
        "warm-up and window; " + (load.others().isEmpty() ? "none" : load.others().toString()));
    Report.figure(
        label,
        "process_cpu_per_action",
        cpuMicrosPerAction,
        "us",
        "whole JVM (regions, journal, harness) / Accepted");
    Report.figure(
        label,
        "threads_started_per_s",
        (u1.threadsStarted() - u0.threadsStarted()) / seconds,
        "/s",
        "new JVM threads in the window (ForkJoinPool common parallelism "
            + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism()
            + ")");
    Report.line(label, t0.describe(t1, u0, u1));
    Report.line(label, "window " + u0.describe(u1) + "; load average " + load0 + " -> " + load1);
    Report.line(
        label,
        "final region seq sum "
            + seqAfter
            + " over "
            + regions
            + " regions ("
            + (seqAfter - joins)
            + " events after the joins); all asks answered: "
            + drained);

    for (String id : ids) {
      world.stop(id);
    }
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(200)));
    }
  }
}

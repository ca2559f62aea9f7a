package dev.clawbots.persistence.bench;

import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldMap;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Scenario {@code ticking}: the CPU that ticking costs. 200 regions hold 50 agents each. First
 * everyone stands (the baseline window), then half of every region's agents set off on a long slow
 * walk across the region (0.3 m/s over about 240 m, so nobody arrives before the end) and the same
 * window is measured again. Process CPU time over each window, in cores and as a share of the
 * machine.
 */
final class TickingCpu {

  private TickingCpu() {}

  static void run(Options o) throws Exception {
    int regions = o.integer("regions", 200);
    int agents = o.integer("agents", 50);
    double walkingShare = o.decimal("walking", 0.5);
    double speed = o.decimal("speed", 0.3);
    int warmup = o.integer("warmup", 10);
    int duration = o.integer("duration", 30);
    boolean topic = o.string("feed", "count").equals("topic");
    o.rejectUnknown();

    int walkers = (int) Math.round(agents * walkingShare);
    double walkSeconds = 240 / speed;
    if (walkSeconds < 2 * (warmup + duration) + 30) {
      throw new IllegalArgumentException(
          "walks of " + walkSeconds + " s would end before the windows do: lower --speed");
    }
    String label = "ticking[regions=" + regions + " agents=" + regions * agents + "]";
    try (BenchWorld world = BenchWorld.start(topic, Duration.ofSeconds(10))) {
      WorldMap map = BenchWorld.grid("t", regions);
      var env = world.environment(map, world.settings());
      List<String> ids = map.regions().stream().map(s -> s.id()).toList();
      for (String id : ids) {
        world.spawn(id, env);
      }
      int joins = regions * agents;
      all(
          joins,
          400,
          i -> {
            int k = i / regions;
            String agent = "a" + k;
            return world.ask(
                ids.get(i % regions),
                r ->
                    new RegionCommand.Join(agent, agent, start(k, agents), Permission.DEFAULTS, r));
          });
      System.out.printf(
          "# %s: %d agents joined, all standing; load average %s%n",
          label, joins, Usage.loadAverage());

      window(world, label + " walking=0", warmup, duration, 0);

      int moves = regions * walkers;
      all(
          moves,
          400,
          i -> {
            int k = (i / regions) * 2; // every other agent walks
            String agent = "a" + k;
            Vec3 from = start(k, agents);
            Vec3 to = new Vec3(from.x() + 240, from.y(), from.z());
            return world.ask(
                ids.get(i % regions), r -> new RegionCommand.Move(agent, to, speed, r));
          });
      System.out.printf(
          "# %s: %d agents walking at %s m/s (%.0f s walks); load average %s%n",
          label, moves, speed, walkSeconds, Usage.loadAverage());

      window(world, label + " walking=" + moves, warmup, duration, moves);

      // Every region should be current: its tick timer kept up with the world clock.
      long now = world.clock.currentTick();
      long worst = 0;
      int stillWalking = 0;
      for (String id : ids) {
        RegionReply.View v = world.view(id, Duration.ofSeconds(30));
        worst = Math.max(worst, now - v.worldTick());
        stillWalking += (int) v.agents().stream().filter(a -> a.movingTo() != null).count();
      }
      Report.line(
          label,
          "after the windows: "
              + stillWalking
              + " agents still walking; largest region lag behind the world clock "
              + worst
              + " ticks");
    }
  }

  private static Vec3 start(int k, int agents) {
    return new Vec3(8, 4 + k * (240.0 / agents), 21);
  }

  private static void window(BenchWorld world, String label, int warmup, int duration, int walkers)
      throws InterruptedException {
    TimeUnit.SECONDS.sleep(warmup);
    String load0 = Usage.loadAverage();
    long reports0 = world.feed.movedReports.sum();
    long positions0 = world.feed.movedPositions.sum();
    long ticks0 = world.feed.ticksStepped.sum();
    long events0 = world.feed.events.sum();
    Usage u0 = Usage.now();
    ThreadCpu t0 = ThreadCpu.now();
    TimeUnit.SECONDS.sleep(duration);
    ThreadCpu t1 = ThreadCpu.now();
    Usage u1 = Usage.now();
    long reports = world.feed.movedReports.sum() - reports0;
    long positions = world.feed.movedPositions.sum() - positions0;
    long ticks = world.feed.ticksStepped.sum() - ticks0;
    long events = world.feed.events.sum() - events0;
    String load1 = Usage.loadAverage();
    double s = u0.seconds(u1);
    double cores = u0.processCores(u1);
    Report.figure(label, "process_cpu", cores, "cores", "process CPU time / wall time");
    Report.figure(
        label,
        "process_cpu_of_machine",
        100 * cores / Usage.CORES,
        "%",
        "of " + Usage.CORES + " cores");
    Report.figure(
        label,
        "tick_reports_per_s",
        reports / s,
        "/s",
        "agentsMoved calls to the feed; they cover "
            + Report.f(ticks / s)
            + " region-ticks/s and "
            + Report.f(positions / s)
            + " positions/s; "
            + events
            + " events journaled in the window");
    if (walkers > 0) {
      Report.figure(
          label,
          "cpu_per_walker_tick",
          (u1.processCpuNanos() - u0.processCpuNanos()) / 1e3 / (positions == 0 ? 1 : positions),
          "us",
          "process CPU / positions reported");
    }
    Report.line(label, t0.describe(t1, u0, u1));
    Report.line(label, "window " + u0.describe(u1) + "; load average " + load0 + " -> " + load1);
  }

  /** Sends {@code count} asks, at most {@code inflight} at once; every one must be Accepted. */
  static void all(int count, int inflight, IntFunction<CompletionStage<RegionReply>> ask)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    ClosedLoop loop =
        new ClosedLoop(
                Math.min(inflight, count),
                c -> {
                  int i = next.getAndIncrement();
                  return i >= count ? null : ask.apply(i);
                },
                null)
            .start();
    if (!loop.await(300) || loop.othersTotal() > 0) {
      throw new IllegalStateException("set-up asks failed: " + loop.others());
    }
  }
}

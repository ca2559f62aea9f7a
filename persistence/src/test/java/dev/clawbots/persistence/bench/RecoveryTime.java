package dev.clawbots.persistence.bench;

import dev.clawbots.region.Region;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Scenario {@code recovery}: how long a region with a long journal takes to come back. Two regions
 * are built to 100,000 events each, one snapshotting every 1000 events (keeping 2) and one that
 * never snapshots: a few agents are sent short fast moves with many asks in flight, so that every
 * move journals a MoveStarted and, a tick later, an Arrived. Then each region is stopped and
 * spawned again, and the time from spawn to its first View reply is measured, several times.
 */
final class RecoveryTime {

  private RecoveryTime() {}

  static void run(Options o) throws Exception {
    int events = o.integer("events", 100_000);
    int agents = o.integer("agents", 20);
    int inflight = o.integer("inflight", 128);
    int snapshotEvery = o.integer("snapshot-every", 1000);
    int snapshotsKept = o.integer("snapshots-kept", 2);
    int repeats = o.integer("repeats", 3);
    o.rejectUnknown();

    String label = "recovery[events=" + events + "]";
    try (BenchWorld world = BenchWorld.start(false, Duration.ofSeconds(30))) {
      WorldMap map = BenchWorld.grid("rec", 2);
      String snap = "rec-0";
      String full = "rec-1";
      var snapEnv = world.environment(map, world.settings(snapshotEvery, snapshotsKept));
      var fullEnv = world.environment(map, world.settings(Integer.MAX_VALUE, snapshotsKept));
      String[] ids = {snap, full};
      world.spawn(snap, snapEnv);
      world.spawn(full, fullEnv);

      for (String id : ids) {
        TickingCpu.all(
            agents,
            agents,
            k -> {
              String agent = "a" + k;
              return world.ask(
                  id, r -> new RegionCommand.Join(agent, agent, home(k), Permission.DEFAULTS, r));
            });
      }

      // Short fast moves around each agent's home: MoveStarted now, Arrived one tick later.
      long started = System.nanoTime();
      AtomicLongArray seqs = new AtomicLongArray(2);
      ClosedLoop building =
          new ClosedLoop(
              2 * inflight,
              c -> {
                int region = c % 2;
                if (seqs.get(region) >= events) {
                  return null;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int k = random.nextInt(agents);
                String agent = "a" + k;
                Vec3 h = home(k);
                Vec3 to = new Vec3(h.x() + random.nextDouble() - 0.5, h.y(), h.z());
                return world.ask(ids[region], r -> new RegionCommand.Move(agent, to, 10.0, r));
              },
              reply -> {
                if (reply instanceof RegionReply.Accepted a) {
                  int region = a.regionId().equals(snap) ? 0 : 1;
                  seqs.accumulateAndGet(region, a.seq(), Math::max);
                }
              });
      building.start();
      while (!building.await(5)) {
        if (System.nanoTime() - started > TimeUnit.MINUTES.toNanos(15)) {
          building.stop();
          throw new IllegalStateException("building the journals took more than 15 minutes");
        }
        System.out.printf(
            "# building: seq %d and %d after %.0f s%n",
            seqs.get(0), seqs.get(1), (System.nanoTime() - started) / 1e9);
      }
      double buildSeconds = (System.nanoTime() - started) / 1e9;
      if (building.othersTotal() > 0) {
        throw new IllegalStateException("building: not accepted " + building.others());
      }
      TimeUnit.SECONDS.sleep(1); // the last walks arrive and are journaled
      long[] finalSeq = new long[2];
      for (int r = 0; r < 2; r++) {
        finalSeq[r] = world.view(ids[r], Duration.ofSeconds(30)).seq();
      }
      Report.figure(
          label,
          "build_events_per_s",
          (finalSeq[0] + finalSeq[1]) / buildSeconds,
          "/s",
          "both regions together, "
              + building.acceptedTotal()
              + " moves in "
              + Report.f(buildSeconds)
              + " s, "
              + 2 * inflight
              + " in flight");
      for (int r = 0; r < 2; r++) {
        String pid = Region.ENTITY_KEY.name() + "|" + ids[r];
        Report.line(
            label + " " + (r == 0 ? "snapshots" : "no-snapshots"),
            "region seq "
                + finalSeq[r]
                + "; journal rows "
                + world.queryLong(
                    "SELECT count(*) FROM event_journal WHERE persistence_id = '" + pid + "'")
                + " (max sequence_number "
                + world.queryLong(
                    "SELECT coalesce(max(sequence_number), 0) FROM event_journal"
                        + " WHERE persistence_id = '"
                        + pid
                        + "'")
                + "); snapshots stored "
                + world.queryLong(
                    "SELECT count(*) FROM snapshot WHERE persistence_id = '" + pid + "'")
                + " (latest at "
                + world.queryLong(
                    "SELECT coalesce(max(sequence_number), 0) FROM snapshot"
                        + " WHERE persistence_id = '"
                        + pid
                        + "'")
                + ")");
        if (finalSeq[r] < events) {
          throw new IllegalStateException(ids[r] + " reached only seq " + finalSeq[r]);
        }
      }

      // Round 0 is the first recovery in this JVM (cold code paths); rounds 1..repeats count.
      List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>());
      for (int round = 0; round <= repeats; round++) {
        for (int r = 0; r < 2; r++) {
          String id = ids[r];
          world.stop(id);
          long t0 = System.nanoTime();
          world.spawn(id, r == 0 ? snapEnv : fullEnv);
          RegionReply.View v = world.view(id, Duration.ofSeconds(120));
          double ms = (System.nanoTime() - t0) / 1e6;
          if (v.seq() != finalSeq[r] || v.agents().size() != agents) {
            throw new IllegalStateException(
                id + " recovered to seq " + v.seq() + " with " + v.agents().size() + " agents");
          }
          System.out.printf(
              "# round %d %s: first View after %.1f ms%n",
              round, r == 0 ? "snapshots" : "no-snapshots", ms);
          if (round > 0) {
            times.get(r).add(ms);
          }
        }
      }
      for (int r = 0; r < 2; r++) {
        double[] t = times.get(r).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String kind =
            r == 0
                ? "snapshots every " + snapshotEvery + " kept " + snapshotsKept
                : "no snapshots, full replay";
        Report.figure(
            label + " " + (r == 0 ? "snapshots" : "no-snapshots"),
            "recovery_to_first_view",
            t[t.length / 2],
            "ms",
            "median of "
                + t.length
                + " "
                + Arrays.toString(Arrays.stream(t).mapToObj(Report::f).toArray(String[]::new))
                + "; "
                + kind
                + "; seq "
                + finalSeq[r]);
      }
    }
  }

  private static Vec3 home(int k) {
    return new Vec3(10 + (k % 20) * 12, 10 + (k / 20) * 12, 21);
  }
}

package dev.clawbots.region;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.clawbots.world.GridCoord;
import dev.clawbots.world.ManualClock;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * A small world for region tests: {@code main} at (0,0) with {@code harbor} to its east, a manual
 * clock, timers off, and a feed that records what it is given.
 */
final class TestWorld {

  static final Duration TICK = Duration.ofMillis(100);

  final ManualClock wall = new ManualClock(WorldClock.DEFAULT_EPOCH.plus(Duration.ofDays(1)));
  final WorldClock clock =
      new WorldClock(wall, WorldClock.DEFAULT_EPOCH, TICK, WorldClock.DEFAULT_DAY_LENGTH);
  final WorldMap map =
      new WorldMap(
          List.of(
              new WorldMap.Placement("main", "Main", new GridCoord(0, 0)),
              new WorldMap.Placement("harbor", "Harbor", new GridCoord(1, 0))));
  final RecordingFeed feed = new RecordingFeed();
  final RecordingMetrics metrics = new RecordingMetrics();

  static Config config() {
    return ConfigFactory.parseString(
            "clawbots.region.automatic-ticks = off\n"
                + "clawbots.region.handover-timeout = 300ms\n"
                + "pekko.loglevel = WARNING\n")
        .withFallback(ConfigFactory.load());
  }

  RegionSettings settings() {
    return RegionSettings.from(config());
  }

  RegionEnvironment environment(Function<String, RecipientRef<RegionCommand>> regions) {
    return new RegionEnvironment(map, clock, settings(), feed, GridMirror.NONE, regions, metrics);
  }

  /** Moves the wall clock on by {@code ticks} ticks. */
  void advance(long ticks) {
    wall.advance(TICK.multipliedBy(ticks));
  }

  long now() {
    return clock.currentTick();
  }

  /** What a region reported: its steps, its journal writes, and its population after each. */
  static final class RecordingMetrics implements RegionMetrics {
    final List<Long> steps = new CopyOnWriteArrayList<>();
    final List<Integer> journaledEvents = new CopyOnWriteArrayList<>();
    final List<Long> journalNanos = new CopyOnWriteArrayList<>();
    final List<Integer> population = new CopyOnWriteArrayList<>();

    @Override
    public void stepped(String regionId, long nanos) {
      steps.add(nanos);
    }

    @Override
    public void journaled(String regionId, int events, long nanos) {
      journaledEvents.add(events);
      journalNanos.add(nanos);
    }

    @Override
    public void population(String regionId, int agents) {
      population.add(agents);
    }

    @Override
    public void stopped(String regionId) {
      population.add(-1);
    }
  }

  static final class RecordingFeed implements RegionFeed {
    final List<RegionEvent> events = new CopyOnWriteArrayList<>();
    final List<TickReport.AgentPosition> moved = new CopyOnWriteArrayList<>();

    @Override
    public void eventJournaled(RegionEvent event) {
      events.add(event);
    }

    @Override
    public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> positions) {
      moved.addAll(positions);
    }
  }
}

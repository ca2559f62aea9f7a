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
    return new RegionEnvironment(map, clock, settings(), feed, GridMirror.NONE, regions);
  }

  /** Moves the wall clock on by {@code ticks} ticks. */
  void advance(long ticks) {
    wall.advance(TICK.multipliedBy(ticks));
  }

  long now() {
    return clock.currentTick();
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

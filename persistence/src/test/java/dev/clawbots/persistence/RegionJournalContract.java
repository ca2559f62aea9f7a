package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import dev.clawbots.region.GridMirror;
import dev.clawbots.region.Region;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionEnvironment;
import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.RegionSettings;
import dev.clawbots.region.Regions;
import dev.clawbots.world.Decision;
import dev.clawbots.world.GridCoord;
import dev.clawbots.world.ManualClock;
import dev.clawbots.world.Permission;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regions on a real journal: a region stopped mid-walk comes back with bitwise the same positions,
 * from its events alone and from a snapshot plus events; and an agent walking across an edge is
 * handed over exactly once, even when the destination is slow or has stopped. Subclasses say which
 * database.
 */
abstract class RegionJournalContract {

  static final Duration DEADLINE = Duration.ofSeconds(20);

  private final ManualClock wall =
      new ManualClock(WorldClock.DEFAULT_EPOCH.plus(Duration.ofDays(3)));
  private final WorldClock clock =
      new WorldClock(wall, WorldClock.DEFAULT_EPOCH, Duration.ofMillis(100), Duration.ofHours(4));
  private final Map<String, ActorRef<RegionCommand>> running = new ConcurrentHashMap<>();
  private final Map<String, RegionSimulation> reference = new HashMap<>();
  // Fresh region ids per test, so that runs never see each other's journal.
  private final String west = "w-" + UUID.randomUUID().toString().substring(0, 8);
  private final String east = "e-" + UUID.randomUUID().toString().substring(0, 8);
  private final WorldMap map =
      new WorldMap(
          List.of(
              new WorldMap.Placement(west, "West", new GridCoord(0, 0)),
              new WorldMap.Placement(east, "East", new GridCoord(1, 0))));
  private ActorTestKit kit;
  private Function<String, RecipientRef<RegionCommand>> lookup = id -> running.get(id);

  /** The database's settings: persistence.conf with JournalConfig over it, schema created. */
  abstract Config journal();

  /** The journal's settings for the database at {@code url}, with its schema created. */
  static Config journalAt(String url) {
    Config resolved =
        ConfigFactory.load(
            ConfigFactory.parseString("clawbots.database.url = " + ConfigUtil.quoteString(url))
                .withFallback(ConfigFactory.parseResources("persistence.conf")));
    Config config = JournalConfig.from(Map.of(), resolved).applyTo(resolved);
    try {
      JournalSchema.createIfNotExists(config);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the journal's tables at " + url, e);
    }
    return config;
  }

  @BeforeEach
  void start() {
    Config config =
        ConfigFactory.parseString(
                "pekko.loglevel = WARNING\n"
                    + "clawbots.region.handover-timeout = 500ms\n"
                    + "clawbots.region.handover-backoff-max = 1s\n")
            .withFallback(journal());
    kit = ActorTestKit.create("regions", config);
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  private RegionEnvironment environment(int snapshotEvery) {
    RegionSettings base = RegionSettings.from(kit.system().settings().config());
    RegionSettings settings =
        new RegionSettings(
            true,
            snapshotEvery,
            2,
            base.passivateAfter(),
            base.agentIdleTimeout(),
            base.housekeepingInterval(),
            base.handoverTimeout(),
            base.handoverBackoffMax(),
            base.restartBackoffMin(),
            base.restartBackoffMax());
    RegionFeed quiet =
        new RegionFeed() {
          @Override
          public void eventJournaled(RegionEvent event) {}

          @Override
          public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> m) {}
        };
    return new RegionEnvironment(
        map, clock, settings, quiet, GridMirror.NONE, id -> lookup.apply(id));
  }

  private ActorRef<RegionCommand> spawn(String id, int snapshotEvery) {
    ActorRef<RegionCommand> ref =
        kit.spawn(
            Region.create(id, environment(snapshotEvery), null), id + "-" + UUID.randomUUID());
    running.put(id, ref);
    return ref;
  }

  /** Stops a region; its old reference stays where neighbours look it up, as a dead letter box. */
  private void stopRegion(String id) {
    kit.stop(running.get(id), DEADLINE);
  }

  private RegionReply ask(String id, Function<ActorRef<RegionReply>, RegionCommand> command) {
    return Regions.ask(running.get(id), command, DEADLINE, kit.scheduler())
        .toCompletableFuture()
        .join();
  }

  private RegionReply.Accepted act(
      String regionId, Function<ActorRef<RegionReply>, RegionCommand> command, Decision decision) {
    RegionReply reply = ask(regionId, command);
    assertThat(reply).isInstanceOf(RegionReply.Accepted.class);
    RegionReply.Accepted ok = (RegionReply.Accepted) reply;
    RegionSimulation sim =
        reference.computeIfAbsent(
            regionId, id -> new RegionSimulation(map.spec(id).orElseThrow(), clock, 0));
    sim.advanceTo(ok.acceptedTick());
    assertThat(sim.apply(decision).isAccepted()).isTrue();
    return ok;
  }

  private RegionReply.View viewAt(String regionId, long tick) {
    TestProbe<Object> probe = kit.createTestProbe();
    return probe.awaitAssert(
        DEADLINE,
        () -> {
          RegionReply.View v = (RegionReply.View) ask(regionId, RegionCommand.View::new);
          assertThat(v.worldTick()).isEqualTo(tick);
          return v;
        });
  }

  private static Map<String, Vec3> positions(RegionReply.View v) {
    Map<String, Vec3> m = new HashMap<>();
    v.agents().forEach(a -> m.put(a.agentId(), a.position()));
    return m;
  }

  private static Map<String, Vec3> positions(RegionSimulation sim) {
    Map<String, Vec3> m = new HashMap<>();
    sim.agents().forEach(a -> m.put(a.agentId(), a.position()));
    return m;
  }

  @Test
  void aRegionStoppedMidWalkRecoversFromItsEventsWithBitwiseTheSamePositions() {
    recoversMidWalk(1000);
  }

  @Test
  void aRegionStoppedMidWalkRecoversFromASnapshotAndLaterEvents() {
    recoversMidWalk(3);
  }

  private void recoversMidWalk(int snapshotEvery) {
    spawn(west, snapshotEvery);
    for (int i = 0; i < 4; i++) {
      String agent = "a" + i;
      Vec3 at = new Vec3(10 + 30 * i, 20 + 7 * i, 21);
      Vec3 to = new Vec3(200 - 13 * i, 230 - 11 * i, 21 + i);
      double speed = 0.7 + i * 0.9;
      act(
          west,
          r -> new RegionCommand.Join(agent, agent, at, Permission.DEFAULTS, r),
          new Decision.Join(agent, agent, at, Permission.DEFAULTS));
      act(
          west,
          r -> new RegionCommand.Move(agent, to, speed, r),
          new Decision.Move(agent, to, speed));
    }
    long start = clock.currentTick();
    wall.advance(Duration.ofMillis(100 * 123));
    Map<String, Vec3> before = positions(viewAt(west, start + 123));

    stopRegion(west);
    spawn(west, snapshotEvery);

    RegionReply.View recovered = viewAt(west, start + 123);
    assertThat(positions(recovered)).isEqualTo(before);
    RegionSimulation expected = reference.get(west);
    expected.advanceTo(start + 123);
    assertThat(before).isEqualTo(positions(expected));
    wall.advance(Duration.ofMillis(100 * 300));
    expected.advanceTo(start + 423);
    assertThat(positions(viewAt(west, start + 423))).isEqualTo(positions(expected));
  }

  @Test
  void anAgentWalkingAcrossAnEdgeIsHandedOverOnceEvenWhenTheDestinationIsSlow() {
    spawn(west, 1000);
    ActorRef<RegionCommand> destination = spawn(east, 1000);
    // The first hand-over reaches the destination only after the origin has given up on it.
    ActorRef<RegionCommand> slow = kit.spawn(delayFirst(destination, Duration.ofMillis(1500)));
    lookup = id -> id.equals(east) ? slow : running.get(id);

    act(
        west,
        r -> new RegionCommand.Join("c", "C", new Vec3(250, 100, 21), Permission.DEFAULTS, r),
        new Decision.Join("c", "C", new Vec3(250, 100, 21), Permission.DEFAULTS));
    act(
        west,
        r -> new RegionCommand.Move("c", new Vec3(270, 100, 21), 10.0, r),
        new Decision.Move("c", new Vec3(270, 100, 21), 10.0));
    long start = clock.currentTick();
    wall.advance(Duration.ofMillis(100 * 30));

    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(
        DEADLINE,
        () -> {
          RegionReply.View w = (RegionReply.View) ask(west, RegionCommand.View::new);
          RegionReply.View e = (RegionReply.View) ask(east, RegionCommand.View::new);
          assertThat(w.agents()).isEmpty();
          assertThat(w.handoversPending()).isZero();
          assertThat(e.agents()).extracting(RegionReply.AgentView::agentId).containsExactly("c");
          return null;
        });
    wall.advance(Duration.ofMillis(100 * 20));
    RegionReply.View e = viewAt(east, start + 50);
    assertThat(e.agents().get(0).position()).isEqualTo(new Vec3(14, 100, 21));
    // Taken in once: joined by crossing, arrived, and nothing more.
    assertThat(e.seq()).isEqualTo(2);
  }

  @Test
  void aHandOverWaitsForADestinationThatHasStoppedAndCompletesWhenItReturns() {
    spawn(west, 1000);
    spawn(east, 1000);
    stopRegion(east);
    act(
        west,
        r -> new RegionCommand.Join("d", "D", new Vec3(250, 50, 21), Permission.DEFAULTS, r),
        new Decision.Join("d", "D", new Vec3(250, 50, 21), Permission.DEFAULTS));
    act(
        west,
        r -> new RegionCommand.Move("d", new Vec3(262, 50, 21), 10.0, r),
        new Decision.Move("d", new Vec3(262, 50, 21), 10.0));
    wall.advance(Duration.ofMillis(100 * 10));

    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(
        DEADLINE,
        () -> {
          RegionReply.View w = (RegionReply.View) ask(west, RegionCommand.View::new);
          assertThat(w.agents()).isEmpty();
          assertThat(w.handoversPending()).isEqualTo(1);
          return null;
        });
    // The origin restarts too: the pending hand-over is in its journal and is retried.
    stopRegion(west);
    spawn(west, 1000);
    spawn(east, 1000);

    probe.awaitAssert(
        DEADLINE,
        () -> {
          RegionReply.View w = (RegionReply.View) ask(west, RegionCommand.View::new);
          RegionReply.View e = (RegionReply.View) ask(east, RegionCommand.View::new);
          assertThat(w.handoversPending()).isZero();
          assertThat(e.agents()).extracting(RegionReply.AgentView::agentId).containsExactly("d");
          return null;
        });
  }

  /** Forwards to {@code target}, holding back the first message for {@code delay}. */
  private static Behavior<RegionCommand> delayFirst(
      ActorRef<RegionCommand> target, Duration delay) {
    return Behaviors.withTimers(
        timers ->
            Behaviors.receive(RegionCommand.class)
                .onAnyMessage(
                    first -> {
                      timers.startSingleTimer(new Release(first), delay);
                      return Behaviors.receive(RegionCommand.class)
                          .onMessage(
                              Release.class,
                              r -> {
                                target.tell(r.held());
                                return Behaviors.same();
                              })
                          .onAnyMessage(
                              m -> {
                                target.tell(m);
                                return Behaviors.same();
                              })
                          .build();
                    })
                .build());
  }

  private record Release(RegionCommand held) implements RegionCommand.Internal {}
}

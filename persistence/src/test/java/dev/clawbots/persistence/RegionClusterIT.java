package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import dev.clawbots.region.GridMirror;
import dev.clawbots.region.Region;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionEnvironment;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.RegionSettings;
import dev.clawbots.region.Regions;
import dev.clawbots.region.TopicRegionFeed;
import dev.clawbots.world.ManualClock;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three cluster nodes (separate actor systems on loopback) share the PostgreSQL journal and host 30
 * regions with walking agents. One node leaves; its regions start again on the others by
 * themselves, with every acknowledged event, and their agents stand exactly where a region that
 * never stopped would have them.
 */
class RegionClusterIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private final String schema = "it_cluster_" + Long.toHexString(System.nanoTime());

  private final ManualClock wall =
      new ManualClock(WorldClock.DEFAULT_EPOCH.plus(Duration.ofDays(2)));
  private final WorldClock clock =
      new WorldClock(wall, WorldClock.DEFAULT_EPOCH, Duration.ofMillis(100), Duration.ofHours(4));
  private final WorldMap map = CrashNode.map();
  private final List<ActorSystem<?>> nodes = new ArrayList<>();

  @AfterEach
  void stopEverything() throws SQLException {
    for (ActorSystem<?> node : nodes) {
      node.terminate();
    }
    for (ActorSystem<?> node : nodes) {
      node.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
    TestCluster.dropSchema(schema);
  }

  /** How long a departed node's regions may take to run again elsewhere. */
  private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

  @Test
  void aLeavingNodesRegionsRunOnTheOthersWithEveryAgentWhereItShouldBe() throws Exception {
    TestCluster.createSchema(schema);
    int seedPort = TestCluster.freePort();
    List<Integer> ports = List.of(seedPort, TestCluster.freePort(), TestCluster.freePort());
    Config first = CrashNode.config(seedPort, seedPort, TestCluster.urlIn(schema), "");
    JournalSchema.createIfNotExists(first);
    for (int port : ports) {
      Config config = CrashNode.config(port, seedPort, TestCluster.urlIn(schema), "");
      ActorSystem<Void> node = ActorSystem.create(Behaviors.empty(), "clawbots", config);
      nodes.add(node);
      RegionSettings settings = RegionSettings.from(node.settings().config());
      Region.init(
          node,
          new RegionEnvironment(
              map,
              clock,
              settings,
              new TopicRegionFeed(node),
              GridMirror.NONE,
              id -> ClusterSharding.get(node).entityRefFor(Region.ENTITY_KEY, id)));
    }
    ActorTestKit kit = ActorTestKit.create(nodes.get(0));
    TestProbe<Object> waiter = kit.createTestProbe();
    waiter.awaitAssert(
        DEADLINE,
        () -> {
          long up =
              java.util.stream.StreamSupport.stream(
                      Cluster.get(nodes.get(0)).state().getMembers().spliterator(), false)
                  .filter(m -> m.status() == MemberStatus.up())
                  .count();
          assertThat(up).isEqualTo(3);
          return null;
        });

    // Everyone joins and sets off, all at one world tick, through the first node.
    Regions regions = Regions.of(nodes.get(0));
    TestCluster.Population population =
        TestCluster.populate(
            regions,
            map,
            clock,
            random ->
                new TestCluster.Walker(
                    new Vec3(20 + random.nextDouble() * 200, 20 + random.nextDouble() * 200, 21),
                    new Vec3(5 + random.nextDouble() * 245, 5 + random.nextDouble() * 245, 21),
                    0.5 + random.nextDouble() * 2.5));
    Map<String, RegionSimulation> reference = population.reference();
    Map<String, Long> ackedSeq = population.ackedSeq();
    wall.advance(Duration.ofSeconds(5));

    // The regions the third node hosts, and a subscriber on the first node to their feeds.
    ActorSystem<?> leaving = nodes.get(2);
    TestProbe<org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState> stateProbe =
        ActorTestKit.create(leaving).createTestProbe();
    ClusterSharding.get(leaving)
        .shardState()
        .tell(new GetShardRegionState(Region.ENTITY_KEY, stateProbe.ref()));
    Set<String> moved = new HashSet<>();
    for (var shard : stateProbe.receiveMessage(DEADLINE).getShards()) {
      moved.addAll(shard.getEntityIds());
    }
    assertThat(moved).isNotEmpty();
    TopicRegionFeed feed = new TopicRegionFeed(nodes.get(0));
    TestProbe<TopicRegionFeed.FeedMessage> feedProbe = kit.createTestProbe();
    for (String id : moved) {
      feed.subscribe(id, feedProbe.ref());
    }

    leaving.terminate();
    leaving.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    // By identity: actor systems of the same name are equal() (their path is
    // pekko://clawbots/user), so nodes.remove(leaving) would drop the first node instead.
    nodes.removeIf(n -> n == leaving);
    long gone = System.nanoTime();

    // Nobody asks those regions anything: they start again by themselves and their agents walk on.
    // The world clock moves on a tick at a time meanwhile: a region publishes its movers only when
    // the clock moves, and a survivor's feed topic, new on that node, drops what it is given until
    // the receptionist has told it where the subscriber is.
    Set<String> heardFrom = new HashSet<>();
    while (!heardFrom.containsAll(moved)) {
      assertThat(Duration.ofNanos(System.nanoTime() - gone))
          .as("regions heard from: %s of %s", heardFrom, moved)
          .isLessThan(BACK_WITHIN);
      wall.advance(clock.tickInterval());
      try {
        while (true) {
          if (feedProbe.receiveMessage(Duration.ofMillis(100))
              instanceof TopicRegionFeed.AgentsMoved am) {
            heardFrom.add(am.regionId());
          }
        }
      } catch (AssertionError quiet) {
        // Nothing more for 100 ms: move the clock on.
      }
    }

    System.out.printf(
        "RegionClusterIT: a node left; its %d regions ran again elsewhere %d ms later%n",
        moved.size(), Duration.ofNanos(System.nanoTime() - gone).toMillis());

    wall.advance(Duration.ofSeconds(4));
    long end = clock.currentTick();
    for (var entry : reference.entrySet()) {
      String regionId = entry.getKey();
      RegionSimulation expected = entry.getValue();
      expected.advanceTo(end);
      waiter.awaitAssert(
          DEADLINE,
          () -> {
            RegionReply.View view =
                (RegionReply.View)
                    regions.ask(regionId, RegionCommand.View::new).toCompletableFuture().join();
            assertThat(view.worldTick()).isEqualTo(end);
            assertThat(view.seq()).isGreaterThanOrEqualTo(ackedSeq.get(regionId));
            Map<String, Vec3> positions = new HashMap<>();
            view.agents().forEach(a -> positions.put(a.agentId(), a.position()));
            Map<String, Vec3> want = new HashMap<>();
            expected.agents().forEach(a -> want.put(a.agentId(), a.position()));
            assertThat(positions).as("positions in %s", regionId).isEqualTo(want);
            return null;
          });
    }
  }
}

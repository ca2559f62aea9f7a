package dev.clawbots.region;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What callers see when a region's journal fails, and how an empty region goes to sleep. */
class RegionFailureTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "clawbots.region.restart-backoff-min = 100ms\n"
                      + "clawbots.region.restart-backoff-max = 200ms\n")
              .withFallback(PersistenceTestKitPlugin.config())
              .withFallback(PersistenceTestKitSnapshotPlugin.config())
              .withFallback(TestWorld.config()));

  private ActorRef<RegionCommand> region;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void emptyJournal() {
    PersistenceTestKit.create(testKit.system()).clearAll();
  }

  @AfterEach
  void stopRegion() {
    if (region != null) {
      testKit.stop(region);
    }
  }

  private static RegionReply ask(
      ActorRef<RegionCommand> target,
      java.util.function.Function<ActorRef<RegionReply>, RegionCommand> command) {
    return Regions.ask(target, command, Duration.ofMillis(500), testKit.scheduler())
        .toCompletableFuture()
        .join();
  }

  /** Housekeeping, done before the test moves the clock on: the view after it is its receipt. */
  private static void housekeep(ActorRef<RegionCommand> target) {
    target.tell(RegionTimers.Housekeeping.INSTANCE);
    ask(target, RegionCommand.View::new);
  }

  /** Stands in for the shard, passing on what the region asks of it. */
  private static ActorRef<ClusterSharding.ShardCommand> shardFor(TestProbe<Object> probe) {
    return testKit.spawn(
        Behaviors.receive(ClusterSharding.ShardCommand.class)
            .onAnyMessage(
                m -> {
                  probe.ref().tell(m);
                  return Behaviors.same();
                })
            .build());
  }

  @Test
  void aJournalFailureAnswersUnavailableAndTheRegionComesBackWithNothingLost() {
    TestWorld world = new TestWorld();
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    region = testKit.spawn(Region.create("main", world.environment(id -> null), null));
    assertThat(
            ask(
                region,
                r -> new RegionCommand.Join("a", "A", new Vec3(5, 5, 0), Permission.DEFAULTS, r)))
        .isInstanceOf(RegionReply.Accepted.class);

    journal.failNextPersisted();
    RegionReply failed =
        ask(
            region,
            r -> new RegionCommand.Join("b", "B", new Vec3(6, 6, 0), Permission.DEFAULTS, r));

    assertThat(failed).isInstanceOf(RegionReply.Rejected.class);
    assertThat(((RegionReply.Rejected) failed).code()).isEqualTo("unavailable");
    // After its backoff the region is back, with what was journaled before the failure.
    TestProbe<Object> probe = testKit.createTestProbe();
    RegionReply.View view =
        probe.awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              RegionReply reply = ask(region, RegionCommand.View::new);
              assertThat(reply).isInstanceOf(RegionReply.View.class);
              return (RegionReply.View) reply;
            });
    assertThat(view.agents()).extracting(RegionReply.AgentView::agentId).containsExactly("a");
    assertThat(
            ask(
                region,
                r -> new RegionCommand.Join("b", "B", new Vec3(6, 6, 0), Permission.DEFAULTS, r)))
        .isInstanceOf(RegionReply.Accepted.class);
  }

  @Test
  void anEmptyRegionAsksToPassivateOnceItHasBeenEmptyLongEnough() {
    TestWorld world = new TestWorld();
    TestProbe<Object> shard = testKit.createTestProbe();
    region = testKit.spawn(Region.create("main", world.environment(id -> null), shardFor(shard)));
    ask(region, r -> new RegionCommand.Join("a", "A", new Vec3(5, 5, 0), Permission.DEFAULTS, r));
    ask(region, r -> new RegionCommand.Leave("a", r));

    housekeep(region);
    world.advance(300);
    housekeep(region);
    shard.expectNoMessage(Duration.ofMillis(200));
    world.advance(301);
    housekeep(region);

    ClusterSharding.Passivate<?> passivate =
        (ClusterSharding.Passivate<?>) shard.receiveMessage(Duration.ofSeconds(5));
    assertThat(passivate.entity()).isEqualTo(region);
  }

  @Test
  void aRegionWithAgentsNeverPassivates() {
    TestWorld world = new TestWorld();
    TestProbe<Object> shard = testKit.createTestProbe();
    region = testKit.spawn(Region.create("main", world.environment(id -> null), shardFor(shard)));
    ask(region, r -> new RegionCommand.Join("a", "A", new Vec3(5, 5, 0), Permission.DEFAULTS, r));

    housekeep(region);
    // Long past passivate-after, but not long enough for the agent to be idle.
    world.advance(3000);
    housekeep(region);

    shard.expectNoMessage(Duration.ofMillis(300));
    RegionReply.View view = (RegionReply.View) ask(region, RegionCommand.View::new);
    assertThat(view.agents()).extracting(RegionReply.AgentView::agentId).containsExactly("a");
  }
}

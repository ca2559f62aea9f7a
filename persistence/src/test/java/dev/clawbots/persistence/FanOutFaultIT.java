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
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.GridCoord;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldMap;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
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
 * Redis goes away for ten seconds while agents talk, and comes back. Two cluster nodes share the
 * PostgreSQL journal and a {@code redis-server} of the test's own; a client on the second node
 * listens to every region, including those the first node hosts. It hears every acknowledged event,
 * before, during and after the outage, once and in order: through Redis, then the cluster's
 * pub/sub, then Redis again, with the gaps of each switch filled from the journal.
 */
class FanOutFaultIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  private final String schema = "it_fanout_" + Long.toHexString(System.nanoTime());
  private final String prefix = "it-" + Long.toHexString(System.nanoTime()) + ":";
  private final WorldMap map = map();
  private final List<ActorSystem<?>> nodes = new ArrayList<>();
  private final List<RedisLink> links = new ArrayList<>();
  private final List<FanOut> feeds = new ArrayList<>();
  private final List<RedisRegionFeed> redisFeeds = new ArrayList<>();
  private RedisServerProcess redis;

  @AfterEach
  void stopEverything() throws SQLException {
    redisFeeds.forEach(RedisRegionFeed::close);
    links.forEach(RedisLink::close);
    for (ActorSystem<?> node : nodes) {
      node.terminate();
    }
    for (ActorSystem<?> node : nodes) {
      node.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
    if (redis != null) {
      redis.close();
    }
    TestCluster.dropSchema(schema);
  }

  @Test
  void eventsPublishedWhileRedisIsDownReachASubscriberOnAnotherNodeCompleteAndInOrder()
      throws Exception {
    redis = RedisServerProcess.start();
    TestCluster.createSchema(schema);
    int seedPort = TestCluster.freePort();
    for (int port : List.of(seedPort, TestCluster.freePort())) {
      Config config = CrashNode.config(port, seedPort, TestCluster.urlIn(schema), "");
      JournalSchema.createIfNotExists(config);
      ActorSystem<Void> node = ActorSystem.create(Behaviors.empty(), "clawbots", config);
      nodes.add(node);
      RedisLink link = RedisLink.open(redis.url(), RedisLink.Settings.defaults());
      links.add(link);
      RedisRegionFeed redisFeed = new RedisRegionFeed(link, new RedisKeys(prefix), 1000);
      redisFeeds.add(redisFeed);
      FanOut feed = new FanOut(link, redisFeed, new TopicRegionFeed(node));
      feeds.add(feed);
      Region.init(
          node,
          new RegionEnvironment(
              map,
              CrashNode.clock(),
              RegionSettings.from(node.settings().config()),
              feed,
              GridMirror.NONE,
              id -> ClusterSharding.get(node).entityRefFor(Region.ENTITY_KEY, id)));
    }
    ActorSystem<?> first = nodes.get(0);
    ActorSystem<?> second = nodes.get(1);
    ActorTestKit kit = ActorTestKit.create(second);
    TestWait.until(
        DEADLINE,
        () ->
            StreamSupport.stream(Cluster.get(first).state().getMembers().spliterator(), false)
                    .filter(m -> m.status() == MemberStatus.up())
                    .count()
                == 2);
    links.forEach(l -> TestWait.until(DEADLINE, l::isUp));

    // A client on the second node listens to every region from its first event on.
    Regions viaFirst = Regions.of(first);
    Regions viaSecond = Regions.of(second);
    FeedSubscriptions subscriptions =
        new FeedSubscriptions(
            second,
            new TopicRegionFeed(second),
            Optional.of(links.get(1)),
            new RedisKeys(prefix),
            id ->
                viaSecond
                    .ask(id, RegionCommand.View::new)
                    .thenApply(v -> ((RegionReply.View) v).seq()),
            new FeedSubscriptions.Settings(Duration.ofMillis(500), 100));
    TestProbe<FeedDelivery> client = kit.createTestProbe();
    for (var spec : map.regions()) {
      subscriptions.enter(spec.id(), client.ref(), 0);
    }

    Map<String, Long> acked = new HashMap<>();
    for (var spec : map.regions()) {
      String agent = "a-" + spec.id();
      act(
          viaFirst,
          spec.id(),
          r -> new RegionCommand.Join(agent, agent, new Vec3(50, 50, 21), Permission.DEFAULTS, r),
          acked);
    }
    assertThat(remoteTo(second)).as("regions the first node hosts").isNotEmpty();
    talk(viaFirst, 3, acked);

    redis.stop();
    links.forEach(l -> TestWait.until(DEADLINE, () -> !l.isUp()));
    assertThat(feeds).allMatch(FanOut::degraded);
    // Talk goes on for the whole outage, a round at a time: each round is heard before the next.
    Map<String, List<Long>> heard = new HashMap<>();
    long downSince = System.nanoTime();
    int rounds = 0;
    while (System.nanoTime() - downSince < OUTAGE.toNanos()) {
      talk(viaFirst, 1, acked);
      hear(client, heard, acked);
      rounds++;
    }
    redis.restart();
    links.forEach(l -> TestWait.until(DEADLINE, l::isUp));
    assertThat(feeds).noneMatch(FanOut::degraded);
    talk(viaFirst, 3, acked);

    hear(client, heard, acked);
    for (var entry : acked.entrySet()) {
      assertThat(heard.get(entry.getKey()))
          .as("events of %s", entry.getKey())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, entry.getValue()).boxed().toList());
    }
    System.out.printf(
        "FanOutFaultIT: %d events in %d regions, %d rounds of talk while Redis was down%n",
        acked.values().stream().mapToLong(Long::longValue).sum(), acked.size(), rounds);
  }

  /** Six regions in a row: enough that each of the two nodes hosts some. */
  private static WorldMap map() {
    List<WorldMap.Placement> placements = new ArrayList<>();
    for (int x = 0; x < 6; x++) {
      placements.add(new WorldMap.Placement("f-" + x, "F" + x, new GridCoord(x, 0)));
    }
    return new WorldMap(placements);
  }

  /** Every region's agent speaks {@code times} times, each acknowledged. */
  private void talk(Regions regions, int times, Map<String, Long> acked) {
    for (int i = 0; i < times; i++) {
      for (var spec : map.regions()) {
        String agent = "a-" + spec.id();
        act(
            regions,
            spec.id(),
            r -> new RegionCommand.Speak(agent, "hello", ChatRange.NORMAL, null, r),
            acked);
      }
    }
  }

  private static void act(
      Regions regions,
      String regionId,
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<RegionReply>, RegionCommand>
          command,
      Map<String, Long> acked) {
    RegionReply reply = regions.ask(regionId, command).toCompletableFuture().join();
    assertThat(reply).isInstanceOf(RegionReply.Accepted.class);
    acked.merge(regionId, ((RegionReply.Accepted) reply).seq(), Math::max);
  }

  /** The regions hosted on nodes other than {@code node}. */
  private Set<String> remoteTo(ActorSystem<?> node) {
    Set<String> local = new HashSet<>();
    TestProbe<org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState> probe =
        ActorTestKit.create(node).createTestProbe();
    ClusterSharding.get(node)
        .shardState()
        .tell(new GetShardRegionState(Region.ENTITY_KEY, probe.ref()));
    for (var shard : probe.receiveMessage(DEADLINE).getShards()) {
      local.addAll(shard.getEntityIds());
    }
    Set<String> remote = new HashSet<>();
    map.regions().forEach(spec -> remote.add(spec.id()));
    remote.removeAll(local);
    return remote;
  }

  /** Receives until {@code heard} holds every region's last acknowledged event. */
  private static void hear(
      TestProbe<FeedDelivery> client, Map<String, List<Long>> heard, Map<String, Long> acked) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!caughtUp(heard, acked)) {
      assertThat(System.nanoTime()).as("heard %s of %s", last(heard), acked).isLessThan(deadline);
      if (client.receiveMessage(DEADLINE) instanceof FeedDelivery.Event e) {
        heard.computeIfAbsent(e.event().regionId(), id -> new ArrayList<>()).add(e.event().seq());
      }
    }
  }

  private static boolean caughtUp(Map<String, List<Long>> heard, Map<String, Long> acked) {
    return acked.entrySet().stream()
        .allMatch(
            e -> {
              List<Long> seqs = heard.getOrDefault(e.getKey(), List.of());
              return !seqs.isEmpty() && seqs.get(seqs.size() - 1) >= e.getValue();
            });
  }

  private static Map<String, Long> last(Map<String, List<Long>> heard) {
    Map<String, Long> last = new HashMap<>();
    heard.forEach((id, seqs) -> last.put(id, seqs.get(seqs.size() - 1)));
    return last;
  }
}

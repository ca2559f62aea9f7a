package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.clawbots.region.GridMirror;
import dev.clawbots.region.Region;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionEnvironment;
import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.RegionSettings;
import dev.clawbots.region.Regions;
import dev.clawbots.region.TopicRegionFeed;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.GridCoord;
import dev.clawbots.world.ManualClock;
import dev.clawbots.world.Permission;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The subscriber side of the fan-out: whatever the feed loses or repeats, a node's clients in a
 * region get each event once, in {@code seq} order. Subclasses say which database, and whether
 * Redis carries the feed (the embedded default has none: the cluster's pub/sub does).
 */
abstract class FeedSubscriptionsContract {

  static final Duration DEADLINE = Duration.ofSeconds(20);

  private final ManualClock wall =
      new ManualClock(WorldClock.DEFAULT_EPOCH.plus(Duration.ofDays(4)));
  private final WorldClock clock =
      new WorldClock(wall, WorldClock.DEFAULT_EPOCH, Duration.ofMillis(100), Duration.ofHours(4));
  private final String regionId = "r-" + UUID.randomUUID().toString().substring(0, 8);
  private final String prefix = "it-" + Long.toHexString(System.nanoTime()) + ":";

  /** Seqs the feed loses on the way, and seqs it publishes twice. */
  private final Set<Long> lost = ConcurrentHashMap.newKeySet();

  private final Set<Long> repeated = ConcurrentHashMap.newKeySet();
  private ActorTestKit kit;
  private Optional<RedisLink> link;
  private ActorRef<RegionCommand> region;
  private FeedSubscriptions subscriptions;
  private RedisRegionFeed redisFeed;
  private RegionFeed feed;

  /** The database's settings: persistence.conf with JournalConfig over it, schema created. */
  abstract Config journal();

  /** Redis's URL when Redis carries the feed. */
  abstract Optional<String> redis();

  @BeforeEach
  void start() {
    kit =
        ActorTestKit.create(
            "feeds", ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(journal()));
    link = redis().map(url -> RedisLink.open(url, RedisLink.Settings.defaults()));
    link.ifPresent(l -> TestWait.until(DEADLINE, l::isUp));
    TopicRegionFeed cluster = new TopicRegionFeed(kit.system());
    feed =
        link.<RegionFeed>map(
                l -> {
                  redisFeed = new RedisRegionFeed(l, new RedisKeys(prefix), 1000);
                  return new FanOut(l, redisFeed, cluster);
                })
            .orElse(cluster);
    WorldMap map =
        new WorldMap(List.of(new WorldMap.Placement(regionId, "R", new GridCoord(0, 0))));
    RegionEnvironment environment =
        new RegionEnvironment(
            map,
            clock,
            RegionSettings.from(kit.system().settings().config()),
            lossy(feed),
            GridMirror.NONE,
            id -> region);
    region = kit.spawn(Region.create(regionId, environment, null), regionId);
    subscriptions =
        new FeedSubscriptions(
            kit.system(),
            cluster,
            link,
            new RedisKeys(prefix),
            this::currentSeq,
            new FeedSubscriptions.Settings(Duration.ofMillis(200), 4));
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
    if (redisFeed != null) {
      redisFeed.close();
    }
    link.ifPresent(RedisLink::close);
  }

  @Test
  void everyEventReachesASubscriberOnceAndInOrder() {
    TestProbe<FeedDelivery> client = kit.createTestProbe();
    subscriptions.enter(regionId, client.ref(), 0);
    long last = actions(12);
    assertThat(eventsUntil(client, last)).containsExactlyElementsOf(seqs(1, last));
  }

  @Test
  void eventsTheFeedLosesAreFetchedAndHandedOnInOrder() {
    // A gap in the middle, a run longer than one fetch (4), and the very last event, which no
    // later event reveals: a sweep of the quiet region finds it.
    lost.addAll(List.of(3L, 6L, 7L, 8L, 9L, 10L, 11L, 15L));
    TestProbe<FeedDelivery> client = kit.createTestProbe();
    subscriptions.enter(regionId, client.ref(), 0);
    long last = actions(15);
    assertThat(last).isEqualTo(15);
    assertThat(eventsUntil(client, last)).containsExactlyElementsOf(seqs(1, last));
  }

  @Test
  void eventsTheFeedRepeatsAreHandedOnOnce() {
    repeated.addAll(List.of(2L, 5L, 6L));
    TestProbe<FeedDelivery> client = kit.createTestProbe();
    subscriptions.enter(regionId, client.ref(), 0);
    long last = actions(8);
    assertThat(eventsUntil(client, last)).containsExactlyElementsOf(seqs(1, last));
  }

  @Test
  void aSubscriberHearsFromWhereTheRegionWasWhenItEntered() {
    long before = actions(5);
    TestProbe<FeedDelivery> client = kit.createTestProbe();
    subscriptions.enter(regionId, client.ref());
    TestWait.until(DEADLINE, () -> subscriptions.regions().contains(regionId));
    assertThat(subscriptions.channels()).hasSize(link.isPresent() ? 2 : 0);
    long last = actions(3);
    // "Now" is where the region stands when the subscription, once started, asks it; events
    // published meanwhile may fall on either side, and one published just before entering may
    // still be on its way. What is fixed: no history from long before, and from the first event
    // heard on, nothing missed or repeated up to the last.
    List<Long> heard = eventsUntil(client, last);
    assertThat(heard.get(0)).isBetween(before, last);
    assertThat(heard).containsExactlyElementsOf(seqs(heard.get(0), last));
  }

  @Test
  void aClientEnteringAfterASeqGetsWhatItMissedThenLiveWithNoGapAndNoRepeat() {
    TestProbe<FeedDelivery> early = kit.createTestProbe();
    subscriptions.enter(regionId, early.ref(), 0);
    long first = actions(9);
    assertThat(eventsUntil(early, first)).containsExactlyElementsOf(seqs(1, first));

    // A second client resumes after seq 2, while the shared subscription is at 9 and going on.
    TestProbe<FeedDelivery> late = kit.createTestProbe();
    subscriptions.enter(regionId, late.ref(), 2);
    long last = actions(5);
    assertThat(eventsUntil(late, last)).containsExactlyElementsOf(seqs(3, last));
    assertThat(eventsUntil(early, last)).containsExactlyElementsOf(seqs(first + 1, last));
  }

  @Test
  void aFirstClientEnteringAfterASeqStartsTheSubscriptionThere() {
    long before = actions(6);
    TestProbe<FeedDelivery> client = kit.createTestProbe();
    subscriptions.enter(regionId, client.ref(), 4);
    long last = actions(2);
    assertThat(before).isEqualTo(6);
    assertThat(eventsUntil(client, last)).containsExactlyElementsOf(seqs(5, last));
  }

  @Test
  void twoClientsShareASubscriptionWhichEndsWithTheLastOfThem() {
    TestProbe<FeedDelivery> first = kit.createTestProbe();
    TestProbe<FeedDelivery> second = kit.createTestProbe();
    subscriptions.enter(regionId, first.ref(), 0);
    subscriptions.enter(regionId, second.ref(), 0);
    long last = actions(4);
    assertThat(eventsUntil(first, last)).containsExactlyElementsOf(seqs(1, last));
    assertThat(eventsUntil(second, last)).containsExactlyElementsOf(seqs(1, last));

    subscriptions.leave(regionId, first.ref());
    long more = actions(2);
    assertThat(eventsUntil(second, more)).containsExactlyElementsOf(seqs(last + 1, more));
    assertThat(subscriptions.regions()).containsExactly(regionId);

    // A client that stops leaves every region it was in.
    second.stop();
    TestWait.until(DEADLINE, () -> subscriptions.regions().isEmpty());
    assertThat(subscriptions.channels()).isEmpty();
    first.expectNoMessage(Duration.ofMillis(300));
  }

  /** Seqs from {@code from} to {@code to}, both included. */
  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /**
   * Positions go only to clients that asked for them (a spectator's scene), never to the rest (an
   * agent's socket), while both get every event. The positions are published between two actions,
   * on the channel ticks use, so each client's messages up to the second action's event show it.
   */
  @Test
  void onlyClientsThatAskForPositionsGetThem() {
    TestProbe<FeedDelivery> agent = kit.createTestProbe();
    TestProbe<FeedDelivery> scene = kit.createTestProbe();
    subscriptions.enter(regionId, agent.ref(), 0);
    subscriptions.enterWithPositions(regionId, scene.ref(), 0);
    long first = actions(1);
    eventsUntil(agent, first);
    eventsUntil(scene, first);

    feed.agentsMoved(
        regionId, 7, List.of(new TickReport.AgentPosition("a1", new Vec3(11, 10, 21))));
    long second = actions(1);
    assertThat(deliveriesUntil(agent, second)).allMatch(d -> d instanceof FeedDelivery.Event);
    assertThat(deliveriesUntil(scene, second))
        .anySatisfy(
            d -> {
              assertThat(d).isInstanceOf(FeedDelivery.Moved.class);
              assertThat(((FeedDelivery.Moved) d).positions().worldTick()).isEqualTo(7);
            });
  }

  /** What {@code client} receives, until the event {@code last}. */
  private static List<FeedDelivery> deliveriesUntil(TestProbe<FeedDelivery> client, long last) {
    List<FeedDelivery> received = new ArrayList<>();
    while (true) {
      FeedDelivery d = client.receiveMessage(DEADLINE);
      received.add(d);
      if (d instanceof FeedDelivery.Event e && e.event().seq() >= last) {
        return received;
      }
    }
  }

  /** The seqs of the events {@code client} receives, until it has {@code last}. */
  private static List<Long> eventsUntil(TestProbe<FeedDelivery> client, long last) {
    return deliveriesUntil(client, last).stream()
        .filter(d -> d instanceof FeedDelivery.Event)
        .map(d -> ((FeedDelivery.Event) d).event().seq())
        .toList();
  }

  /** An agent joins if it has not, then speaks until {@code count} actions are acknowledged. */
  private long actions(int count) {
    long seq = 0;
    for (int i = 0; i < count; i++) {
      Function<ActorRef<RegionReply>, RegionCommand> command =
          seq == 0 && view().seq() == 0
              ? r ->
                  new RegionCommand.Join("a1", "Ada", new Vec3(10, 10, 21), Permission.DEFAULTS, r)
              : r -> new RegionCommand.Speak("a1", "hello", ChatRange.NORMAL, null, r);
      RegionReply reply =
          Regions.ask(region, command, DEADLINE, kit.scheduler()).toCompletableFuture().join();
      assertThat(reply).isInstanceOf(RegionReply.Accepted.class);
      seq = ((RegionReply.Accepted) reply).seq();
    }
    return seq;
  }

  private RegionReply.View view() {
    return (RegionReply.View)
        Regions.ask(region, RegionCommand.View::new, DEADLINE, kit.scheduler())
            .toCompletableFuture()
            .join();
  }

  private CompletionStage<Long> currentSeq(String id) {
    return Regions.ask(region, RegionCommand.View::new, DEADLINE, kit.scheduler())
        .thenApply(reply -> ((RegionReply.View) reply).seq());
  }

  private RegionFeed lossy(RegionFeed feed) {
    return new RegionFeed() {
      @Override
      public void eventJournaled(RegionEvent event) {
        if (!lost.contains(event.seq()) || !event.visible()) {
          feed.eventJournaled(event);
          if (repeated.contains(event.seq())) {
            feed.eventJournaled(event);
          }
        }
      }

      @Override
      public void agentsMoved(String id, long tick, List<TickReport.AgentPosition> moved) {
        feed.agentsMoved(id, tick, moved);
      }
    };
  }
}

package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Permission;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Redis feed against the machine's Redis ({@code REDIS_URL}), under a prefix of its own. */
class RedisRegionFeedIT {

  private static final String URL =
      Optional.ofNullable(System.getenv("REDIS_URL")).orElse("redis://127.0.0.1:6379");
  private static final Instant AT = Instant.parse("2026-11-21T12:00:00Z");

  private final String prefix = "it-" + Long.toHexString(System.nanoTime()) + ":";
  private RedisClient client;
  private RedisClient subscriberClient;
  private StatefulRedisPubSubConnection<String, String> subscriber;
  private final BlockingQueue<String[]> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void connect() {
    client = RedisClient.create(URL);
    subscriberClient = RedisClient.create(URL);
    subscriber = subscriberClient.connectPubSub();
    subscriber.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            received.add(new String[] {channel, message});
          }
        });
    subscriber.sync().subscribe(prefix + "events:main", prefix + "positions:main");
  }

  @AfterEach
  void disconnect() {
    try (var c = client.connect()) {
      c.sync().del(prefix + "events:main");
    }
    subscriber.close();
    subscriberClient.shutdown();
    client.shutdown();
  }

  @Test
  void whileRedisIsUnreachablePublishingFailsAtOnceAndIsCounted() throws Exception {
    int closed = TestCluster.freePort();
    try (RedisLink link =
            RedisLink.open("redis://127.0.0.1:" + closed, RedisLink.Settings.defaults());
        RedisRegionFeed feed = new RedisRegionFeed(link, new RedisKeys(prefix), 10)) {
      for (int seq = 1; seq <= 5; seq++) {
        feed.eventJournaled(new RegionEvent.Arrived("main", seq, seq, AT, "a1", new Vec3(1, 1, 1)));
      }
      assertThat(link.isUp()).isFalse();
      assertThat(feed.failures()).isEqualTo(5);
    }
  }

  private RedisLink link() {
    RedisLink link = RedisLink.open(URL, RedisLink.Settings.defaults());
    TestWait.until(Duration.ofSeconds(10), link::isUp);
    return link;
  }

  private String[] next() throws InterruptedException {
    String[] m = received.poll(10, TimeUnit.SECONDS);
    assertThat(m).as("a message within 10 s").isNotNull();
    return m;
  }

  @Test
  void eventsArePublishedInOrderAsContractJsonAndKeptInTheStream() throws Exception {
    List<RegionEvent> events =
        List.of(
            new RegionEvent.AgentJoined(
                "main", 1, 10, AT, "a1", "Ada", new Vec3(1, 2, 3), Set.of(Permission.MOVE)),
            new RegionEvent.Spoke(
                "main", 2, 11, AT, "a1", "hi", ChatRange.NORMAL, null, List.of("a1")),
            new RegionEvent.HandoverConfirmed("main", 2, 12, AT, "main#1"),
            new RegionEvent.Arrived("main", 3, 13, AT, "a1", new Vec3(4, 5, 6)));
    try (RedisLink link = link();
        RedisRegionFeed feed =
            new RedisRegionFeed(link, new RedisKeys(prefix), RedisRegionFeed.STREAM_LENGTH)) {
      events.forEach(feed::eventJournaled);
      feed.agentsMoved(
          "main", 14, List.of(new TickReport.AgentPosition("a1", new Vec3(4.5, 5, 6))));

      for (long seq : new long[] {1, 2, 3}) {
        String[] m = next();
        assertThat(m[0]).isEqualTo(prefix + "events:main");
        RegionEvent e =
            events.stream().filter(x -> x.visible() && x.seq() == seq).findFirst().orElseThrow();
        assertThat(m[1]).isEqualTo(WireJson.write(WireEvent.of(e).orElseThrow()));
      }
      String[] positions = next();
      assertThat(positions[0]).isEqualTo(prefix + "positions:main");
      assertThat(positions[1])
          .isEqualTo(
              "{\"region_id\":\"main\",\"world_tick\":14,"
                  + "\"agents\":[{\"agent_id\":\"a1\",\"position\":{\"x\":4.5,\"y\":5.0,\"z\":6.0}}]}");
      assertThat(feed.failures()).isZero();
    }
    try (var c = client.connect()) {
      List<StreamMessage<String, String>> stream =
          c.sync().xrange(prefix + "events:main", io.lettuce.core.Range.create("-", "+"));
      assertThat(stream).extracting(m -> m.getBody().get("seq")).containsExactly("1", "2", "3");
      // Entry ids are the seqs, so that "after seq N" is one XRANGE.
      assertThat(stream).extracting(StreamMessage::getId).containsExactly("1-0", "2-0", "3-0");
    }
  }

  @Test
  void theStreamKeepsOnlyTheLastEventsOfARegion() {
    try (RedisLink link = link();
        RedisRegionFeed feed = new RedisRegionFeed(link, new RedisKeys(prefix), 10)) {
      for (int seq = 1; seq <= 25; seq++) {
        feed.eventJournaled(new RegionEvent.Arrived("main", seq, seq, AT, "a1", new Vec3(1, 1, 1)));
      }
      try (var c = client.connect()) {
        TestWait.until(
            Duration.ofSeconds(10),
            () -> {
              var stream =
                  c.sync().xrange(prefix + "events:main", io.lettuce.core.Range.create("-", "+"));
              return stream.size() == 10 && "25".equals(stream.get(9).getBody().get("seq"));
            });
        var stream =
            c.sync().xrange(prefix + "events:main", io.lettuce.core.Range.create("-", "+"));
        assertThat(stream).extracting(m -> m.getBody().get("seq")).first().isEqualTo("16");
      }
    }
  }
}

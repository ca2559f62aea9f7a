package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.world.ManualClock;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed that keeps presence in the machine's Redis: ticks' positions wait and are written, the
 * latest only, when the server flushes them; an agent that leaves leaves no position behind; and
 * every message goes on to the next feed at once.
 */
class PresenceFeedIT {

  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

  private final String prefix = SharedRedis.newPrefix("presence-feed");
  private final RedisKeys keys = new RedisKeys(prefix);
  private final List<Object> passedOn = new ArrayList<>();
  private RedisLink link;
  private PresenceFeed feed;

  @BeforeEach
  void connect() {
    link = RedisLink.open(SharedRedis.URL, RedisLink.Settings.defaults());
    TestWait.until(Duration.ofSeconds(10), link::isUp);
    RegionFeed next =
        new RegionFeed() {
          @Override
          public void eventJournaled(RegionEvent event) {
            passedOn.add(event);
          }

          @Override
          public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> m) {
            passedOn.add(m);
          }
        };
    feed = new PresenceFeed(next, new Presence(link, keys, new ManualClock(T0)));
  }

  @AfterEach
  void disconnect() {
    link.close();
    SharedRedis.deleteUnder(prefix);
  }

  private static List<TickReport.AgentPosition> at(String agent, double x) {
    return List.of(new TickReport.AgentPosition(agent, new Vec3(x, 10, 21)));
  }

  /** An agent joins at x = 0; its entry is written at once, as every event's presence is. */
  private void join(String agent) {
    feed.eventJournaled(
        new RegionEvent.AgentJoined("main", 1, 1, T0, agent, agent, new Vec3(0, 10, 21), Set.of()));
    TestWait.until(Duration.ofSeconds(10), () -> position(agent) != null);
  }

  private String position(String agent) {
    String[] value = new String[1];
    SharedRedis.with(redis -> value[0] = redis.get(keys.pos("main", agent)));
    return value[0];
  }

  @Test
  void ticksPositionsWaitAndOnlyTheLatestIsWritten() {
    join("a1");
    for (int tick = 1; tick <= 10; tick++) {
      feed.agentsMoved("main", tick, at("a1", tick));
    }
    assertThat(passedOn).as("every tick goes on at once").hasSize(11);
    assertThat(position("a1"))
        .as("not written before the flush")
        .isEqualTo("{\"x\":0.0,\"y\":10.0,\"z\":21.0}");

    feed.flushPositions().toCompletableFuture().join();
    SharedRedis.with(
        redis -> {
          assertThat(redis.get(keys.pos("main", "a1")))
              .isEqualTo("{\"x\":10.0,\"y\":10.0,\"z\":21.0}");
          assertThat(redis.pttl(keys.pos("main", "a1"))).isBetween(25_000L, 30_000L);
        });
  }

  @Test
  void anAgentThatLeftBeforeTheFlushLeavesNoPosition() {
    join("a1");
    join("a2");
    feed.agentsMoved("main", 1, at("a1", 5));
    feed.agentsMoved("main", 1, at("a2", 6));
    feed.eventJournaled(
        new RegionEvent.AgentLeft("main", 2, 2, T0, "a1", "left", new Vec3(5, 10, 21)));

    feed.flushPositions().toCompletableFuture().join();
    SharedRedis.with(
        redis -> {
          assertThat(redis.exists(keys.pos("main", "a1"), keys.session("a1"))).isZero();
          assertThat(redis.get(keys.pos("main", "a2")))
              .isEqualTo("{\"x\":6.0,\"y\":10.0,\"z\":21.0}");
        });
  }
}

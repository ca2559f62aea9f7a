package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.world.ManualClock;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Presence keys and world:tick in the machine's Redis, under a prefix of their own. */
class PresenceIT {

  private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

  private final String prefix = SharedRedis.newPrefix("presence");
  private final RedisKeys keys = new RedisKeys(prefix);
  private final ManualClock clock = new ManualClock(T0);
  private RedisLink link;
  private Presence presence;

  @BeforeEach
  void connect() {
    link = RedisLink.open(SharedRedis.URL, RedisLink.Settings.defaults());
    TestWait.until(Duration.ofSeconds(10), link::isUp);
    presence = new Presence(link, keys, clock);
  }

  @AfterEach
  void disconnect() {
    link.close();
    SharedRedis.deleteUnder(prefix);
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void enteringWritesTheSessionThePositionForThirtySecondsAndTheMembership() {
    join(presence.entered("a1", "main", new Vec3(1, 2.5, 21)));

    SharedRedis.with(
        redis -> {
          assertThat(redis.get(keys.session("a1")))
              .isEqualTo(
                  "{\"agent_id\":\"a1\",\"region_id\":\"main\",\"since\":\"2026-11-21T12:00:00Z\"}");
          assertThat(redis.pttl(keys.session("a1"))).as("a stay has no expiry").isEqualTo(-1);
          assertThat(redis.get(keys.pos("main", "a1")))
              .isEqualTo("{\"x\":1.0,\"y\":2.5,\"z\":21.0}");
          assertThat(redis.pttl(keys.pos("main", "a1"))).isBetween(25_000L, 30_000L);
          assertThat(redis.zscore(keys.regionAgents("main"), "a1"))
              .isEqualTo((double) T0.toEpochMilli());
        });
    assertThat(presence.failures()).isZero();
  }

  @Test
  void movesRefreshPositionsAndActivityAndTheMostRecentlyActiveComeFirst() {
    join(presence.entered("a1", "main", new Vec3(1, 1, 1)));
    clock.advance(Duration.ofSeconds(1));
    join(presence.entered("a2", "main", new Vec3(2, 2, 2)));
    clock.advance(Duration.ofSeconds(1));
    join(presence.entered("a3", "main", new Vec3(3, 3, 3)));
    assertThat(join(presence.agentsIn("main"))).containsExactly("a3", "a2", "a1");

    clock.advance(Duration.ofSeconds(1));
    join(
        presence.moved(
            "main",
            List.of(
                new TickReport.AgentPosition("a1", new Vec3(1.5, 1, 1)),
                new TickReport.AgentPosition("a2", new Vec3(2.5, 2, 2)))));
    clock.advance(Duration.ofSeconds(1));
    join(presence.acted("main", "a2"));

    assertThat(join(presence.agentsIn("main"))).containsExactly("a2", "a1", "a3");
    clock.advance(Duration.ofSeconds(1));
    join(presence.moved("main", "a3", new Vec3(3.5, 3, 3)));
    assertThat(join(presence.agentsIn("main"))).containsExactly("a3", "a2", "a1");
    SharedRedis.with(
        redis -> {
          assertThat(redis.get(keys.pos("main", "a1")))
              .isEqualTo("{\"x\":1.5,\"y\":1.0,\"z\":1.0}");
          assertThat(redis.get(keys.pos("main", "a3")))
              .isEqualTo("{\"x\":3.5,\"y\":3.0,\"z\":3.0}");
          for (String agent : List.of("a1", "a2", "a3")) {
            assertThat(redis.pttl(keys.pos("main", agent))).isBetween(25_000L, 30_000L);
          }
        });
  }

  @Test
  void leavingRemovesTheSessionThePositionAndTheMembership() {
    join(presence.entered("a1", "main", new Vec3(1, 1, 1)));
    join(presence.entered("a2", "main", new Vec3(2, 2, 2)));

    join(presence.left("a1", "main"));

    assertThat(join(presence.agentsIn("main"))).containsExactly("a2");
    SharedRedis.with(
        redis -> {
          assertThat(redis.exists(keys.session("a1"), keys.pos("main", "a1"))).isZero();
          assertThat(redis.exists(keys.session("a2"), keys.pos("main", "a2"))).isEqualTo(2);
        });
  }

  @Test
  void theWorldTickIsWrittenAndReadBack() {
    WorldTickKey tick = new WorldTickKey(link, keys);
    assertThat(join(tick.get())).isEmpty();

    join(tick.set(1_234_567));

    assertThat(join(tick.get())).isEqualTo(OptionalLong.of(1_234_567));
    SharedRedis.with(redis -> assertThat(redis.get(keys.worldTick())).isEqualTo("1234567"));
  }
}

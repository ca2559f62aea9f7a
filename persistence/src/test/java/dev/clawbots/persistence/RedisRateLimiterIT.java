package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rate limits in the machine's Redis, under a prefix of their own, from two links as two nodes. */
class RedisRateLimiterIT {

  private final String prefix = SharedRedis.newPrefix("ratelimit");
  private final RedisKeys keys = new RedisKeys(prefix);
  private RedisLink nodeA;
  private RedisLink nodeB;

  @BeforeEach
  void connect() {
    nodeA = RedisLink.open(SharedRedis.URL, RedisLink.Settings.defaults());
    nodeB = RedisLink.open(SharedRedis.URL, RedisLink.Settings.defaults());
    TestWait.until(Duration.ofSeconds(10), () -> nodeA.isUp() && nodeB.isUp());
  }

  @AfterEach
  void disconnect() {
    nodeA.close();
    nodeB.close();
    SharedRedis.deleteUnder(prefix);
  }

  private static RateDecision join(CompletionStage<RateDecision> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void concurrentAcquisitionsOnTwoNodesAllowExactlyTheLimit() throws Exception {
    List<RedisRateLimiter> nodes =
        List.of(new RedisRateLimiter(nodeA, keys), new RedisRateLimiter(nodeB, keys));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<RateDecision>> decisions = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        RedisRateLimiter node = nodes.get(i % 2);
        decisions.add(
            CompletableFuture.supplyAsync(
                    () -> node.tryAcquire("a1", "move", 100, Duration.ofMinutes(1)), threads)
                .thenCompose(stage -> stage)
                .toCompletableFuture());
      }
      List<Integer> remainingWhenAllowed = new ArrayList<>();
      int refused = 0;
      for (CompletableFuture<RateDecision> d : decisions) {
        RateDecision decision = d.get();
        if (decision.allowed()) {
          remainingWhenAllowed.add(decision.remaining());
        } else {
          refused++;
        }
      }
      // Each allowed acquisition saw a count of its own: 99 left, 98 left, ... 0 left.
      assertThat(remainingWhenAllowed).hasSize(100).doesNotHaveDuplicates().allMatch(r -> r < 100);
      assertThat(refused).isEqualTo(300);
      SharedRedis.with(
          redis -> assertThat(redis.get(keys.ratelimit("a1", "move"))).isEqualTo("400"));
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void theCounterExpiresWithItsWindowAndARefusalSaysWhenItEnds() {
    RedisRateLimiter limiter = new RedisRateLimiter(nodeA, keys);
    Duration minute = Duration.ofMinutes(1);

    assertThat(join(limiter.tryAcquire("a1", "speak", 2, minute)))
        .isEqualTo(new RateDecision(true, 1, Duration.ZERO));
    assertThat(join(limiter.tryAcquire("a1", "speak", 2, minute)))
        .isEqualTo(new RateDecision(true, 0, Duration.ZERO));
    RateDecision refused = join(limiter.tryAcquire("a1", "speak", 2, minute));

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(50), minute);
    SharedRedis.with(
        redis -> assertThat(redis.pttl(keys.ratelimit("a1", "speak"))).isBetween(50_000L, 60_000L));
    assertThat(join(limiter.tryAcquire("a1", "emote", 2, minute)).allowed())
        .as("another action counts apart")
        .isTrue();
  }

  @Test
  void aNewWindowOpensOnceTheCounterHasExpired() {
    RedisRateLimiter limiter = new RedisRateLimiter(nodeA, keys);
    Duration window = Duration.ofMillis(300);
    assertThat(join(limiter.tryAcquire("a1", "perceive", 1, window)).allowed()).isTrue();
    assertThat(join(limiter.tryAcquire("a1", "perceive", 1, window)).allowed()).isFalse();

    TestWait.until(
        Duration.ofSeconds(5),
        () -> join(limiter.tryAcquire("a1", "perceive", 1, window)).allowed());
    assertThat(join(limiter.tryAcquire("a1", "perceive", 1, window)).allowed()).isFalse();
  }

  @Test
  void aCounterLeftWithoutExpiryGetsTheWindowsExpiry() {
    String key = keys.ratelimit("a1", "move");
    SharedRedis.with(redis -> redis.set(key, "5"));

    RateDecision decision =
        join(new RedisRateLimiter(nodeA, keys).tryAcquire("a1", "move", 10, Duration.ofMinutes(1)));

    assertThat(decision).isEqualTo(new RateDecision(true, 4, Duration.ZERO));
    SharedRedis.with(redis -> assertThat(redis.pttl(key)).isBetween(50_000L, 60_000L));
  }
}
